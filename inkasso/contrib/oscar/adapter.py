"""The ready adapter for django-oscar's order model.

Everything comes from Oscar's own models: the billing address, the payment
sources, the shipping and communication events, the status pipeline. What
differs between shops comes from ``INKASSO_OSCAR`` (see :mod:`.conf`).
"""

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inkasso import schedule
from inkasso.adapters import (
    ClaimData,
    ClaimType,
    OrderAdapter,
    OrderClaim,
    Salutation,
)
from inkasso.models import Claim

from . import conf

TITLES = {
    "mr": Salutation.MALE,
    "mrs": Salutation.FEMALE,
    "miss": Salutation.FEMALE,
    "ms": Salutation.FEMALE,
}


def _model(name: str):
    return apps.get_model("order", name)


def _day(value) -> datetime.date | None:
    if value is None:
        return None
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


def company_field() -> str | None:
    """Return the billing address's field that holds a company name, if any."""
    if configured := conf.get("COMPANY_FIELD"):
        return configured
    names = {field.name for field in _model("BillingAddress")._meta.get_fields()}
    return next((name for name in conf.COMPANY_FIELDS_TRIED if name in names), None)


def phone_text(phone) -> str:
    """Return a ``PhoneNumber`` (or text) as the file's telephone column wants it."""
    if not phone:
        return ""
    if getattr(phone, "is_valid", None) and phone.is_valid():
        return phone.as_international
    return str(phone)


