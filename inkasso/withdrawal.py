"""What a clerk reads on withdrawing a claim, in the admin and in Oscar's dashboard."""

from django.utils.translation import gettext

from . import display, services
from .imports import debtor_name
from .models import Claim


def withdrawal_summary(claim: Claim) -> list[tuple[str, str]]:
    """Return the claim as the withdrawal page shows it: labels and values."""
    return [
        (gettext("Invoice number"), claim.invoice_number),
        (gettext("Debtor"), debtor_name(claim) or display.NO_VALUE),
        (gettext("Amount"), display.money(claim.amount)),
        (gettext("Still open"), display.money(services.remaining_amount(claim))),
        (gettext("Handed over on"), display.day(claim.handover.created_at)),
        (
            gettext("mediafinanz file number"),
            claim.file_number or gettext("not recorded yet"),
        ),
    ]


def withdrawn_message(claim: Claim) -> str:
    """Return what a clerk is told once the claim is withdrawn."""
    return gettext(
        "The claim %(claim)s was withdrawn. Tell mediafinanz as well. The order "
        "is not handed over again unless you select it yourself."
    ) % {"claim": claim}
