"""Writes to the handover ledger. The only place a handover file is made.

Each service checks its own preconditions and raises an
:class:`~inkasso.exceptions.InkassoError` when a rule refuses; the admin and
the commands turn it into a message. The file's bytes are written by
:mod:`inkasso.file_parts`, and the waiting for locks is :mod:`inkasso.locking`'s.
"""

import codecs
import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import contract, validators
from .adapters import get_adapter, get_order_model
from .conf import app_settings
from .exceptions import ClaimError, DatabaseBusy, HandoverError, InkassoError
from .file_parts import FileWriter
from .locking import HANDOVER_BUSY, LEDGER_BUSY, ledger_transaction, lock_orders
from .models import Claim, DirectPayment, Handover
from .resources import get_resource
from .selectors import CheckedClaim, CheckReport, checked_claims

__all__ = [
    "ClaimError",
    "DatabaseBusy",
    "HandoverError",
    "HandoverResult",
    "InkassoError",
    "hand_over",
    "mark_direct_payments_reported",
    "record_direct_payment",
    "record_file_number",
    "withdraw_claim",
]

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class HandoverResult:
    """What a handover did: the new handover (or None) and the tally of orders."""

    handover: Handover | None
    report: CheckReport

    @property
    def count(self) -> int:
        return self.handover.row_count if self.handover else 0

    @property
    def refused(self) -> list[CheckedClaim]:
        return self.report.refused

    @property
    def warned(self) -> list[CheckedClaim]:
        return self.report.warned


def hand_over(
    *,
    order_ids: Iterable,
    source: str,
    user=None,
    encoding: str | None = None,
    header_row: bool | None = None,
    today: datetime.date | None = None,
    progress: Callable[[int], object] | None = None,
    withdrawn_chosen: Iterable = (),
) -> HandoverResult:
    """Check the orders, write the file and record the handover, all or nothing.

    An order whose claim was withdrawn is handed over again only if it is in
    ``withdrawn_chosen``: a clerk chose it after seeing the withdrawal.
    Refused orders are left as they are and counted in the result with their
    reasons; the others become claims in one new :class:`Handover`, and the
    shop marks them as handed over. If none is accepted, nothing is recorded.
    ``progress``, if given, is called with the number of orders done after
    each chunk.
    """
    today = today or timezone.localdate()
    encoding = encoding or app_settings.ENCODING
    header_row = app_settings.HEADER_ROW if header_row is None else header_row
    if problem := contract.encoding_problem(encoding):
        raise HandoverError(
            _("The file encoding %(encoding)r cannot be used: %(problem)s.")
            % {"encoding": encoding, "problem": problem}
        )
    encoding = codecs.lookup(encoding).name  # "UTF8" and "utf_8" are "utf-8"
    model = get_order_model()
    order_ids = sorted(set(map(model._meta.pk.to_python, order_ids)))
    adapter = get_adapter()
    report = CheckReport()
    try:
        with ledger_transaction(HANDOVER_BUSY):
            lock_orders(order_ids)
            handover = Handover.objects.create(
                created_by=user, source=source, encoding=encoding, header_row=header_row
            )
            writer = FileWriter(handover, encoding)
            if header_row:
                writer.writerow(get_resource().get_export_headers())
            for chunk in checked_claims(
                order_ids=order_ids,
                today=today,
                encoding=encoding,
                withdrawn_chosen=set(withdrawn_chosen),
            ):
                accepted = []
                for claim in chunk:
                    report.add(claim)
                    if claim.ok:
                        accepted.append(
                            Claim(
                                handover_id=handover.pk,
                                order_id=claim.order_id,
                                row_number=report.accepted_count,
                                invoice_number=claim.invoice_number,
                                invoice_date=claim.invoice_date,
                                amount=claim.amount,
                                line=writer.writerow(claim.values),
                                warnings=[p.as_json() for p in claim.warning_problems],
                            )
                        )
                if accepted:
                    Claim.objects.bulk_create(accepted)
                    adapter.mark_handed_over(
                        [claim.order_id for claim in accepted], handover=handover
                    )
                if progress is not None:
                    progress(len(chunk))
            if not report.accepted_count:
                transaction.set_rollback(True)
                return HandoverResult(handover=None, report=report)
            writer.close()
            handover.row_count = report.accepted_count
            handover.file_size = writer.size
            handover.sha256 = writer.sha256.hexdigest()
            handover.save(update_fields=["row_count", "file_size", "sha256"])
    except IntegrityError as exc:
        raise HandoverError(
            _(
                "Another handover of some of these orders or invoice numbers was "
                "recorded at the same time. Nothing was handed over; please check "
                "the orders again."
            )
        ) from exc
    logger.info(
        "Handover %s recorded: %d claims, %d orders refused (source %s).",
        handover.pk,
        report.accepted_count,
        report.refused_count,
        source,
    )
    return HandoverResult(handover=handover, report=report)


