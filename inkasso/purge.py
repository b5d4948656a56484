"""Delete the debtors' personal data once the handover's retention has ended.

A handover's file and its claims' lines name the debtors: names, addresses,
phone numbers, e-mail addresses and what they bought. The ledger is a
commercial record, kept for ``INKASSO_RETENTION_YEARS`` full years after the
end of the year of the handover, the way §257 HGB and §147 AO count. After
that the file is deleted and the claims keep only what is not personal: the
invoice number, amounts, dates, counts, file numbers, states, and the file's
size and SHA-256. Direct payments hold no personal data and stay as they are.
"""

import csv
import dataclasses
import datetime
import io
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import contract
from .conf import app_settings
from .models import Claim, Handover, HandoverFilePart
from .resources import contract_headers
from .selectors import batched

logger = logging.getLogger(__name__)

#: The columns a purged claim's line keeps; every other column is emptied.
KEPT_COLUMNS = frozenset(
    ["Rechnungsnr", "Forderungsbetrag", "Leistungsdatum", "Mahndatum", "Forderungstyp"]
)
#: Warning parameters that may hold the debtor's own text or address.
PERSONAL_PARAMS = frozenset(["changes", "reason", "country", "text"])
#: What a purged value reads as, in every language.
PURGED = "–"


@dataclasses.dataclass
class PurgeResult:
    """How many handovers, claims and file parts were (or would be) purged."""

    before: datetime.datetime | None
    handovers: int = 0
    claims: int = 0
    file_parts: int = 0


def retention_start(*, today: datetime.date) -> datetime.datetime | None:
    """Return when the oldest handover still within its retention may be made.

    A handover of 2015 is kept until the end of 2025 with ten years: from
    1 January 2026 on, everything before 1 January 2016 is purged. None when
    the retention reaches back before the calendar.
    """
    first_kept_year = today.year - app_settings.RETENTION_YEARS
    if first_kept_year <= datetime.MINYEAR:
        return None
    return timezone.make_aware(datetime.datetime(first_kept_year, 1, 1))


def handovers_to_purge(*, today: datetime.date) -> QuerySet:
    """Return the handovers past their retention that still hold personal data."""
    before = retention_start(today=today)
    if before is None:
        return Handover.objects.none()
    return Handover.objects.filter(purged_at__isnull=True, created_at__lt=before)


def purge(*, today: datetime.date, dry_run: bool = False) -> PurgeResult:
    """Purge every handover past its retention; with ``dry_run``, only count."""
    handovers = handovers_to_purge(today=today)
    result = PurgeResult(before=retention_start(today=today))
    if dry_run:
        result.handovers = handovers.count()
        result.claims = Claim.objects.filter(handover__in=handovers).count()
        result.file_parts = HandoverFilePart.objects.filter(
            handover__in=handovers
        ).count()
        return result
    for pk in handovers.order_by("pk").values_list("pk", flat=True):
        purged = purge_handover(pk)
        if purged is None:
            continue  # Another run purged it meanwhile.
        claims, file_parts = purged
        result.handovers += 1
        result.claims += claims
        result.file_parts += file_parts
    return result


def purge_handover(pk) -> tuple[int, int] | None:
    """Delete the file of one handover and the personal values of its claims.

    Return how many claims and file parts were purged, or None when the
    handover was purged already.
    """
    with transaction.atomic():
        handover = (
            Handover.objects.select_for_update().filter(pk=pk, purged_at=None).first()
        )
        if handover is None:
            return None
        file_parts = HandoverFilePart.objects.filter(handover=handover).delete()[0]
        claim_ids = list(handover.claims.order_by("pk").values_list("pk", flat=True))
        for chunk in batched(claim_ids, app_settings.CHUNK_SIZE):
            claims = list(
                Claim.objects.filter(pk__in=chunk)
                .order_by()
                .only("pk", "line", "warnings", "withdrawal_reason")
            )
            for claim in claims:
                purge_claim(claim)
            Claim.objects.bulk_update(claims, ["line", "warnings", "withdrawal_reason"])
        handover.purged_at = timezone.now()
        handover.save(update_fields=["purged_at"])
    # Ids and counts only: the log keeps no personal data either.
    logger.info(
        "Handover %s purged (claims: %d, file parts: %d).",
        pk,
        len(claim_ids),
        file_parts,
    )
    return len(claim_ids), file_parts


def purge_claim(claim: Claim) -> None:
    """Blank the personal values of a claim in place (it is not saved)."""
    claim.line = purged_line(claim.line)
    claim.warnings = [purged_warning(value) for value in claim.warnings]
    if claim.withdrawal_reason:
        claim.withdrawal_reason = PURGED


def purged_line(line: str) -> str:
    """Return the line with only the invoice number, amount, dates and type."""
    try:
        values = next(csv.reader([line], dialect=contract.HandoverDialect))
    except (csv.Error, StopIteration):
        return ""
    headers = contract_headers()
    if len(values) != len(headers):
        return ""
    kept = [
        value if header in KEPT_COLUMNS else ""
        for header, value in zip(headers, values, strict=True)
    ]
    text = io.StringIO()
    csv.writer(text, dialect=contract.HandoverDialect).writerow(kept)
    return text.getvalue().removesuffix(contract.HandoverDialect.lineterminator)


def purged_warning(value) -> dict:
    """Return a stored warning with its personal parameters replaced."""
    if not isinstance(value, dict):
        # Stored by an older version as a sentence, which may name anyone.
        return {"code": "legacy", "params": {"text": PURGED}}
    params = {
        name: PURGED if name in PERSONAL_PARAMS else param
        for name, param in value.get("params", {}).items()
    }
    return {**value, "params": params}
