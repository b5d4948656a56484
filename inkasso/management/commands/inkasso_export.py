import shlex
from collections.abc import Iterator

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inkasso import contract, selectors, services
from inkasso.management.base import FAILED, InkassoCommand, Refused, first_line
from inkasso.models import Handover


class Command(InkassoCommand):
    help = (
        "Hand over every order that is due for debt collection to mediafinanz and "
        "write the file. Exit status: 0 done, 1 some orders refused, 2 could not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help="Write the file here instead of to standard output.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only check the due orders and report; record nothing.",
        )
        parser.add_argument(
            "--handover",
            type=int,
            metavar="ID",
            help="Write the file of an earlier handover again, byte for byte.",
        )
        parser.add_argument(
            "--encoding",
            help="File encoding for this handover (default: INKASSO_ENCODING).",
        )

    def handle(
        self, *args, output=None, dry_run=False, handover=None, encoding=None, **options
    ):
        if handover is not None:
            self._write(self._recorded(handover), output, handover_id=handover)
            return
        if encoding and (problem := contract.encoding_problem(encoding)):
            raise CommandError(
                _("The file encoding %(encoding)r cannot be used: %(problem)s.")
                % {"encoding": encoding, "problem": problem},
                returncode=FAILED,
            )
        today = timezone.localdate()
        order_ids = selectors.due_order_ids(today=today)
        if not order_ids:
            self.stderr.write(_("No orders are due for handover."))
            return
        if dry_run:
            self._dry_run(order_ids, today=today, encoding=encoding)
            return
        try:
            with self.progress(len(order_ids), _("Handing over")) as update:
                result = services.hand_over(
                    order_ids=order_ids,
                    source=Handover.Source.COMMAND,
                    encoding=encoding,
                    today=today,
                    progress=update,
                )
        except (DatabaseError, InterfaceError) as exc:
            raise CommandError(
                _(
                    "The database failed during the handover (%(error)s); "
                    "nothing was handed over."
                )
                % {"error": first_line(exc)},
                returncode=FAILED,
            ) from exc
        refused = self._report(result.report)
        if result.handover:
            self.stderr.write(
                ngettext(
                    "Handover %(handover)s: %(count)d claim, %(size)d bytes, "
                    "sha256 %(sha256)s.",
                    "Handover %(handover)s: %(count)d claims, %(size)d bytes, "
                    "sha256 %(sha256)s.",
                    result.count,
                )
                % {
                    "handover": result.handover.pk,
                    "count": result.count,
                    "size": result.handover.file_size,
                    "sha256": result.handover.sha256,
                }
            )
            self._write(
                selectors.handover_file(result.handover),
                output,
                handover_id=result.handover.pk,
            )
        if refused:
            raise Refused(
                ngettext(
                    "%(refused)d of %(count)d due orders was refused.",
                    "%(refused)d of %(count)d due orders were refused.",
                    refused,
                )
                % {"refused": refused, "count": len(order_ids)}
            )

    def _recorded(self, pk):
        try:
            handover = Handover.objects.get(pk=pk)
        except Handover.DoesNotExist:
            raise CommandError(
                _("There is no handover %(handover)s.") % {"handover": pk},
                returncode=FAILED,
            ) from None
        if handover.purged_at:
            raise CommandError(
                _(
                    "The file of handover %(handover)s was deleted on %(date)s, "
                    "when its retention ended (INKASSO_RETENTION_YEARS); no copy "
                    "is kept."
                )
                % {"handover": pk, "date": f"{handover.purged_at:%Y-%m-%d}"},
                returncode=FAILED,
            )
        return selectors.handover_file(handover)

    def _dry_run(self, order_ids, *, today, encoding):
        with self.progress(len(order_ids), _("Checking")) as update:
            report = selectors.check_orders(
                order_ids=order_ids, today=today, encoding=encoding, progress=update
            )
        refused = self._report(report)
        self.stderr.write(
            ngettext(
                "Dry run: %(accepted)d order would be handed over, %(refused)d "
                "refused. Nothing was recorded.",
                "Dry run: %(accepted)d orders would be handed over, %(refused)d "
                "refused. Nothing was recorded.",
                report.accepted_count,
            )
            % {"accepted": report.accepted_count, "refused": refused}
        )
        if refused:
            raise Refused(
                ngettext(
                    "%(refused)d of %(count)d due orders would be refused.",
                    "%(refused)d of %(count)d due orders would be refused.",
                    refused,
                )
                % {"refused": refused, "count": len(order_ids)}
            )

    def _report(self, report):
        """List the refused orders and the warnings; return how many were refused.

        Orders refused only because another run handed them over after this
        one listed them as due are not this run's refusals: one line per
        handover says so, and they do not count.
        """
        for claim in report.refused:
            if claim.claimed_by is None:
                self.stderr.write(
                    _("Refused order %(order)s: %(reasons)s")
                    % {"order": claim.label, "reasons": " ".join(claim.errors)}
                )
        refused = report.refused_count - report.already_claimed.total()
        listed = sum(claim.claimed_by is None for claim in report.refused)
        if refused > listed:
            self.stderr.write(
                ngettext(
                    "... and %(count)d more order refused.",
                    "... and %(count)d more orders refused.",
                    refused - listed,
                )
                % {"count": refused - listed}
            )
        for handover, count in sorted(report.already_claimed.items()):
            self.stderr.write(
                ngettext(
                    "%(count)s order was handed over meanwhile by handover "
                    "%(handover)s.",
                    "%(count)s orders were handed over meanwhile by handover "
                    "%(handover)s.",
                    count,
                )
                % {
                    "count": number_format(count, force_grouping=True),
                    "handover": handover,
                }
            )
        for claim in report.warned:
            self.stderr.write(
                _("Warning for order %(order)s: %(warnings)s")
                % {"order": claim.label, "warnings": " ".join(claim.warnings)}
            )
        if more := report.warned_count - len(report.warned):
            self.stderr.write(
                ngettext(
                    "... and %(count)d more order with warnings.",
                    "... and %(count)d more orders with warnings.",
                    more,
                )
                % {"count": more}
            )
        return refused

    def _write(self, chunks: Iterator[bytes], output, *, handover_id):
        """Write a recorded file to ``output`` or standard output, whole or not at all.

        When that fails, the handover stays recorded: the message says so and
        gives the command that writes the file again.
        """
        to_stdout = output in (None, "-")
        try:
            self.write_output(chunks, output)
        except (OSError, DatabaseError, InterfaceError) as exc:
            reason = getattr(exc, "strerror", None) or first_line(exc)
            again = shlex.join(
                [
                    "python",
                    "manage.py",
                    "inkasso_export",
                    "--handover",
                    str(handover_id),
                ]
                + ["-o", f"handover-{handover_id}.csv" if to_stdout else output]
            )
            raise CommandError(
                _(
                    "Cannot write %(target)s (%(reason)s), but handover "
                    "%(handover)s is recorded; `%(again)s` writes it again."
                )
                % {
                    "target": _("standard output") if to_stdout else output,
                    "reason": reason,
                    "handover": handover_id,
                    "again": again,
                },
                returncode=FAILED,
            ) from exc
        finally:
            # Ends the query that reads the file parts now, while the database
            # connection is open, rather than at exit, where it cannot.
            chunks.close()
