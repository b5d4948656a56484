import shlex
from collections.abc import Iterator

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError
from django.utils import timezone

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
                f"The file encoding {encoding!r} cannot be used: {problem}.",
                returncode=FAILED,
            )
        today = timezone.localdate()
        order_ids = selectors.due_order_ids(today=today)
        if not order_ids:
            self.stderr.write("No orders are due for handover.")
            return
        if dry_run:
            self._dry_run(order_ids, today=today, encoding=encoding)
            return
        try:
            with self.progress(len(order_ids), "Handing over") as update:
                result = services.hand_over(
                    order_ids=order_ids,
                    source=Handover.Source.COMMAND,
                    encoding=encoding,
                    today=today,
                    progress=update,
                )
        except (DatabaseError, InterfaceError) as exc:
            raise CommandError(
                f"The database failed during the handover ({first_line(exc)}); "
                "nothing was handed over.",
                returncode=FAILED,
            ) from exc
        refused = self._report(result.report)
        if result.handover:
            self.stderr.write(
                f"Handover {result.handover.pk}: {result.count} claims, "
                f"{result.handover.file_size} bytes, sha256 {result.handover.sha256}."
            )
            self._write(
                selectors.handover_file(result.handover),
                output,
                handover_id=result.handover.pk,
            )
        if refused:
            raise Refused(f"{refused} of {len(order_ids)} due orders were refused.")

    def _recorded(self, pk):
        try:
            handover = Handover.objects.get(pk=pk)
        except Handover.DoesNotExist:
            raise CommandError(
                f"There is no handover {pk}.", returncode=FAILED
            ) from None
        if handover.purged_at:
            raise CommandError(
                f"The file of handover {pk} was deleted on "
                f"{handover.purged_at:%Y-%m-%d}, when its retention ended "
                "(INKASSO_RETENTION_YEARS); no copy is kept.",
                returncode=FAILED,
            )
        return selectors.handover_file(handover)

    def _dry_run(self, order_ids, *, today, encoding):
        with self.progress(len(order_ids), "Checking") as update:
            report = selectors.check_orders(
                order_ids=order_ids, today=today, encoding=encoding, progress=update
            )
        refused = self._report(report)
        self.stderr.write(
            f"Dry run: {report.accepted_count} orders would be handed over, "
            f"{refused} refused. Nothing was recorded."
        )
        if refused:
            raise Refused(f"{refused} of {len(order_ids)} due orders would be refused.")

    def _report(self, report):
        """List the refused orders and the warnings; return how many were refused.

        Orders refused only because another run handed them over after this
        one listed them as due are not this run's refusals: one line per
        handover says so, and they do not count.
        """
        for claim in report.refused:
            if claim.claimed_by is None:
                self.stderr.write(
                    f"Refused order {claim.label}: {' '.join(claim.errors)}"
                )
        refused = report.refused_count - report.already_claimed.total()
        listed = sum(claim.claimed_by is None for claim in report.refused)
        if refused > listed:
            self.stderr.write(f"... and {refused - listed} more orders refused.")
        for handover, count in sorted(report.already_claimed.items()):
            orders = "1 order was" if count == 1 else f"{count:,} orders were"
            self.stderr.write(f"{orders} handed over meanwhile by handover {handover}.")
        for claim in report.warned:
            self.stderr.write(
                f"Warning for order {claim.label}: {' '.join(claim.warnings)}"
            )
        if more := report.warned_count - len(report.warned):
            self.stderr.write(f"... and {more} more orders with warnings.")
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
                f"Cannot write {'standard output' if to_stdout else output} "
                f"({reason}), but handover {handover_id} is recorded; "
                f"`{again}` writes it again.",
                returncode=FAILED,
            ) from exc
        finally:
            # Ends the query that reads the file parts now, while the database
            # connection is open, rather than at exit, where it cannot.
            chunks.close()
