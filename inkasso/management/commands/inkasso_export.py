import contextlib
import io
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inkasso import selectors, services
from inkasso.models import Handover


class Command(BaseCommand):
    help = (
        "Hand over every order that is due for debt collection to mediafinanz and "
        "write the file. Exits with status 1 when orders were refused."
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
            self._write(self._recorded(handover), output)
            return
        today = timezone.localdate()
        order_ids = selectors.due_order_ids(today=today)
        if not order_ids:
            self.stderr.write("No orders are due for handover.")
            return
        if dry_run:
            self._dry_run(order_ids, today=today, encoding=encoding)
            return
        try:
            with self._progress(len(order_ids), "Handing over") as update:
                result = services.hand_over(
                    order_ids=order_ids,
                    source=Handover.Source.COMMAND,
                    encoding=encoding,
                    today=today,
                    progress=update,
                )
        except services.InkassoError as exc:
            raise CommandError(str(exc)) from exc
        self._report(result.report)
        if result.handover:
            self.stderr.write(
                f"Handover {result.handover.pk}: {result.count} claims, "
                f"{result.handover.file_size} bytes, sha256 {result.handover.sha256}."
            )
            try:
                self._write(selectors.handover_file(result.handover), output)
            except CommandError as exc:
                raise CommandError(
                    f"{exc} The handover is recorded; write it again with "
                    f"--handover {result.handover.pk}."
                ) from exc
        if result.report.refused_count:
            raise CommandError(
                f"{result.report.refused_count} of {len(order_ids)} due orders "
                "were refused."
            )

    def _recorded(self, pk):
        try:
            handover = Handover.objects.get(pk=pk)
        except Handover.DoesNotExist:
            raise CommandError(f"There is no handover {pk}.") from None
        return selectors.handover_file(handover)

    def _dry_run(self, order_ids, *, today, encoding):
        with self._progress(len(order_ids), "Checking") as update:
            report = selectors.check_orders(
                order_ids=order_ids, today=today, encoding=encoding, progress=update
            )
        self._report(report)
        self.stderr.write(
            f"Dry run: {report.accepted_count} orders would be handed over, "
            f"{report.refused_count} refused. Nothing was recorded."
        )

    @contextlib.contextmanager
    def _progress(self, total, description):
        """Yield a function that advances a progress bar on a terminal, or None.

        The bar goes to standard error and only when that is a terminal: in
        cron, in pipes and in logs the command stays quiet. It needs the
        optional ``tqdm`` package (``pip install django-inkasso[progress]``).
        """
        if not self.stderr.isatty():
            yield None
            return
        try:
            from tqdm import tqdm
        except ImportError:
            yield None
            return
        with tqdm(
            total=total,
            desc=description,
            unit=" orders",
            file=self.stderr._out,
            leave=False,
            dynamic_ncols=True,
            # Updates come once per chunk of orders, rarely enough to draw each.
            mininterval=0,
            miniters=1,
        ) as bar:
            yield bar.update

    def _report(self, report):
        for claim in report.refused:
            self.stderr.write(f"Refused order {claim.label}: {' '.join(claim.errors)}")
        if report.refused_more:
            self.stderr.write(f"... and {report.refused_more} more orders refused.")
        for claim in report.warned:
            self.stderr.write(
                f"Warning for order {claim.label}: {' '.join(claim.warnings)}"
            )
        if more := report.warned_count - len(report.warned):
            self.stderr.write(f"... and {more} more orders with warnings.")

    def _write(self, chunks, output):
        if output in (None, "-"):
            stream = getattr(self.stdout, "_out", sys.stdout)
            # The file is bytes in its own encoding: write them untouched.
            target = stream if isinstance(stream, io.BufferedIOBase) else stream.buffer
            for data in chunks:
                target.write(data)
            target.flush()
            return
        try:
            with open(output, "wb") as file:
                for data in chunks:
                    file.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
