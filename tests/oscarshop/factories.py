"""Oscar orders as a shop has them: addresses, lines, payment sources, events.

Oscar stamps the dates of its events when they are created; ``at()`` moves
them to the day a test needs.
"""

import datetime
from decimal import Decimal

import factory
from django.apps import apps
from django.utils import timezone

Country = apps.get_model("address", "Country")
Order = apps.get_model("order", "Order")
Line = apps.get_model("order", "Line")
BillingAddress = apps.get_model("order", "BillingAddress")
ShippingAddress = apps.get_model("order", "ShippingAddress")
ShippingEvent = apps.get_model("order", "ShippingEvent")
ShippingEventType = apps.get_model("order", "ShippingEventType")
CommunicationEvent = apps.get_model("order", "CommunicationEvent")
CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
Source = apps.get_model("payment", "Source")
SourceType = apps.get_model("payment", "SourceType")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def at(day: datetime.date) -> datetime.datetime:
    """Return 10:00 on ``day``, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def country(code: str, name: str) -> Country:
    found, _ = Country.objects.get_or_create(
        iso_3166_1_a2=code, defaults={"printable_name": name, "name": name}
    )
    return found


class BillingAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillingAddress

    title = "Mrs"
    first_name = "Erika"
    last_name = "Müller"
    line1 = "Hauptstraße 5"
    line2 = ""
    line4 = "Berlin"
    postcode = "10115"
    country = factory.LazyFunction(lambda: country("DE", "Deutschland"))


class AustrianAddressFactory(BillingAddressFactory):
    title = "Mr"
    first_name = "Franz"
    last_name = "Huber"
    line1 = "Mariahilfer Straße 12a"
    line2 = "Stiege 2"
    line4 = "Wien"
    postcode = "1070"
    country = factory.LazyFunction(lambda: country("AT", "Österreich"))


class ShippingAddressFactory(BillingAddressFactory):
    class Meta:
        model = ShippingAddress

    phone_number = "+49 30 1234567"


class OrderFactory(factory.django.DjangoModelFactory):
    """An Oscar order placed 55 days ago that the clerk set to "Inkasso"."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"{100001 + n}")
    site = None  # A flushed test database has no Site.
    currency = "EUR"
    status = "Inkasso"
    total_incl_tax = Decimal("119.00")
    total_excl_tax = Decimal("100.00")
    date_placed = factory.LazyFunction(lambda: at(days_ago(55)))
    guest_email = factory.Sequence(lambda n: f"kunde{n}@example.de")
    billing_address = factory.SubFactory(BillingAddressFactory)
    shipping_address = factory.SubFactory(ShippingAddressFactory)

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        for quantity, title in extracted or [(2, "Kaffeemühle"), (1, "Filter")]:
            price = Decimal("10.00") * quantity
            Line.objects.create(
                order=self,
                partner_name="Laden",
                partner_sku=title[:20],
                title=title,
                quantity=quantity,
                line_price_incl_tax=price,
                line_price_excl_tax=price,
                line_price_before_discounts_incl_tax=price,
                line_price_before_discounts_excl_tax=price,
                num_allocated=quantity,
            )


def create_order(
    *,
    placed: datetime.date | None = None,
    delivered: datetime.date | None | bool = True,
    mahnung: datetime.date | None | bool = True,
    payment: str = "invoice",
    debited: str = "0.00",
    refunded: str = "0.00",
    **kwargs,
):
    """Return an order on ``payment``, unpaid, delivered 50 days ago, with a
    Mahnung 30 days ago (``True``: those defaults; ``None``: none)."""
    order = OrderFactory(date_placed=at(placed or days_ago(55)), **kwargs)
    source_type, _ = SourceType.objects.get_or_create(
        code=payment, defaults={"name": payment.title()}
    )
    Source.objects.create(
        order=order,
        source_type=source_type,
        currency="EUR",
        amount_allocated=order.total_incl_tax,
        amount_debited=Decimal(debited),
        amount_refunded=Decimal(refunded),
    )
    if delivered:
        ship(order, days_ago(50) if delivered is True else delivered)
    if mahnung:
        remind(order, days_ago(30) if mahnung is True else mahnung)
    return order


def ship(order, day: datetime.date, code: str = "shipped") -> None:
    event_type, _ = ShippingEventType.objects.get_or_create(
        code=code, defaults={"name": code.title()}
    )
    event = ShippingEvent.objects.create(order=order, event_type=event_type)
    ShippingEvent.objects.filter(pk=event.pk).update(date_created=at(day))


def remind(order, day: datetime.date, code: str = "MAHNUNG") -> None:
    event_type, _ = CommunicationEventType.objects.get_or_create(
        code=code, defaults={"name": code.title()}
    )
    event = CommunicationEvent.objects.create(order=order, event_type=event_type)
    CommunicationEvent.objects.filter(pk=event.pk).update(date_created=at(day))
