"""Writes to the handover ledger. The only place a handover file is made."""

import codecs
import contextlib
import csv
import dataclasses
import datetime
import gc
import hashlib
import io
import itertools
import logging
from collections.abc import Callable, Iterable, Sequence

from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from .adapters import get_adapter, get_order_model
from .claims import PreparedClaim
from .conf import app_settings
from .expressions import KeyList
from .formats import HandoverDialect, encoding_problem
from .models import Claim, DirectPayment, Handover, HandoverFilePart
from .resources import get_resource
from .selectors import batched, prepared_claims

logger = logging.getLogger(__name__)

PART_SIZE = 1 << 20


class HandoverError(Exception):
    """A handover that could not be recorded; nothing was changed."""


@dataclasses.dataclass
class HandoverResult:
    """What a handover did.

    ``refused`` and ``warned`` name the orders with their errors or warnings;
    their rows are left out (``values`` is empty): the accepted ones are in
    the ledger and the file, and keeping them here would make the memory of a
    handover grow with its size.
    """

    handover: Handover | None
    refused: list[PreparedClaim]
    warned: list[PreparedClaim]

    @property
    def count(self) -> int:
        return self.handover.row_count if self.handover else 0


class _FileWriter:
    """Write CSV rows into a handover's file parts, hashing as it goes."""

    def __init__(self, handover: Handover, encoding: str):
        self.handover = handover
        self.encoder = codecs.getincrementalencoder(encoding)()
        self.text = io.StringIO()
        self.csv = csv.writer(self.text, dialect=HandoverDialect)
        self.pending = bytearray()
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.index = 0

    def writerows(self, rows: Iterable[Sequence[str]]) -> list[str]:
        """Write rows to the file; return each one's line, without its line end."""
        # writerow() returns how many characters it wrote: where each line ends.
        ends = list(itertools.accumulate(map(self.csv.writerow, rows), initial=0))
        text = self.text.getvalue()
        cut = len(HandoverDialect.lineterminator)
        lines = [text[start : end - cut] for start, end in itertools.pairwise(ends)]
        self._encode(text, final=False)
        if len(self.pending) >= PART_SIZE:
            self._save_part()
        return lines

    def close(self) -> None:
        self._encode("", final=True)
        if self.pending:
            self._save_part()

    def _encode(self, text: str, *, final: bool) -> None:
        data = self.encoder.encode(text, final)
        self.text.seek(0)
        self.text.truncate()
        self.pending += data
        self.sha256.update(data)
        self.size += len(data)

    def _save_part(self) -> None:
        HandoverFilePart.objects.create(
            handover=self.handover, index=self.index, data=bytes(self.pending)
        )
        self.index += 1
        self.pending.clear()


