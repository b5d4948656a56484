import argparse
import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inkasso import purge
from inkasso.conf import app_settings
from inkasso.management.base import FAILED, InkassoCommand


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a date like 2026-01-31") % {"value": value}
        ) from None


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
                _(
                    "INKASSO_RETENTION_YEARS must be a whole number of years, "
                    "1 or more."
                ),
                returncode=FAILED,
            )
        result = purge.purge(today=today or timezone.localdate(), dry_run=dry_run)
        if result.before is None:
            self.stderr.write(
                ngettext(
                    "Nothing to purge: the retention is %(years)d year.",
                    "Nothing to purge: the retention is %(years)d years.",
                    years,
                )
                % {"years": years}
            )
            return
        before = f"{timezone.localtime(result.before):%Y-%m-%d}"
        if not result.handovers:
            self.stderr.write(
                _("Nothing to purge: no handover before %(date)s.") % {"date": before}
            )
            return
        what = _(
            "%(handovers)s from before %(date)s: %(file_parts)s and the personal "
            "data of %(claims)s"
        ) % {
            "handovers": ngettext(
                "%(count)d handover", "%(count)d handovers", result.handovers
            )
            % {"count": result.handovers},
            "date": before,
            "file_parts": ngettext(
                "%(count)d file part", "%(count)d file parts", result.file_parts
            )
            % {"count": result.file_parts},
            "claims": ngettext("%(count)d claim", "%(count)d claims", result.claims)
            % {"count": result.claims},
        }
        if dry_run:
            self.stderr.write(
                _("Dry run, nothing deleted. To purge: %(what)s.") % {"what": what}
            )
        else:
            self.stderr.write(_("Purged %(what)s.") % {"what": what})
