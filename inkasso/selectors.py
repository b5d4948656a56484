"""Reads of the handover ledger and of the orders due for collection."""

import datetime
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from .adapters import get_adapter, get_order_model
from .claims import ClaimChecker, PreparedClaim
from .conf import app_settings
from .expressions import KeyList
from .models import Claim, DirectPayment, Handover
from .resources import get_resource


def batched(iterable: Iterable, size: int) -> Iterator[tuple]:
    """Yield tuples of ``size`` items (``itertools.batched`` before Python 3.12)."""
    iterator = iter(iterable)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def active_claims() -> QuerySet:
    """Return the claims that are with mediafinanz (not withdrawn)."""
    return Claim.objects.exclude(state=Claim.State.WITHDRAWN)


def due_order_ids(*, today: datetime.date) -> list:
    """Return the pks of the orders due for handover, in pk order.

    Due means: the shop's status flow marked them and they have no open claim.
    """
    due = get_adapter().due_orders(today=today)
    return list(
        due.exclude(pk__in=active_claims().values("order_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def prepared_claims(
    *, order_ids: Iterable, today: datetime.date, encoding: str | None = None
) -> Iterator[list[PreparedClaim]]:
    """Check the orders chunk by chunk and yield their prepared claims.

    An order that already has a claim with mediafinanz is refused. The number of
    queries grows with the number of chunks, never with the number of orders.
    """
    adapter = get_adapter()
    checker = ClaimChecker(resource=get_resource(), today=today, encoding=encoding)
    model = get_order_model()
    # Keys as the model has them: a UUID that came as text from a form, too.
    to_python = model._meta.pk.to_python
    for chunk in batched(map(to_python, order_ids), app_settings.CHUNK_SIZE):
        keys = KeyList(chunk, model._meta.pk)
        existing = dict(
            active_claims()
            .filter(order_id__in=keys)
            .values_list("order_id", "handover_id")
        )
        orders = model._default_manager.filter(pk__in=keys).order_by("pk")
        claims = checker.prepare_many(list(adapter.claims(orders, today=today)))
        found = {claim.order_id for claim in claims}
        claims += [
            PreparedClaim(
                order_id=pk,
                label=str(pk),
                values=[],
                amount=None,
                invoice_number="",
                errors=[
                    _(
                        "The shop has no claim data for this order; "
                        "it may have been deleted."
                    )
                ],
                warnings=[],
            )
            for pk in chunk
            if pk not in found
        ]
        for claim in claims:
            if claim.order_id in existing:
                claim.errors.insert(
                    0,
                    _(
                        "The order already has a claim with mediafinanz "
                        "(handover %(handover)s)."
                    )
                    % {"handover": existing[claim.order_id]},
                )
        yield claims


def handover_file(handover: Handover) -> Iterator[bytes]:
    """Yield the recorded bytes of a handover file, part by part."""
    parts = handover.file_parts.order_by("index").values_list("data", flat=True)
    for data in parts.iterator(chunk_size=4):
        yield bytes(data)


def collection_overview(*, today: datetime.date, months: int = 12) -> dict:
    """Return the figures a clerk wants first: what is due, open and to report."""
    open_claims = active_claims().aggregate(
        count=Count("pk"), amount=Sum("amount", default=0)
    )
    due_count = (
        get_adapter()
        .due_orders(today=today)
        .exclude(pk__in=active_claims().values("order_id"))
        .count()
    )
    per_month = (
        Claim.objects.annotate(month=TruncMonth("handover__created_at"))
        .order_by("-month")
        .values("month")
        .annotate(
            handovers=Count("handover", distinct=True),
            claims=Count("pk"),
            amount=Sum("amount"),
        )[:months]
    )
    unreported = DirectPayment.objects.filter(reported_at__isnull=True).aggregate(
        count=Count("pk"), amount=Sum("amount", default=0)
    )
    return {
        "due_count": due_count,
        "open_count": open_claims["count"],
        "open_amount": open_claims["amount"],
        "without_file_number": active_claims().filter(file_number="").count(),
        "unreported_count": unreported["count"],
        "unreported_amount": unreported["amount"],
        "per_month": list(per_month),
    }
