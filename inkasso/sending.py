"""Send the letters that are due: render, record, then e-mail or print.

:func:`send_letters` is the one path that writes a letter. A letter is
recorded with its PDF before it goes out; an e-mailed letter is ``pending``
until the e-mail backend accepted it (:func:`inkasso.tasks.email_letters`), a
postal letter is ``sent`` when it is recorded for printing. Two runs on the
same day, or two at once, never send a letter twice: the orders are locked,
the ledger is read again under the lock, and the database allows one letter
per order and level that has not failed.
"""

import dataclasses
import datetime
import io
from collections.abc import Callable, Iterable

from django.contrib.messages import ERROR, SUCCESS, WARNING
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import formats, letters, schedule
from .conf import app_settings
from .dunning_models import Letter
from .exceptions import InkassoError
from .locking import lock_orders
from .reminders import NextLetter, next_letters
from .selectors import batched

__all__ = [
    "SendResult",
    "build_letter",
    "expire_stale_letters",
    "merged_pdf",
    "send_letters",
]


@dataclasses.dataclass
class SendResult:
    """What a run did: the letters recorded, and the orders that need a person."""

    keep: int = 1000
    letters: list[Letter] = dataclasses.field(default_factory=list)
    sent_count: int = 0
    failed_count: int = 0
    pending_count: int = 0
    refused: list[NextLetter] = dataclasses.field(default_factory=list)
    refused_count: int = 0
    #: Orders with nothing to send today (not yet due, deadline running, …).
    waiting: list[NextLetter] = dataclasses.field(default_factory=list)
    waiting_count: int = 0
    due: list[NextLetter] = dataclasses.field(default_factory=list)
    due_count: int = 0
    postal_ids: list[int] = dataclasses.field(default_factory=list)

    def add_next(self, item: NextLetter) -> None:
        if item.ok:
            self.due_count += 1
            if len(self.due) < self.keep:
                self.due.append(item)
        elif item.needs_attention:
            self.refused_count += 1
            if len(self.refused) < self.keep:
                self.refused.append(item)
        else:
            self.waiting_count += 1
            if len(self.waiting) < self.keep:
                self.waiting.append(item)

    @property
    def due_more(self) -> int:
        """Return how many due letters there are beyond those kept in ``due``."""
        return self.due_count - len(self.due)

    @property
    def refused_more(self) -> int:
        """Return how many refused orders there are beyond those in ``refused``."""
        return self.refused_count - len(self.refused)

    @property
    def waiting_more(self) -> int:
        """Return how many waiting orders there are beyond those in ``waiting``."""
        return self.waiting_count - len(self.waiting)

    def messages(self) -> list[tuple[int, str]]:
        """Say what was sent and which letter failed, for the clerk's pages."""
        sent = self.sent_count + self.pending_count
        said = []
        if sent:
            said.append(
                (
                    SUCCESS,
                    ngettext(
                        "%(count)d letter was sent.",
                        "%(count)d letters were sent.",
                        sent,
                    )
                    % {"count": sent},
                )
            )
        for letter in self.letters:
            if letter.status == Letter.Status.FAILED:
                said.append(
                    (
                        ERROR,
                        _(
                            "The letter to order %(order)s failed (%(reason)s); it "
                            "is sent again on the next run."
                        )
                        % {
                            "order": letter.order_label,
                            "reason": letter.failure_reason,
                        },
                    )
                )
        if not (sent or self.failed_count):
            said.append((WARNING, _("No letter was due.")))
        return said


