"""The demo orders' reminders and Mahnungen, recorded in django-inkasso's ledger.

The demo shop keeps no letters of its own: the letters its overdue orders got
before the day of the demo are rendered and recorded as django-inkasso's
``inkasso_remind`` would have done on the days they went out
(:func:`inkasso.sending.build_letter`), with their PDF. So the demo shows the
whole life of an unpaid order: reminder, Mahnungen, handover.
"""

import dataclasses
import datetime
from decimal import Decimal

from inkasso import schedule, sending
from inkasso.adapters import get_adapter
from inkasso.conf import app_settings
from inkasso.models import Letter

from .models import Order

# Levels of the installation's schedule, by position; LAST is its last level.
REMINDER, FIRST, SECOND, LAST = 0, 1, 2, -1

#: The letters each stage of an order has had, first to last.
HISTORIES = {
    "reminded": [REMINDER],
    "first_dunning": [REMINDER, FIRST],
    "second_dunning": [REMINDER, FIRST, SECOND],
    "final_dunning": [REMINDER, FIRST, SECOND, LAST],
    "collection": [REMINDER, FIRST, LAST],
    "missing_street": [FIRST, LAST],
    "foreign_currency": [FIRST, LAST],
    "deadline_running": [FIRST, LAST],
}


@dataclasses.dataclass
class History:
    """The letters one demo order got: levels and the day of the last one."""

    order: Order
    levels: list[int]
    last_sent: datetime.date
    #: The order's payments as (received on, amount), for the amount asked.
    payments: list[tuple[datetime.date, Decimal]]


def history_dates(history: History, levels) -> list[tuple[object, datetime.date]]:
    """Return each letter's level and day, as the schedule spaces them.

    Counted back from the last letter: each one went out the level's ``days``
    after the previous letter's deadline, and none before the due date.
    """
    chosen = []
    for number in history.levels:
        level = levels[number]
        if level not in chosen:
            chosen.append(level)
    dates = [history.last_sent]
    for earlier, later in zip(reversed(chosen[:-1]), reversed(chosen[1:])):
        gap = earlier.deadline_days + max(later.days, 1)
        dates.insert(0, dates[0] - datetime.timedelta(days=gap))
    first_day = history.order.due_date + datetime.timedelta(days=1)
    for index, day in enumerate(dates):
        earliest = first_day if index == 0 else dates[index - 1]
        dates[index] = max(day, earliest + datetime.timedelta(days=index and 1))
    return list(zip(chosen, dates))


def record_letters(
    histories: list[History], *, copies: bool = True, batch: int = 500
) -> int:
    """Render and record the letters of these orders; return how many.

    The shop's adapter gives each order's claim data, as for ``inkasso_remind``;
    the amount a letter asked is what was open on its day. ``copies=False``
    records them without rendering their text and PDF (for benchmarks).
    """
    if not histories:
        return 0
    levels = schedule.levels()
    language = app_settings.DUNNING_LANGUAGE
    by_pk = {history.order.pk: history for history in histories}
    claims = get_adapter().claims(
        Order.objects.filter(pk__in=list(by_pk)).order_by("pk"),
        today=max(history.last_sent for history in histories),
    )
    letters, count = [], 0
    for claim in claims:
        history = by_pk[claim.order_id]
        previous = []
        for level, sent_on in history_dates(history, levels):
            paid = sum(
                (amount for day, amount in history.payments if day <= sent_on),
                Decimal("0.00"),
            )
            data = dataclasses.replace(
                claim.data, open_amount=claim.data.invoice_total - paid
            )
            deadline = sent_on + datetime.timedelta(days=level.deadline_days)
            letters.append(
                sending.build_letter(
                    data,
                    order_id=claim.order_id,
                    level=level,
                    sent_on=sent_on,
                    deadline=deadline,
                    previous=previous,
                    channel=Letter.Channel.EMAIL if data.email else Letter.Channel.POST,
                    language=language,
                    status=Letter.Status.SENT,
                    label=claim.label,
                    copy=copies,
                )
            )
            previous = [*previous, (level.number, sent_on, deadline, level.fee)]
        if len(letters) >= batch:
            count += len(Letter.objects.bulk_create(letters))
            letters = []
    count += len(Letter.objects.bulk_create(letters))
    return count