class OscarOrderAdapter(OrderAdapter):
    """Hands Oscar orders over; statuses go through ``Order.set_status()``."""

    status_field = "status"

    @property
    def collection_status(self):
        return conf.get("COLLECTION_STATUS")

    @property
    def collection_status_label(self):
        return conf.get("COLLECTION_STATUS_LABEL") or self.collection_status

    @property
    def withdrawn_status(self):
        return conf.get("WITHDRAWN_STATUS")

    # -- which orders ---------------------------------------------------------

    def _orders(self) -> QuerySet:
        return _model("Order")._default_manager.all()

    def _final_statuses(self) -> list[str]:
        return [*conf.get("COMPLETE_STATUSES"), *conf.get("CANCELLED_STATUSES")]

    def due_orders(self, *, today: datetime.date) -> QuerySet:
        return self._orders().filter(status=self.collection_status)

    def collection_orders(self) -> QuerySet:
        """Every order that was not completed or cancelled while its claim was open.

        Oscar's status history tells: an order set to a complete or cancelled
        status after its handover stays flagged, even if its status moves on.
        """
        final = self._final_statuses()
        open_claim_then = Claim.objects.exclude(state=Claim.State.WITHDRAWN).filter(
            order_id=OuterRef("order_id"),
            handover__created_at__lte=OuterRef("date_created"),
        )
        changed = (
            _model("OrderStatusChange")
            ._default_manager.filter(new_status__in=final)
            .filter(Exists(open_claim_then))
        )
        return (
            self._orders()
            .exclude(status__in=final)
            .exclude(pk__in=changed.values("order_id"))
        )

    def dunning_orders(self, *, today: datetime.date) -> QuerySet:
        return self._orders().exclude(status__in=self._final_statuses())

    # -- the claims -----------------------------------------------------------

    def get_queryset(self, queryset: QuerySet) -> QuerySet:
        delivered = _model("ShippingEvent")._default_manager.filter(
            event_type__code__in=conf.get("DELIVERED_EVENT_CODES")
        )
        mahnungen = _model("CommunicationEvent")._default_manager.filter(
            event_type__code__in=list(conf.get("MAHNUNG_EVENT_TYPES"))
        )
        return queryset.select_related(
            "billing_address", "shipping_address", "user"
        ).prefetch_related(
            "lines",
            "sources__source_type",
            Prefetch(
                "shipping_events",
                queryset=delivered.order_by("date_created"),
                to_attr="inkasso_deliveries",
            ),
            Prefetch(
                "communication_events",
                queryset=mahnungen.select_related("event_type").order_by(
                    "date_created"
                ),
                to_attr="inkasso_mahnungen",
            ),
        )

    def claims(
        self, queryset: QuerySet, *, today: datetime.date
    ) -> Iterator[OrderClaim]:
        orders = list(self.get_queryset(queryset).order_by("pk"))
        ledger = schedule.last_mahnungen([order.pk for order in orders])
        for order in orders:
            label = self.order_label(order)
            if refusal := self.refusal(order):
                yield OrderClaim(order.pk, label, None, refusal=refusal)
                continue
            data = self.claim_data(order, today=today)
            letter = ledger.get(order.pk)
            if letter and (data.dunning_date is None or letter[0] > data.dunning_date):
                data.dunning_date, data.dunning_deadline = letter
            yield OrderClaim(order.pk, label, data)

    def refusal(self, order) -> str:
        status = self.collection_status
        if not status or order.status == status:
            return ""
        if order.status in conf.get("CANCELLED_STATUSES"):
            return ""  # The claim says "cancelled", which tells the clerk more.
        if status in order.available_statuses():
            return ""
        return _(
            "Oscar's order status pipeline does not allow the status "
            "“%(new)s” after “%(old)s”."
        ) % {"new": status, "old": order.status or "–"}

    def claim_data(self, order, *, today: datetime.date) -> ClaimData:
        address = order.billing_address
        sources = list(order.sources.all())
        paid = sum(
            (source.amount_debited - source.amount_refunded for source in sources),
            Decimal("0.00"),
        )
        placed = _day(order.date_placed)
        deliveries = getattr(order, "inkasso_deliveries", None)
        if deliveries is None:  # claim_data() without get_queryset()
            deliveries = list(
                order.shipping_events.filter(
                    event_type__code__in=conf.get("DELIVERED_EVENT_CODES")
                ).order_by("date_created")
            )
        shipped = _day(deliveries[0].date_created) if deliveries else None
        term, claim_type = self._payment_term(sources)
        prepaid_not_shipped = term is not None and term.prepayment and not shipped
        if claim_type is None:
            claim_type = (
                ClaimType.GOODS_PREPAID_NOT_SHIPPED
                if prepaid_not_shipped
                else ClaimType.GOODS_DELIVERED
            )
        dunning_date, dunning_deadline = self._last_mahnung(order)
        company = ""
        if address is not None and (field := company_field()):
            company = getattr(address, field, "") or ""
        return ClaimData(
            first_name=address.first_name if address else "",
            last_name=address.last_name if address else "",
            salutation=TITLES.get(
                (address.title if address else "").lower(), Salutation.UNKNOWN
            ),
            company=company,
            street=", ".join(
                part for part in (address.line1, address.line2) if part.strip()
            )
            if address
            else "",
            postcode=address.postcode if address else "",
            city=address.line4 if address else "",
            country=address.country_id if address else "",
            phone=phone_text(
                order.shipping_address.phone_number if order.shipping_address else ""
            ),
            email=order.email or "",
            invoice_number=order.number,
            invoice_date=placed,
            invoice_total=order.total_incl_tax,
            open_amount=order.total_incl_tax - paid,
            currency=order.currency,
            items=[(line.quantity, line.title) for line in order.lines.all()],
            due_date=term.due_date(placed=placed, shipped=shipped) if term else None,
            service_date=placed if prepaid_not_shipped else shipped,
            dunning_date=dunning_date,
            dunning_deadline=dunning_deadline,
            claim_type=claim_type,
            is_cancelled=order.status in conf.get("CANCELLED_STATUSES"),
        )

    def _payment_term(self, sources):
        """Return the payment term and claim type of the order's payment sources."""
        terms = conf.payment_terms()
        types = conf.claim_types()
        for source in sorted(sources, key=lambda source: source.pk):
            code = source.source_type.code
            if code in terms or code in types:
                return terms.get(code, conf.default_payment_term()), types.get(code)
        return conf.default_payment_term(), None

    def _last_mahnung(self, order):
        deadlines = conf.get("MAHNUNG_EVENT_TYPES")
        events = getattr(order, "inkasso_mahnungen", None)
        if events is None:
            events = list(
                order.communication_events.filter(
                    event_type__code__in=list(deadlines)
                ).select_related("event_type")
            )
        if not events:
            return None, None
        last = max(events, key=lambda event: event.date_created)
        sent_on = _day(last.date_created)
        return sent_on, sent_on + datetime.timedelta(
            days=deadlines[last.event_type.code]
        )

    def order_label(self, order) -> str:
        return order.number

    # -- the status, through Oscar ------------------------------------------

    def mark_handed_over(self, order_ids: Iterable, *, handover) -> None:
        """Set the collection status with ``set_status()``: pipeline, history, signal.

        The orders were checked in this transaction: ``refusal()`` turned away
        those whose pipeline does not allow the status.
        """
        status = self.collection_status
        for order in (
            self._orders()
            .filter(pk__in=list(order_ids))
            .exclude(status=status)
            .order_by("pk")
        ):
            order.set_status(status)

    def mark_withdrawn(self, order, *, claim) -> None:
        """Give the order ``WITHDRAWN_STATUS`` if set and the pipeline allows it."""
        status = self.withdrawn_status
        if status and status != order.status and status in order.available_statuses():
            order.set_status(status)