def send_letters(
    order_ids: Iterable,
    *,
    today: datetime.date,
    user=None,
    channel: str | None = None,
    language: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> SendResult:
    """Send each of these orders the letter that is due today, if any."""
    if not (app_settings.CREDITOR or {}).get("name"):
        raise InkassoError(
            _("Set INKASSO_CREDITOR to the shop's name and address to send letters.")
        )
    language = language or app_settings.DUNNING_LANGUAGE
    result = SendResult()
    for chunk in next_letters(order_ids, today=today, channel=channel):
        for item in chunk:
            result.add_next(item)
        due = [item for item in chunk if item.ok]
        if due and not dry_run:
            recorded = _record(due, today=today, user=user, language=language)
            _deliver(recorded, result)
        if progress is not None:
            progress(len(chunk))
    return result


def _record(due: list[NextLetter], *, today, user, language) -> list[Letter]:
    # Rendering takes most of the time; it happens before the lock is taken.
    built = [
        build_letter(
            item.data,
            order_id=item.order_id,
            level=item.level,
            sent_on=today,
            deadline=item.deadline,
            previous=item.previous,
            channel=item.channel,
            language=language,
            user=user,
            label=item.label,
        )
        for item in due
    ]
    order_ids = [item.order_id for item in due]
    with transaction.atomic():
        # SQLite serialises writes; there the unique constraint decides.
        lock_orders(order_ids)
        expire_stale_letters(order_ids)
        # Another run may have sent since next_letters() read the ledger.
        taken = set(
            Letter.objects.filter(order_id__in=order_ids)
            .exclude(status=Letter.Status.FAILED)
            .values_list("order_id", "level")
        )
        new = [
            letter for letter in built if (letter.order_id, letter.level) not in taken
        ]
        try:
            with transaction.atomic():
                recorded = Letter.objects.bulk_create(new)
        except IntegrityError:
            # A run at the same moment recorded some first: keep the others.
            recorded = []
            for letter in new:
                try:
                    with transaction.atomic():
                        letter.save(force_insert=True)
                except IntegrityError:
                    continue
                recorded.append(letter)
    return recorded


def build_letter(
    data,
    *,
    order_id,
    level,
    sent_on: datetime.date,
    deadline: datetime.date,
    previous=(),
    channel: str,
    language: str,
    user=None,
    status: str | None = None,
    label: str = "",
    copy: bool = True,
) -> Letter:
    """Render one letter and return its ledger record, not saved yet.

    The one place where a letter's record is made: :func:`send_letters`, and
    whoever records a letter that went out on an earlier day (the demo shop's
    history), use it. A postal letter is ``sent`` once recorded, an e-mailed
    one ``pending`` until the backend accepted it, unless ``status`` says
    otherwise. ``copy=False`` records the letter without rendering it: no
    subject, text or PDF, as for the letters a shop sent before it used
    django-inkasso (the benchmark's 300,000 letters are recorded so).
    """
    rendered = letters.RenderedLetter(subject="", text="", html="", pdf=b"")
    if copy:
        rendered = letters.render_letter(
            data,
            level=level,
            sent_on=sent_on,
            deadline=deadline,
            previous=previous,
            language=language,
        )
    postal = channel == Letter.Channel.POST
    letter = Letter(
        order_id=order_id,
        level=level.number,
        is_mahnung=level.is_mahnung,
        sent_on=sent_on,
        deadline=deadline,
        fee=level.fee,
        amount=data.open_amount,
        channel=channel,
        email="" if postal else formats.clean_email(data.email, encoding="utf-8"),
        language=language,
        sent_by=user,
        subject=rendered.subject,
        text=rendered.text,
        # A letter without a copy went out before: there is nothing to e-mail.
        status=status
        or (Letter.Status.SENT if postal or not copy else Letter.Status.PENDING),
    )
    letter.set_pdf(rendered.pdf)
    letter.order_label = label or str(order_id)  # For the messages; not a field.
    return letter


def expire_stale_letters(order_ids: Iterable) -> int:
    """Record the letters of these orders that hang in ``pending`` as failed.

    A letter is pending from its record until the e-mail backend accepted it.
    One pending for longer than ``INKASSO_DUNNING_PENDING_TIMEOUT`` was left
    by a worker that died: it is failed, so that this run sends the order its
    letter again. A worker that is still sending holds the letter's row lock
    (:func:`inkasso.tasks.email_letters`); where the database has row locks,
    such a letter is skipped here however long it takes, so that no letter
    goes out twice. Return how many letters were failed.
    """
    stale = Letter.objects.filter(
        order_id__in=list(order_ids),
        status=Letter.Status.PENDING,
        created_at__lt=schedule.stale_before(),
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(
                # Ordered by key: the model's ordering joins the orders, whose
                # rows FOR UPDATE would lock (and skip) as well.
                stale.order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            if not ids:
                return 0
            stale = Letter.objects.filter(pk__in=ids, status=Letter.Status.PENDING)
        minutes = app_settings.DUNNING_PENDING_TIMEOUT // 60
        return stale.update(
            status=Letter.Status.FAILED,
            failure_reason=(
                f"Still being sent after {minutes} minutes: the worker that "
                "sent it stopped. Sent again by this run."
            ),
        )


def _deliver(recorded: list[Letter], result: SendResult) -> None:
    from .tasks import email_letters

    emails = []
    for letter in recorded:
        if letter.channel == Letter.Channel.POST:
            result.postal_ids.append(letter.pk)
        else:
            emails.append(letter.pk)
    if emails:
        email_letters.enqueue(emails)
    outcome = {
        pk: (status, reason)
        for pk, status, reason in Letter.objects.filter(
            pk__in=[letter.pk for letter in recorded]
        ).values_list("pk", "status", "failure_reason")
    }
    for letter in recorded:
        letter.status, letter.failure_reason = outcome[letter.pk]
        if letter.status == Letter.Status.SENT:
            result.sent_count += 1
        elif letter.status == Letter.Status.FAILED:
            result.failed_count += 1
        else:
            result.pending_count += 1
        if len(result.letters) < result.keep:
            result.letters.append(letter)


def merged_pdf(letter_ids: Iterable[int]) -> bytes:
    """Return these letters' recorded PDFs as one printable file, in order."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for chunk in batched(letter_ids, 500):
        pdfs = dict(Letter.objects.filter(pk__in=chunk).values_list("pk", "pdf"))
        for pk in chunk:
            writer.append(io.BytesIO(bytes(pdfs[pk])))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
