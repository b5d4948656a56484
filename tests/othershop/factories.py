import datetime

import factory
from django.utils import timezone

from .models import Purchase, PurchaseItem


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def iso_days_ago(days: int) -> str:
    """Return the date as the shop keeps it in its dunning history."""
    return days_ago(days).isoformat()


class PurchaseFactory(factory.django.DjangoModelFactory):
    """A purchase on invoice, shipped 50 days ago, unpaid, with a 1. Mahnung."""

    class Meta:
        model = Purchase
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"AB/2026/{n:05d}")
    state = Purchase.State.OPEN
    placed_on = factory.LazyFunction(lambda: days_ago(52))
    billed_on = factory.LazyFunction(lambda: days_ago(50))
    pay_until = factory.LazyFunction(lambda: days_ago(36))
    shipped_on = factory.LazyFunction(lambda: days_ago(50))
    title = "Frau Dr."
    given_name = "Anna"
    family_name = "Öztürk"
    street = "Mariahilfer Straße"
    house_number = "12a"
    zip_code = "1070"
    town = "Wien"
    country_name = "Österreich"
    email = factory.Sequence(lambda n: f"anna{n}@example.at")
    telephone = "+43 1 234567"
    total_cents = 12345
    paid_cents = 0
    dunning_history = factory.LazyFunction(
        lambda: [
            {"stufe": "Zahlungserinnerung", "versandt": iso_days_ago(30)},
            {
                "stufe": "1. Mahnung",
                "versandt": iso_days_ago(20),
                "frist": iso_days_ago(10),
            },
        ]
    )

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create:
            for count, article in extracted or [(2, "Teekanne"), (1, "Sieb")]:
                PurchaseItem.objects.create(purchase=self, count=count, article=article)


class DuePurchaseFactory(PurchaseFactory):
    """A purchase the clerk put into "Inkasso ist in Arbeit"."""

    state = Purchase.State.COLLECTION
