"""How the second host shop plugs into django-inkasso: this adapter and two settings."""

import datetime
from decimal import Decimal

from inkasso.adapters import ClaimData, ClaimType, OrderAdapter, Salutation

from .models import Purchase

COUNTRIES = {
    "deutschland": "DE",
    "österreich": "AT",
    "schweiz": "CH",
    "niederlande": "NL",
    "frankreich": "FR",
}


def salutation(title: str) -> Salutation:
    first_word = title.strip().split(" ")[0].casefold()
    return {"herr": Salutation.MALE, "frau": Salutation.FEMALE}.get(
        first_word, Salutation.UNKNOWN
    )


def last_mahnung(history: list[dict]) -> dict | None:
    """Return the last real dunning letter; a Zahlungserinnerung does not count."""
    letters = [entry for entry in history if "mahnung" in entry["stufe"].casefold()]
    return max(letters, key=lambda entry: entry["versandt"], default=None)


def date_or_none(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class PurchaseAdapter(OrderAdapter):
    status_field = "state"
    collection_status = Purchase.State.COLLECTION
    withdrawn_status = Purchase.State.OPEN
    collection_status_label = Purchase.State.COLLECTION.label

    def refusal(self, order: Purchase) -> str:
        # This shop's status flow: a purchase marked paid never goes to
        # debt collection, whatever its amounts say.
        if order.state == Purchase.State.PAID:
            return "Der Kauf ist als bezahlt markiert; Inkasso ist dann nicht erlaubt."
        return ""

    def get_queryset(self, queryset):
        return queryset.prefetch_related("items")

    def claim_data(self, order: Purchase, *, today: datetime.date) -> ClaimData:
        items = order.items.all()
        mahnung = last_mahnung(order.dunning_history) or {}
        if order.payment == Purchase.Payment.PREPAYMENT and not order.shipped_on:
            claim_type, service_date = (
                ClaimType.GOODS_PREPAID_NOT_SHIPPED,
                order.placed_on,
            )
        elif items and all(item.is_service for item in items):
            claim_type, service_date = ClaimType.SERVICE, order.shipped_on
        else:
            claim_type, service_date = ClaimType.GOODS_DELIVERED, order.shipped_on
        return ClaimData(
            first_name=order.given_name,
            last_name=order.family_name,
            salutation=salutation(order.title),
            company=order.firm,
            street=f"{order.street} {order.house_number}".strip(),
            postcode=order.zip_code,
            city=order.town,
            country=COUNTRIES.get(
                order.country_name.strip().casefold(), order.country_name
            ),
            phone=order.telephone,
            email=order.email,
            invoice_number=order.reference,
            invoice_date=order.billed_on,
            invoice_total=Decimal(order.total_cents).scaleb(-2),
            open_amount=Decimal(order.total_cents - order.paid_cents).scaleb(-2),
            items=[(item.count, item.article) for item in items],
            due_date=order.pay_until,
            service_date=service_date,
            dunning_date=date_or_none(mahnung.get("versandt")),
            dunning_deadline=date_or_none(mahnung.get("frist")),
            claim_type=claim_type,
            is_cancelled=order.state == Purchase.State.CANCELLED,
        )
