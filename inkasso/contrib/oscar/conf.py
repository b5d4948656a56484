"""The ``INKASSO_OSCAR`` setting: what differs between Oscar shops.

Read on every access, so that ``override_settings`` works in tests. Only
``COLLECTION_STATUS`` is required; ``manage.py check`` says what is wrong
(``inkasso_oscar.E0xx``).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from inkasso.contract import ClaimType

ORDER_MODEL = "order.Order"
ADAPTER = "inkasso.contrib.oscar.adapter.OscarOrderAdapter"

DEFAULTS = {
    # The Oscar order status "Inkasso ist in Arbeit" (required): orders with it
    # are due for handover, handed-over orders get it through set_status().
    "COLLECTION_STATUS": None,
    # How the clerk calls it; default: the status itself.
    "COLLECTION_STATUS_LABEL": None,
    # The status a withdrawn claim's order gets (the pipeline must allow it
    # from COLLECTION_STATUS); None leaves the order as it is.
    "WITHDRAWN_STATUS": None,
    # Statuses meaning paid/finished and cancelled: an order that reaches one
    # while its claim is open is flagged "changed in the shop"; cancelled
    # orders are never handed over.
    "COMPLETE_STATUSES": ["Complete"],
    "CANCELLED_STATUSES": ["Cancelled"],
    # Codes of the ShippingEventTypes that mean "delivered" (Leistungsdatum).
    "DELIVERED_EVENT_CODES": ["shipped"],
    # Payment term per payment SourceType code: {"days": 14, "after":
    # "shipping"} or {"days": 7, "after": "placing"}, or "prepayment" (due
    # when placed). "DEFAULT_PAYMENT_TERM" applies to other source types.
    "PAYMENT_TERMS": {},
    "DEFAULT_PAYMENT_TERM": None,
    # Claim type per SourceType code ("goods", "prepaid", "service"); default:
    # prepayment never shipped is "prepaid", anything else "goods".
    "CLAIM_TYPES": {},
    # CommunicationEventType codes that are a Mahnung, with their deadline in
    # days: {"MAHNUNG": 14}. django-inkasso's own letters count as well.
    "MAHNUNG_EVENT_TYPES": {},
    # A field of the billing address that holds a company name, for shops
    # that add one; default: the first of COMPANY_FIELDS_TRIED it has.
    "COMPANY_FIELD": None,
    # Register Oscar's order admin with the inkasso action and column.
    "ADMIN": True,
    # The "Debt collection" entry in OSCAR_DASHBOARD_NAVIGATION (its pages need
    # path("dashboard/inkasso/", include("inkasso.contrib.oscar.dashboard.urls"))).
    "DASHBOARD": True,
}

COMPANY_FIELDS_TRIED = ("company", "company_name", "organisation", "organization")

CLAIM_TYPE_NAMES = {
    "goods": ClaimType.GOODS_DELIVERED,
    "prepaid": ClaimType.GOODS_PREPAID_NOT_SHIPPED,
    "service": ClaimType.SERVICE,
}

PREPAYMENT = "prepayment"
AFTER = ("shipping", "placing")


@dataclass(frozen=True)
class PaymentTerm:
    prepayment: bool = False
    days: int = 0
    after: str = "shipping"

    def due_date(
        self, *, placed: datetime.date, shipped: datetime.date | None
    ) -> datetime.date | None:
        if self.prepayment:
            return placed
        start = placed if self.after == "placing" else shipped
        return start + datetime.timedelta(days=self.days) if start else None


def raw() -> dict:
    value = getattr(settings, "INKASSO_OSCAR", {})
    return value if isinstance(value, dict) else {}


def get(name: str):
    return raw().get(name, DEFAULTS[name])


def payment_term_problem(value) -> str:
    """Return what is wrong with one payment term, or ""."""
    if value is None or value == PREPAYMENT:
        return ""
    if not isinstance(value, dict) or set(value) - {"days", "after"}:
        return 'expected "prepayment" or {"days": 14, "after": "shipping"}'
    days = value.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        return '"days" must be a whole number, 0 or more'
    if value.get("after", "shipping") not in AFTER:
        return '"after" must be "shipping" or "placing"'
    return ""


def as_payment_term(value) -> PaymentTerm | None:
    if value is None:
        return None
    if value == PREPAYMENT:
        return PaymentTerm(prepayment=True)
    return PaymentTerm(days=value["days"], after=value.get("after", "shipping"))


def payment_terms() -> dict[str, PaymentTerm]:
    return {code: as_payment_term(term) for code, term in get("PAYMENT_TERMS").items()}


def default_payment_term() -> PaymentTerm | None:
    return as_payment_term(get("DEFAULT_PAYMENT_TERM"))


def claim_types() -> dict[str, ClaimType]:
    return {code: CLAIM_TYPE_NAMES[name] for code, name in get("CLAIM_TYPES").items()}
