"""Which letter each order gets next, or why it gets none: the reminders' reads.

:func:`next_letters` is the one path from the host's orders to the letters
due: the command, its dry run and the admin's confirmation page read it. It
asks the host's adapter for the same :class:`~inkasso.adapters.ClaimData` as
the handover (open amount, due date, currency, e-mail, cancelled), so any
host that can hand over can also send reminders.
"""

import dataclasses
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from . import formats, rules, schedule
from .adapters import ClaimData, get_adapter, get_order_model
from .conf import app_settings
from .dunning_models import Letter
from .selectors import active_claims, batched

#: Reasons that need a person: the order should get a letter but cannot.
#: Every other reason only says that nothing is to be done today.
NEEDS_ATTENTION = frozenset(
    {"no_email", "currency", "amount_unknown", "missing", "no_claim_data"}
)


@dataclasses.dataclass(slots=True)
class NextLetter:
    """One order: the letter it gets next (``level``), or why not (``problems``)."""

    order_id: Any
    label: str
    problems: list[rules.Problem]
    level: schedule.Level | None = None
    data: ClaimData | None = None
    deadline: datetime.date | None = None
    channel: str = ""
    #: The letters this order got before, as (level, sent_on, deadline, fee).
    previous: list[tuple[int, datetime.date, datetime.date, Decimal]] = (
        dataclasses.field(default_factory=list)
    )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def needs_attention(self) -> bool:
        return any(problem.code in NEEDS_ATTENTION for problem in self.problems)

    @property
    def reasons(self) -> list[str]:
        return [problem.message for problem in self.problems]

    @property
    def amount(self) -> Decimal | None:
        return self.data.open_amount if self.data else None

    @property
    def fee(self) -> Decimal:
        return self.level.fee if self.level else Decimal("0.00")

    @property
    def email(self) -> str:
        if self.data is None:
            return ""
        return formats.clean_email(self.data.email, encoding="utf-8")


def reminder_order_ids(*, today: datetime.date) -> list:
    """Return the keys of the orders that may get a letter, in key order.

    The adapter's :meth:`~inkasso.adapters.OrderAdapter.dunning_orders` narrows
    them (unpaid, past due); orders with a claim or a dunning stop are left
    out. Which of them gets a letter today is :func:`next_letters`' answer.
    """
    orders = (
        get_adapter()
        .dunning_orders(today=today)
        .exclude(pk__in=active_claims().values("order_id"))
        .exclude(pk__in=schedule.stopped_orders())
    )
    return list(orders.order_by("pk").values_list("pk", flat=True))


def next_letters(
    order_ids: Iterable, *, today: datetime.date, channel: str | None = None
) -> Iterator[list[NextLetter]]:
    """Say, chunk by chunk, which letter each order gets today or why none.

    The number of queries grows with the number of chunks, never with the
    number of orders.
    """
    channel = channel or app_settings.DUNNING_CHANNEL
    adapter = get_adapter()
    model = get_order_model()
    to_python = model._meta.pk.to_python
    all_levels = schedule.levels()
    for chunk in batched(map(to_python, order_ids), app_settings.CHUNK_SIZE):
        orders = model._default_manager.filter(pk__in=chunk).order_by("pk")
        reported = {
            claim.order_id: claim for claim in adapter.claims(orders, today=today)
        }
        letters = _letters(chunk)
        stops = schedule.active_stops(chunk)
        claims = dict(
            active_claims()
            .filter(order_id__in=chunk)
            .values_list("order_id", "handover_id")
        )
        yield [
            _next_letter(
                pk,
                reported.get(pk),
                letters.get(pk, ([], False)),
                stops.get(pk),
                claims.get(pk),
                levels=all_levels,
                today=today,
                channel=channel,
            )
            for pk in chunk
        ]


def _letters(order_ids) -> dict[Any, tuple[list, bool]]:
    """Return each order's sent letters and whether one is being sent.

    A letter pending for longer than ``INKASSO_DUNNING_PENDING_TIMEOUT`` counts
    as failed: its worker died, and the next run sends the letter again.
    """
    found = {}
    for order_id, level, sent_on, deadline, fee, status in (
        Letter.objects.filter(order_id__in=order_ids)
        .exclude(status=Letter.Status.FAILED)
        .exclude(status=Letter.Status.PENDING, created_at__lt=schedule.stale_before())
        .order_by("order_id", "level")
        .values_list("order_id", "level", "sent_on", "deadline", "fee", "status")
    ):
        sent, pending = found.setdefault(order_id, ([], False))
        if status == Letter.Status.PENDING:
            found[order_id] = (sent, True)
        else:
            sent.append((level, sent_on, deadline, fee))
    return found