def _open_claim_for_update(claim: Claim) -> Claim:
    """Lock the claim and return it fresh; refuse if it is no longer open."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != Claim.State.OPEN:
        raise ClaimError(
            _("The claim %(claim)s is withdrawn; nothing can be recorded on it.")
            % {"claim": claim}
        )
    return claim


def _validated(validator, *args, **kwargs) -> None:
    try:
        validator(*args, **kwargs)
    except ValidationError as exc:
        raise ClaimError(" ".join(exc.messages)) from exc


def withdraw_claim(*, claim: Claim, user, reason: str) -> Claim:
    """Withdraw a claim from mediafinanz.

    The order is not due again by itself; a clerk may hand it over again.
    """
    reason = reason.strip()
    if not reason:
        raise ClaimError(_("Say why the claim is withdrawn."))
    with ledger_transaction(LEDGER_BUSY):
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.state == Claim.State.WITHDRAWN:
            raise ClaimError(
                _("The claim %(claim)s is already withdrawn.") % {"claim": claim}
            )
        claim.state = Claim.State.WITHDRAWN
        claim.withdrawn_at = timezone.now()
        claim.withdrawn_by = user
        claim.withdrawal_reason = reason
        claim.save(
            update_fields=["state", "withdrawn_at", "withdrawn_by", "withdrawal_reason"]
        )
        get_adapter().mark_withdrawn(claim.order, claim=claim)
    logger.info("Claim %s withdrawn.", claim.pk)
    return claim


def record_file_number(*, claim: Claim, file_number: str, user) -> Claim:
    """Record the mediafinanz file number (Aktenzeichen) of an open claim.

    Spaces, dashes and slashes, as in a pasted ``123 4567 8902``, are dropped.
    """
    file_number = contract.normalize_file_number(file_number)
    _validated(validators.validate_file_number, file_number)
    with ledger_transaction(LEDGER_BUSY):
        claim = _open_claim_for_update(claim)
        claim.file_number = file_number
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


def remaining_amount(claim: Claim) -> Decimal:
    """Return what is still open on a claim after the direct payments."""
    paid = claim.direct_payments.aggregate(total=Sum("amount", default=0))["total"]
    return claim.amount - paid


def record_direct_payment(
    *,
    claim: Claim,
    amount: Decimal,
    received_on: datetime.date,
    user,
    above_remaining: bool = False,
    today: datetime.date | None = None,
) -> DirectPayment:
    """Record that the debtor paid the shop directly, to report it to mediafinanz.

    A payment above what is still open on the claim is refused unless
    ``above_remaining`` says the clerk confirmed it.
    """
    today = today or timezone.localdate()
    _validated(validators.validate_payment_amount, amount)
    with ledger_transaction(LEDGER_BUSY):
        claim = _open_claim_for_update(claim)
        _validated(
            validators.validate_payment_date,
            received_on,
            today=today,
            invoice_date=claim.invoice_date,
        )
        remaining = remaining_amount(claim)
        if amount > remaining and not above_remaining:
            raise ClaimError(
                _(
                    "The payment of %(amount)s EUR is above the %(remaining)s EUR "
                    "still open on claim %(claim)s; confirm it if it is right."
                )
                % {
                    "amount": contract.format_amount(amount),
                    "remaining": contract.format_amount(remaining),
                    "claim": claim,
                }
            )
        return DirectPayment.objects.create(
            claim=claim, amount=amount, received_on=received_on, recorded_by=user
        )


def mark_direct_payments_reported(*, payments: Iterable[DirectPayment], user) -> int:
    """Record who reported these direct payments to mediafinanz, and when.

    Return how many were newly marked; a payment reported before keeps its
    first date and reporter.
    """
    with ledger_transaction(LEDGER_BUSY):
        return DirectPayment.objects.filter(
            pk__in=[payment.pk for payment in payments], reported_at__isnull=True
        ).update(reported_at=timezone.now(), reported_by=user)
