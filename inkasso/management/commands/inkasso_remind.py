import argparse
import datetime

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inkasso import contract, reminders, sending
from inkasso.dunning_models import Letter
from inkasso.exceptions import InkassoError
from inkasso.management.base import FAILED, InkassoCommand, Refused, first_line


class Command(InkassoCommand):
    help = (
        "Send every payment reminder and Mahnung that is due today; write the "
        "postal letters into one printable PDF. Exits with status 1 when orders "
        "need a person (no e-mail address, other currency, …), 2 when it could "
        "not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help="Write the postal letters' PDF here instead of to standard output.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say which letters are due; send and record nothing.",
        )
        parser.add_argument(
            "--today",
            type=_date,
            metavar="YYYY-MM-DD",
            help="The day to send for (default: today).",
        )
        parser.add_argument(
            "--channel",
            choices=["email", "post"],
            help="Send by e-mail or by post (default: INKASSO_DUNNING_CHANNEL).",
        )
        parser.add_argument(
            "--language",
            help="The letters' language (default: INKASSO_DUNNING_LANGUAGE).",
        )

    def handle(
        self,
        *args,
        output=None,
        dry_run=False,
        today=None,
        channel=None,
        language=None,
        **options,
    ):
        today = today or timezone.localdate()
        order_ids = reminders.reminder_order_ids(today=today)
        try:
            with self.progress(
                len(order_ids), _("Checking") if dry_run else _("Sending")
            ) as update:
                result = sending.send_letters(
                    order_ids,
                    today=today,
                    channel=channel,
                    language=language,
                    dry_run=dry_run,
                    progress=update,
                )
        except InkassoError as exc:
            raise CommandError(str(exc), returncode=FAILED) from exc
        self._report(result, dry_run=dry_run)
        if result.postal_ids:
            self._write(
                sending.merged_pdf(result.postal_ids),
                output,
                count=len(result.postal_ids),
            )
        if result.refused_count:
            raise Refused(
                ngettext(
                    "%(refused)d of %(count)d orders needs a letter that could not "
                    "be sent.",
                    "%(refused)d of %(count)d orders need a letter that could not "
                    "be sent.",
                    result.refused_count,
                )
                % {"refused": result.refused_count, "count": len(order_ids)}
            )

    def _report(self, result, *, dry_run):
        if dry_run:
            for item in result.due:
                self.stderr.write(
                    _("Order %(order)s: %(letter)s %(recipient)s, deadline %(date)s.")
                    % {
                        "order": item.label,
                        "letter": item.level.name,
                        "recipient": _("by post")
                        if item.channel == Letter.Channel.POST
                        else _("by e-mail"),
                        "date": contract.format_date(item.deadline),
                    }
                )
        for letter in result.letters:
            values = {
                "order": letter.order_label,
                "letter": letter.level_name,
                "recipient": _("to %(email)s") % {"email": letter.email}
                if letter.email
                else _("by post"),
                "reason": letter.failure_reason,
                "date": contract.format_date(letter.deadline),
            }
            if letter.status == letter.Status.FAILED:
                line = _(
                    "Order %(order)s: %(letter)s %(recipient)s failed (%(reason)s); "
                    "tried again next run."
                )
            elif letter.status == letter.Status.PENDING:
                line = _("Order %(order)s: %(letter)s %(recipient)s queued.")
            else:
                line = _(
                    "Order %(order)s: %(letter)s %(recipient)s, deadline %(date)s."
                )
            self.stderr.write(line % values)
        shown = len(result.due) if dry_run else len(result.letters)
        if more := result.due_count - shown:
            self.stderr.write(
                ngettext(
                    "... and %(count)d more letter.",
                    "... and %(count)d more letters.",
                    more,
                )
                % {"count": more}
            )
        for item in result.refused:
            self.stderr.write(
                _("Refused order %(order)s: %(reasons)s")
                % {"order": item.label, "reasons": " ".join(item.reasons)}
            )
        if more := result.refused_more:
            self.stderr.write(
                ngettext(
                    "... and %(count)d more order refused.",
                    "... and %(count)d more orders refused.",
                    more,
                )
                % {"count": more}
            )
        counts = {
            "letters": result.due_count if dry_run else result.sent_count,
            "pending": result.pending_count,
            "failed": result.failed_count,
            "refused": result.refused_count,
            "waiting": result.waiting_count,
        }
        if dry_run:
            line = ngettext(
                "Dry run: %(letters)d letter would be sent, %(refused)d refused, "
                "%(waiting)d with nothing due today. Nothing was recorded.",
                "Dry run: %(letters)d letters would be sent, %(refused)d refused, "
                "%(waiting)d with nothing due today. Nothing was recorded.",
                counts["letters"],
            )
        else:
            line = ngettext(
                "%(letters)d letter sent, %(pending)d queued, %(failed)d failed, "
                "%(refused)d refused, %(waiting)d with nothing due today.",
                "%(letters)d letters sent, %(pending)d queued, %(failed)d failed, "
                "%(refused)d refused, %(waiting)d with nothing due today.",
                counts["letters"],
            )
        self.stderr.write(line % counts)

    def _write(self, data: bytes, output, *, count: int):
        """Write the postal letters' PDF, whole or not at all.

        The letters are recorded as sent when they are; when the file cannot
        be written, the message says so and where to get them again.
        """
        to_stdout = output in (None, "-")
        try:
            self.write_output([data], output)
        except (OSError, DatabaseError, InterfaceError) as exc:
            reason = getattr(exc, "strerror", None) or first_line(exc)
            raise CommandError(
                ngettext(
                    "Cannot write %(target)s (%(reason)s), but %(count)d postal "
                    "letter is recorded as sent; the admin's dunning letters have "
                    "each one's PDF.",
                    "Cannot write %(target)s (%(reason)s), but %(count)d postal "
                    "letters are recorded as sent; the admin's dunning letters "
                    "have each one's PDF.",
                    count,
                )
                % {
                    "target": _("standard output") if to_stdout else output,
                    "reason": reason,
                    "count": count,
                },
                returncode=FAILED,
            ) from exc


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a date like 2026-12-01.") % {"value": value}
        ) from None