class _ClaimWriter:
    """Insert a handover's claims a chunk at a time: one statement, run per row.

    ``bulk_create`` compiles a placeholder for every value and, on SQLite,
    splits a chunk into batches of 999 variables, so its query count grows
    with the chunk, and it needs a model instance per claim. Here the INSERT is
    compiled once, the columns that are the same for every claim (the handover
    and the defaults) are prepared once, and the others a column at a time:
    the order and the amount by their field's ``get_db_prep_save`` as
    ``bulk_create`` would, the warnings only where there are any. The rows go
    to the DB-API's ``executemany``, or to a COPY on PostgreSQL: one query per
    chunk on every database.
    """

    def __init__(self, handover: Handover):
        opts = Claim._meta
        fields = [
            field
            for field in opts.concrete_fields
            if not field.generated and field is not opts.auto_field
        ]
        self.using = router.db_for_write(Claim)
        self.connection = connections[self.using]
        query = InsertQuery(Claim)
        query.insert_values(fields, [Claim(handover=handover)])
        compiler = query.get_compiler(using=self.using)
        [(self.statement, constants)] = compiler.as_sql()
        self.columns = [
            (field.attname, constant)
            for field, constant in zip(fields, constants, strict=True)
        ]
        self.copy = None
        if self.connection.vendor == "postgresql":
            from django.db.backends.postgresql.psycopg_any import is_psycopg3

            if is_psycopg3:
                quote = self.connection.ops.quote_name
                self.copy = "COPY {} ({}) FROM STDIN".format(
                    quote(opts.db_table),
                    ", ".join(quote(field.column) for field in fields),
                )
        self.prepare_order = opts.get_field("order").get_db_prep_save
        self.prepare_amount = opts.get_field("amount").get_db_prep_save
        self.prepare_warnings = opts.get_field("warnings").get_db_prep_save
        self.no_warnings = dict(self.columns)["warnings"]

    def insert(self, claims: list[tuple[int, PreparedClaim, str]]) -> None:
        """Insert ``(row number, prepared claim, line in the file)`` triples."""
        connection = self.connection
        numbers, prepared, lines = zip(*claims, strict=True)
        per_claim = {
            "order_id": [
                self.prepare_order(claim.order_id, connection) for claim in prepared
            ],
            "row_number": numbers,
            "invoice_number": [claim.invoice_number for claim in prepared],
            "amount": [
                self.prepare_amount(claim.amount, connection) for claim in prepared
            ],
            "line": lines,
            "warnings": [
                self.prepare_warnings(claim.warnings, connection)
                if claim.warnings
                else self.no_warnings
                for claim in prepared
            ],
        }
        columns = [
            per_claim[name] if name in per_claim else itertools.repeat(constant)
            for name, constant in self.columns
        ]
        rows = list(zip(*columns))
        with connection.cursor() as cursor:
            if self.copy:
                self._copy(cursor, rows)
            else:
                cursor.executemany(self.statement, rows)

    def _copy(self, cursor, rows: list[tuple]) -> None:
        # On PostgreSQL, COPY takes a chunk four times as fast as executemany,
        # which sends one INSERT per row (100,000 claims: 2.5 s -> 0.6 s).
        # Django's cursor logs and translates the errors of execute() and
        # executemany() only; here the same is done for the COPY.
        debug_sql = getattr(cursor, "debug_sql", None)
        logged = (
            debug_sql(self.copy, rows, many=True)
            if debug_sql
            else contextlib.nullcontext()
        )
        with (
            logged,
            self.connection.wrap_database_errors,
            cursor.cursor.copy(self.copy) as copy,
        ):
            for row in rows:
                copy.write_row(row)


