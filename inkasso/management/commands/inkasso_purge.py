import argparse
import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from inkasso import purge
from inkasso.conf import app_settings
from inkasso.management.base import FAILED, InkassoCommand


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date like 2026-01-31"
        ) from None


def counted(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Command(InkassoCommand):
    help = (
        "Delete the files and the debtors' personal data of handovers whose "
        "retention (INKASSO_RETENTION_YEARS) has ended; amounts, dates, invoice "
        "and file numbers stay. Exit status: 0 done, 2 could not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted; delete nothing.",
        )
        parser.add_argument(
            "--today",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="Count the retention from this day instead of today.",
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        years = app_settings.RETENTION_YEARS
        if not isinstance(years, int) or isinstance(years, bool) or years < 1:
            raise CommandError(
                "INKASSO_RETENTION_YEARS must be a whole number of years, 1 or more.",
                returncode=FAILED,
            )
        result = purge.purge(today=today or timezone.localdate(), dry_run=dry_run)
        if result.before is None:
            self.stderr.write(f"Nothing to purge: the retention is {years} years.")
            return
        before = f"{timezone.localtime(result.before):%Y-%m-%d}"
        if not result.handovers:
            self.stderr.write(f"Nothing to purge: no handover before {before}.")
            return
        what = (
            f"{counted(result.handovers, 'handover')} from before {before}: "
            f"{counted(result.file_parts, 'file part')} and the personal data of "
            f"{counted(result.claims, 'claim')}"
        )
        if dry_run:
            self.stderr.write(f"Dry run, nothing deleted. To purge: {what}.")
        else:
            self.stderr.write(f"Purged {what}.")
