import datetime
import enum
import hashlib
from decimal import Decimal

import factory
from django.utils import timezone

from inkasso.models import Letter
from shop.models import (
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    Salutation,
)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    salutation = Salutation.FRAU
    first_name = "Käthe"
    last_name = "Groß"
    email = factory.Sequence(lambda n: f"kaethe{n}@example.de")
    phone = "+49 30 1234567"


class OrderFactory(factory.django.DjangoModelFactory):
    """An invoice order, delivered 60 days ago and not paid."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"B-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    order_date = factory.LazyFunction(lambda: days_ago(62))
    payment_method = PaymentMethod.INVOICE
    invoice_number = factory.Sequence(lambda n: f"R-2026-{n:04d}")
    invoice_date = factory.LazyFunction(lambda: days_ago(60))
    due_date = factory.LazyFunction(lambda: days_ago(46))
    delivered_date = factory.LazyFunction(lambda: days_ago(60))
    status = OrderStatus.SHIPPED
    billing_first_name = factory.SelfAttribute("customer.first_name")
    billing_last_name = factory.SelfAttribute("customer.last_name")
    billing_company = factory.SelfAttribute("customer.company")
    billing_street = "Königstraße 12"
    billing_postcode = "01067"
    billing_city = "Dresden"
    billing_country = "DE"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product_name = "Kaffeemühle"
    quantity = 2
    unit_price = Decimal("49.90")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    received_on = factory.LazyFunction(lambda: days_ago(40))
    amount = Decimal("10.00")


class DunningLevel(enum.IntEnum):
    """The default dunning levels (INKASSO_DUNNING_LEVELS), by position."""

    REMINDER = 0
    FIRST = 1
    SECOND = 2
    FINAL = 3


class DunningLetterFactory(factory.django.DjangoModelFactory):
    """A letter of django-inkasso's dunning ledger, sent 20 days ago."""

    class Meta:
        model = Letter

    order = factory.SubFactory(OrderFactory)
    level = DunningLevel.FINAL
    is_mahnung = factory.LazyAttribute(lambda o: o.level != DunningLevel.REMINDER)
    sent_on = factory.LazyFunction(lambda: days_ago(20))
    deadline = factory.LazyAttribute(lambda o: o.sent_on + datetime.timedelta(days=7))
    amount = Decimal("99.80")
    channel = Letter.Channel.POST
    language = "de"
    subject = "Letzte Mahnung"
    text = "Letzte Mahnung\n"
    pdf = b"%PDF-1.4 letter"
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.pdf).hexdigest())
    status = Letter.Status.SENT


class DueOrderFactory(OrderFactory):
    """An order in "Inkasso ist in Arbeit" that a handover accepts as it is."""

    status = OrderStatus.COLLECTION
    line = factory.RelatedFactory(OrderLineFactory, factory_related_name="order")
    letter = factory.RelatedFactory(DunningLetterFactory, factory_related_name="order")