@contextlib.contextmanager
def _collector_skips_existing_objects():
    """Let full garbage collections skip the objects that existed before.

    A handover of 100,000 orders triggers about twenty full collections; each
    walks every object of the process (Django, the project) to find nothing,
    a sixth of the handover's time and more the larger it is. ``gc.freeze()``
    moves the existing objects out of the collector's way until the handover
    is done; objects made during it are collected as usual, so an adapter's
    reference cycles are still freed. A process that froze objects itself (a
    pre-forking server that shares them with its workers) is left alone.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _lock_orders(order_ids: list) -> None:
    # Two clerks (or a clerk and cron) handing over the same orders: the second
    # waits here until the first commits, then sees its claims and refuses.
    # Locking in pk order keeps concurrent handovers free of deadlocks.
    if not connection.features.has_select_for_update:
        return
    model = get_order_model()
    for chunk in batched(order_ids, app_settings.CHUNK_SIZE):
        list(
            model._default_manager.filter(pk__in=KeyList(chunk, model._meta.pk))
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )


def hand_over(
    *,
    order_ids: Iterable,
    source: str,
    user=None,
    encoding: str | None = None,
    header_row: bool | None = None,
    today: datetime.date | None = None,
    progress: Callable[[int], object] | None = None,
) -> HandoverResult:
    """Check the orders, write the file and record the handover, all or nothing.

    Refused orders are left as they are and returned with their reasons; the
    others become claims in one new :class:`Handover`, and the shop marks them
    as handed over. If none is accepted, nothing is recorded. ``progress``, if
    given, is called with the number of orders done after each chunk.
    """
    today = today or timezone.localdate()
    encoding = encoding or app_settings.ENCODING
    header_row = app_settings.HEADER_ROW if header_row is None else header_row
    if problem := encoding_problem(encoding):
        raise HandoverError(
            _("The file encoding %(encoding)r cannot be used: %(problem)s.")
            % {"encoding": encoding, "problem": problem}
        )
    order_ids = sorted(set(order_ids))
    adapter = get_adapter()
    refused, warned = [], []
    try:
        with _collector_skips_existing_objects(), transaction.atomic():
            _lock_orders(order_ids)
            handover = Handover.objects.create(
                created_by=user, source=source, encoding=encoding, header_row=header_row
            )
            writer = _FileWriter(handover, encoding)
            ledger = _ClaimWriter(handover)
            if header_row:
                writer.writerows([get_resource().get_export_headers()])
            row_number = 0
            for chunk in prepared_claims(
                order_ids=order_ids, today=today, encoding=encoding
            ):
                accepted = []
                for claim in chunk:
                    if not claim.ok:
                        refused.append(dataclasses.replace(claim, values=[]))
                        continue
                    if claim.warnings:
                        warned.append(dataclasses.replace(claim, values=[]))
                    row_number += 1
                    accepted.append((row_number, claim))
                if accepted:
                    lines = writer.writerows(claim.values for _row, claim in accepted)
                    ledger.insert(
                        [
                            (row, claim, line)
                            for (row, claim), line in zip(accepted, lines, strict=True)
                        ]
                    )
                    adapter.mark_handed_over(
                        [claim.order_id for _row, claim in accepted]
                    )
                if progress is not None:
                    progress(len(chunk))
            if not row_number:
                transaction.set_rollback(True)
                return HandoverResult(handover=None, refused=refused, warned=[])
            writer.close()
            handover.row_count = row_number
            handover.file_size = writer.size
            handover.sha256 = writer.sha256.hexdigest()
            handover.save(update_fields=["row_count", "file_size", "sha256"])
    except IntegrityError as exc:
        raise HandoverError(
            _(
                "Another handover of some of these orders was recorded at the "
                "same time. Nothing was handed over; please check the orders again."
            )
        ) from exc
    logger.info(
        "Handover %s recorded: %d claims, %d orders refused (source %s).",
        handover.pk,
        row_number,
        len(refused),
        source,
    )
    return HandoverResult(handover=handover, refused=refused, warned=warned)


def withdraw_claim(*, claim: Claim, user, reason: str) -> Claim:
    """Withdraw a claim from mediafinanz; the order may then be handed over again."""
    reason = reason.strip()
    if not reason:
        raise HandoverError(_("Say why the claim is withdrawn."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.state == Claim.State.WITHDRAWN:
            raise HandoverError(
                _("The claim %(claim)s is already withdrawn.") % {"claim": claim}
            )
        claim.state = Claim.State.WITHDRAWN
        claim.withdrawn_at = timezone.now()
        claim.withdrawn_by = user
        claim.withdrawal_reason = reason
        claim.save(
            update_fields=["state", "withdrawn_at", "withdrawn_by", "withdrawal_reason"]
        )
        get_adapter().mark_withdrawn(claim.order)
    logger.info("Claim %s withdrawn.", claim.pk)
    return claim


def record_file_number(*, claim: Claim, file_number: str, user) -> Claim:
    """Record the mediafinanz file number (Aktenzeichen) of a claim."""
    claim.file_number = file_number.strip()
    claim.full_clean(validate_unique=False, validate_constraints=False)
    claim.file_number_recorded_at = timezone.now()
    claim.file_number_recorded_by = user
    claim.save(
        update_fields=[
            "file_number",
            "file_number_recorded_at",
            "file_number_recorded_by",
        ]
    )
    return claim


def record_direct_payment(
    *, claim: Claim, amount, received_on: datetime.date, user
) -> DirectPayment:
    """Record that the debtor paid the shop directly, to report it to mediafinanz."""
    if amount <= 0:
        raise HandoverError(_("A direct payment must be above zero."))
    return DirectPayment.objects.create(
        claim=claim, amount=amount, received_on=received_on, recorded_by=user
    )


def mark_direct_payments_reported(*, payments: Iterable[DirectPayment], user) -> int:
    """Record who reported these direct payments to mediafinanz, and when.

    Return how many were newly marked; a payment reported before keeps its
    first date and reporter.
    """
    return DirectPayment.objects.filter(
        pk__in=[payment.pk for payment in payments], reported_at__isnull=True
    ).update(reported_at=timezone.now(), reported_by=user)
