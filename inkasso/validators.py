"""Validators of what a clerk records on a claim: services and forms share them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import contract


def validate_file_number(value: str) -> None:
    """Refuse a mediafinanz file number that is not exactly 11 digits."""
    if not contract.FILE_NUMBER.fullmatch(value or ""):
        raise ValidationError(
            _("The mediafinanz file number has exactly 11 digits."),
            code="file_number",
        )


def validate_payment_amount(amount: Decimal) -> None:
    if amount is None or amount <= 0:
        raise ValidationError(
            _("A direct payment must be above zero."), code="payment_amount"
        )


def validate_payment_date(
    received_on: datetime.date,
    *,
    today: datetime.date,
    invoice_date: datetime.date | None = None,
) -> None:
    if received_on > today:
        raise ValidationError(
            _("The date cannot be in the future."), code="payment_in_future"
        )
    if invoice_date is not None and received_on < invoice_date:
        raise ValidationError(
            _("The date cannot be before the invoice date (%(date)s)."),
            code="payment_before_invoice",
            params={"date": contract.format_date(invoice_date)},
        )
