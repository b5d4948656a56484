"""The dunning schedule and what the dunning ledger knows about orders.

Plain reads that the handover's checks (``selectors``) and the reminders
(``reminders``) share: the levels as the installation configures them, the
last real Mahnung of each order, and the orders under a dunning stop.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .conf import app_settings
from .dunning_models import DunningStop, Letter


@dataclasses.dataclass(frozen=True)
class Level:
    """One dunning level of the installation's schedule."""

    number: int
    name: str
    is_mahnung: bool
    days: int
    deadline_days: int
    fee: Decimal
    is_last: bool

    @property
    def is_first_mahnung(self) -> bool:
        return self.is_mahnung and not any(
            level.is_mahnung for level in levels()[: self.number]
        )


def levels() -> list[Level]:
    """Return the installation's dunning levels, first to last."""
    configured = app_settings.DUNNING_LEVELS
    return [
        Level(
            number=number,
            name=str(level["name"]),
            is_mahnung=bool(level.get("mahnung", True)),
            days=int(level.get("days", 0)),
            deadline_days=int(level["deadline_days"]),
            fee=Decimal(str(level.get("fee", "0.00"))),
            is_last=number == len(configured) - 1,
        )
        for number, level in enumerate(configured)
    ]


def schedule_problems(configured) -> list[str]:
    """Return what is wrong with a value of ``INKASSO_DUNNING_LEVELS``."""
    if not isinstance(configured, list | tuple) or not configured:
        return ["it must be a non-empty list of levels"]
    problems = []
    for number, level in enumerate(configured):
        if not isinstance(level, dict):
            problems.append(f"level {number} is not a dict")
            continue
        if not str(level.get("name", "")).strip():
            problems.append(f"level {number} has no name")
        for key, minimum in (("days", 0), ("deadline_days", 1)):
            value = level.get(key, 0 if key == "days" else None)
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                problems.append(
                    f"level {number}: {key} must be a whole number, {minimum} or more"
                )
        if not isinstance(level.get("mahnung", True), bool):
            problems.append(f"level {number}: mahnung must be True or False")
        try:
            fee = Decimal(str(level.get("fee", "0.00")))
        except ArithmeticError:
            fee = None
        if fee is None or not fee.is_finite() or fee < 0:
            problems.append(f"level {number}: fee must be an amount, 0 or more")
    if not problems and not any(level.get("mahnung", True) for level in configured):
        problems.append("no level is a real Mahnung (mahnung=True)")
    return problems


def stale_before() -> datetime.datetime:
    """Return the moment before which a letter still pending counts as failed.

    ``INKASSO_DUNNING_PENDING_TIMEOUT`` seconds ago: a worker that claimed the
    letter then and has not finished it died (``sending.expire_stale_letters``).
    """
    return timezone.now() - datetime.timedelta(
        seconds=app_settings.DUNNING_PENDING_TIMEOUT
    )


def sent_letters() -> QuerySet:
    return Letter.objects.filter(status=Letter.Status.SENT)


def last_mahnungen(
    order_ids: Iterable | QuerySet,
) -> dict[Any, tuple[datetime.date, datetime.date]]:
    """Return the date and deadline of each order's last sent real Mahnung.

    ``order_ids`` are keys, or a subquery of them (``orders.values("pk")``).
    """
    last = {}
    for order_id, sent_on, deadline in (
        sent_letters()
        .filter(order_id__in=_keys(order_ids), is_mahnung=True)
        .order_by("order_id", "sent_on", "level")
        .values_list("order_id", "sent_on", "deadline")
    ):
        last[order_id] = (sent_on, deadline)
    return last


def finished_orders(*, today: datetime.date) -> QuerySet:
    """Return the keys of the orders whose last level went out and ran out.

    As a subquery: the last level's letter was sent and its deadline passed.
    """
    last = len(app_settings.DUNNING_LEVELS) - 1
    return sent_letters().filter(level=last, deadline__lt=today).values("order_id")


def stopped_orders() -> QuerySet:
    """Return the keys of the orders under a dunning stop, as a subquery."""
    return DunningStop.objects.filter(lifted_at__isnull=True).values("order_id")


def active_stops(order_ids: Iterable | QuerySet) -> dict[Any, DunningStop]:
    """Return the active dunning stop of each of these orders that has one.

    ``order_ids`` are keys, or a subquery of them (``orders.values("pk")``).
    """
    return {
        stop.order_id: stop
        for stop in DunningStop.objects.filter(
            order_id__in=_keys(order_ids), lifted_at__isnull=True
        )
    }


def _keys(order_ids: Iterable | QuerySet):
    """Keys for an ``__in`` lookup: a subquery as it is, anything else as a list."""
    return order_ids if isinstance(order_ids, QuerySet) else list(order_ids)
