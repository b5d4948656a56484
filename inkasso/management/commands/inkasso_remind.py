import argparse
import datetime

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError
from django.utils import timezone

from inkasso import contract, reminders, sending
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
                len(order_ids), "Checking" if dry_run else "Sending"
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
                f"{result.refused_count} of {len(order_ids)} orders need a letter "
                "that could not be sent."
            )

    def _report(self, result, *, dry_run):
        if dry_run:
            for item in result.due:
                self.stderr.write(
                    f"Order {item.label}: {item.level.name} by {item.channel}, "
                    f"deadline {contract.format_date(item.deadline)}."
                )
        for letter in result.letters:
            where = letter.email or "post"
            line = f"Order {letter.order_label}: {letter.level_name} to {where}"
            if letter.status == letter.Status.FAILED:
                line += f" failed ({letter.failure_reason}); tried again next run."
            elif letter.status == letter.Status.PENDING:
                line += " queued."
            else:
                line += f", deadline {contract.format_date(letter.deadline)}."
            self.stderr.write(line)
        shown = len(result.due) if dry_run else len(result.letters)
        if more := result.due_count - shown:
            self.stderr.write(f"... and {more} more letters.")
        for item in result.refused:
            self.stderr.write(f"Refused order {item.label}: {' '.join(item.reasons)}")
        if more := result.refused_count - len(result.refused):
            self.stderr.write(f"... and {more} more orders refused.")
        if dry_run:
            self.stderr.write(
                f"Dry run: {result.due_count} letters would be sent, "
                f"{result.refused_count} refused, {result.waiting_count} orders "
                "have nothing due today. Nothing was recorded."
            )
        else:
            self.stderr.write(
                f"{result.sent_count} letters sent, {result.pending_count} queued, "
                f"{result.failed_count} failed, {result.refused_count} refused, "
                f"{result.waiting_count} orders have nothing due today."
            )

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
            letters = f"{count} postal letters are"
            if count == 1:
                letters = "1 postal letter is"
            raise CommandError(
                f"Cannot write {'standard output' if to_stdout else output} "
                f"({reason}), but {letters} recorded as sent; the admin's "
                "dunning letters have each one's PDF.",
                returncode=FAILED,
            ) from exc


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date like 2026-12-01."
        ) from None
