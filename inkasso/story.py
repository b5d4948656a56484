"""Where one order stands in debt collection, and the figures a clerk reads first.

The admin's order page and start page and Oscar's dashboard show these; the
checks behind them are :mod:`inkasso.selectors`.
"""

import dataclasses
import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from . import rules
from .models import Claim, DirectPayment
from .selectors import (
    CheckedClaim,
    active_claims,
    changed_claims,
    check_order,
    due_orders,
)


@dataclasses.dataclass(frozen=True)
class OrderStory:
    """Where one order stands in debt collection, as its pages tell it.

    ``state`` is ``"with_mediafinanz"`` (``claim`` is the open claim),
    ``"ready"`` or ``"blocked"`` (``check`` says why and what to do);
    ``withdrawn`` is the order's last withdrawn claim, if any.
    """

    state: str
    claim: Claim | None = None
    withdrawn: Claim | None = None
    check: CheckedClaim | None = None
    #: The open claim's order changed in the shop since the handover (paid,
    #: cancelled): the clerk must tell mediafinanz.
    changed: bool = False

    @property
    def errors(self) -> list[rules.Problem]:
        return [p for p in self.check.problems if p.is_error] if self.check else []

    @property
    def warnings(self) -> list[rules.Problem]:
        """The warnings; a withdrawal is the story's headline, not one of them."""
        if self.check is None:
            return []
        return [
            p
            for p in self.check.problems
            if not p.is_error and p.code != "withdrawn_before"
        ]


def order_story(order_id, *, today: datetime.date) -> OrderStory:
    """Return where the order stands: with mediafinanz, ready, or blocked and why."""
    active = (
        active_claims().filter(order_id=order_id).select_related("handover").first()
    )
    withdrawn = (
        Claim.objects.filter(order_id=order_id, state=Claim.State.WITHDRAWN)
        .order_by("-withdrawn_at")
        .first()
    )
    if active is not None:
        changed = changed_claims().filter(pk=active.pk).exists()
        return OrderStory(
            "with_mediafinanz", claim=active, withdrawn=withdrawn, changed=changed
        )
    # The clerk looks at this very order: a withdrawn claim is their choice.
    checked = check_order(order_id, today=today, withdrawn_chosen=True)
    return OrderStory(
        "ready" if checked.ok else "blocked", withdrawn=withdrawn, check=checked
    )


def collection_overview(*, today: datetime.date, months: int = 12) -> dict:
    """Return the figures a clerk wants first: what is due, open and to report."""
    open_claims = active_claims().aggregate(
        count=Count("pk"), amount=Sum("amount", default=0)
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
        "due_count": due_orders(today=today).count(),
        "open_count": open_claims["count"],
        "open_amount": open_claims["amount"],
        "without_file_number": active_claims().filter(file_number="").count(),
        "changed_count": changed_claims().count(),
        "unreported_count": unreported["count"],
        "unreported_amount": unreported["amount"],
        "per_month": list(per_month),
    }