def _next_letter(pk, reported, letters, stop, handover, *, levels, today, channel):
    sent, pending = letters
    if reported is None:
        return NextLetter(pk, str(pk), [rules.Problem("no_claim_data")])
    problems = []
    if handover is not None:
        problems.append(rules.Problem("open_claim", {"handover": handover}))
    if stop is not None:
        problems.append(
            rules.Problem("dunning_stop", {"reason": str(stop.get_reason_display())})
        )
    if reported.refusal:
        problems.append(rules.Problem("refused_by_shop", {"reason": reported.refusal}))
    data = reported.data
    if data is None:
        return NextLetter(
            pk, reported.label, problems or [rules.Problem("no_claim_data")]
        )
    result = NextLetter(pk, reported.label, problems, data=data, previous=sent)
    problems.extend(_claim_problems(data))
    problems.extend(_shop_dunning_problems(data, sent, levels=levels))
    if problems:
        return result
    level, problem = _due_level(sent, pending, data, levels=levels, today=today)
    if problem is not None:
        problems.append(problem)
        return result
    problems.extend(_channel_problems(data, channel))
    if not problems:
        result.level = level
        result.channel = channel
        result.deadline = today + datetime.timedelta(days=level.deadline_days)
    return result


def _claim_problems(data: ClaimData) -> list[rules.Problem]:
    """Return why the order's own data forbid a letter (paid, cancelled, …)."""
    problems = rules.open_amount_problems(data)
    if data.due_date is None:
        # The first letter's date counts from the due date.
        problems.append(rules.Problem("missing", {"field": "due_date"}))
    return problems


def _shop_dunning_problems(
    data: ClaimData, sent: list, *, levels
) -> list[rules.Problem]:
    """Refuse a letter after a Mahnung the shop sent itself.

    A host that keeps its own dunning records (its adapter reports the last
    Mahnung) duns the order there: a letter from here would repeat its level
    or, as a Zahlungserinnerung after a Mahnung, contradict it. A Mahnung no
    later than django-inkasso's own last Mahnung is that letter, as an adapter
    that reads this ledger too reports it.
    """
    if data.dunning_date is None:
        return []
    last_sent = max(
        (
            sent_on
            for level, sent_on, *_rest in sent
            if level < len(levels) and levels[level].is_mahnung
        ),
        default=None,
    )
    if last_sent is not None and data.dunning_date <= last_sent:
        return []
    return [rules.Problem("shop_dunning", {"date": data.dunning_date.isoformat()})]


def _due_level(sent, pending, data, *, levels, today):
    """Return the level due today, or the problem that says when and why not."""
    if pending:
        level = levels[min(len(sent), len(levels) - 1)]
        return None, rules.Problem("letter_pending", {"level": level.name})
    number = max((letter[0] for letter in sent), default=-1) + 1
    if number >= len(levels):
        return None, rules.Problem("last_level_reached", {"level": levels[-1].name})
    level = levels[number]
    if number == 0:
        base, waiting = data.due_date, "not_yet_due"
    else:
        base, waiting = sent[-1][2], "deadline_running"
    if today <= base:
        return None, rules.Problem(waiting, {"date": base.isoformat()})
    earliest = base + datetime.timedelta(days=max(level.days, 1))
    if today < earliest:
        return None, rules.Problem(
            "next_letter_on", {"level": level.name, "date": earliest.isoformat()}
        )
    return level, None


def _channel_problems(data: ClaimData, channel: str) -> list[rules.Problem]:
    if channel == Letter.Channel.EMAIL:
        if not formats.clean_email(data.email, encoding="utf-8"):
            return [rules.Problem("no_email")]
        return []
    return [
        rules.Problem("missing", {"field": field})
        for field in ("street", "postcode", "city")
        if not (getattr(data, field) or "").strip()
    ]


def letters_of(order_id) -> QuerySet:
    """Return the letters of one order, oldest first, without their bytes."""
    return Letter.objects.filter(order_id=order_id).defer("pdf").order_by("created_at")


__all__ = [
    "NEEDS_ATTENTION",
    "NextLetter",
    "letters_of",
    "next_letters",
    "reminder_order_ids",
]
