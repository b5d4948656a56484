"""When an order may be handed over: the contract's checks, one claim at a time.

:func:`check_claim` reads top to bottom as ``docs/handover-file.md``'s list of
hard errors and warnings. It is pure: it takes the host's claim data, what the
ledger knows about the order, and the installation's policy, and returns
:class:`~inkasso.problems.Problem` records (their codes and sentences live in
:mod:`inkasso.problems`).
"""

import dataclasses
import datetime
from decimal import Decimal

from . import contract, formats
from .conf import app_settings
from .problems import (  # noqa: F401 (the checks' vocabulary, used as rules.*)
    ERROR,
    FIELD_LABELS,
    MESSAGES,
    NOTE_CODES,
    WARNING,
    Problem,
    note_problems,
)


@dataclasses.dataclass(frozen=True)
class Policy:
    """The installation's settings that the checks apply, read once per check."""

    today: datetime.date
    encoding: str
    grace_days: int
    minimum_amount: Decimal

    @classmethod
    def from_settings(
        cls, *, today: datetime.date, encoding: str | None = None
    ) -> "Policy":
        return cls(
            today=today,
            encoding=encoding or app_settings.ENCODING,
            grace_days=app_settings.DUNNING_GRACE_DAYS,
            minimum_amount=app_settings.MINIMUM_AMOUNT,
        )


@dataclasses.dataclass(frozen=True)
class LedgerFacts:
    """What the ledger knows about one order and its invoice number."""

    open_handover: int | None = None
    withdrawn_on: datetime.date | None = None
    withdrawal_reason: str = ""
    #: A clerk chose this order although its claim was withdrawn.
    withdrawn_chosen: bool = False
    invoice_number_taken_by: int | None = None
    #: The order that has the same invoice number earlier in the selection.
    invoice_number_twice: str | None = None
    #: The reason of the order's dunning stop (Mahnsperre), if it has one.
    dunning_stop: str | None = None


def debtor_name(data) -> str:
    """Return the debtor as the clerk reads it: the company, or the person."""
    company = (data.company or "").strip()
    if data.is_company and data.person:
        return f"{company} ({data.person})"
    return company or data.person


def check_ledger(ledger: LedgerFacts, *, invoice_number: str = "") -> list[Problem]:
    """Return the problems of what the ledger knows about an order."""
    problems = []
    # The order already has a claim that is not withdrawn; the invoice number
    # is unique among claims not withdrawn.
    if ledger.open_handover is not None:
        problems.append(Problem("open_claim", {"handover": ledger.open_handover}))
    if ledger.invoice_number_taken_by is not None:
        problems.append(
            Problem(
                "invoice_number_taken",
                {
                    "invoice_number": invoice_number,
                    "handover": ledger.invoice_number_taken_by,
                },
            )
        )
    if ledger.dunning_stop is not None:
        problems.append(Problem("dunning_stop", {"reason": ledger.dunning_stop}))
    if ledger.invoice_number_twice is not None:
        problems.append(
            Problem(
                "invoice_number_twice",
                {
                    "invoice_number": invoice_number,
                    "order": ledger.invoice_number_twice,
                },
            )
        )
    return problems


def open_amount_problems(data) -> list[Problem]:
    """Return why nothing can be claimed from the order at all.

    It is cancelled, in another currency than EUR, or has no open amount
    above zero (after rounding to the cent). The handover and the dunning
    letters ask the same question.
    """
    problems = []
    if data.is_cancelled:
        problems.append(Problem("cancelled"))
    if (data.currency or "").upper() != contract.CURRENCY:
        problems.append(Problem("currency", {"currency": data.currency or "?"}))
    amount = contract.to_cents(data.open_amount)
    if amount is None:
        problems.append(Problem("amount_unknown"))
    elif amount <= 0 and data.invoice_total and data.invoice_total > 0:
        problems.append(Problem("fully_paid"))
    elif amount <= 0:
        problems.append(Problem("amount_not_positive"))
    return problems


def check_claim(
    data, *, policy: Policy, ledger: LedgerFacts = LedgerFacts()
) -> list[Problem]:
    """Return the problems of one claim, errors and warnings, in contract order."""
    problems = []

    def problem(code, **params):
        problems.append(Problem(code, params))

    def text(value) -> str:
        return formats.clean_text(value, encoding=policy.encoding)[0]

    invoice = text(data.invoice_number)
    problems.extend(check_ledger(ledger, invoice_number=invoice))

    # The order is cancelled, fully paid, or not yet due; currency other than
    # EUR; open amount not above zero.
    problems.extend(open_amount_problems(data))
    amount = contract.to_cents(data.open_amount)
    if data.due_date and data.due_date >= policy.today:
        problem("not_yet_due", date=data.due_date.isoformat())

    # A required column is empty or malformed.
    if not text(data.company):
        for field in ("first_name", "last_name"):
            if not text(getattr(data, field)):
                problem("name_missing", field=field)
    for field, value in [
        ("street", data.street),
        ("city", data.city),
        ("invoice_number", invoice),
    ]:
        if not text(value):
            problem("missing", field=field)
    country = contract.country_code(data.country)
    if country not in contract.ISO_COUNTRIES:
        problem("country_invalid", country=country)
    postcode = text(data.postcode)
    if not postcode:
        problem("missing", field="postcode")
    elif not contract.is_valid_postcode(postcode, country):
        problem("postcode_invalid", postcode=postcode, country=country)
    if len(invoice) > contract.MAX_INVOICE_NUMBER:
        problem("invoice_number_too_long", max=contract.MAX_INVOICE_NUMBER)
    if not data.service_date:
        problem("missing", field="service_date")
    if not data.claim_type:
        problem("missing", field="claim_type")
    elif contract.claim_type_code(data.claim_type) is None:
        problem("claim_type_invalid", value=str(data.claim_type))
    if data.invoice_date is None:
        problem("missing", field="invoice_date")

    # No dunning letter recorded, Mahndatum before Leistungsdatum or in the
    # future; the deadline of the last dunning letter has not passed.
    dunning = data.dunning_date
    if dunning is None:
        problem("no_mahnung")
    else:
        if data.service_date and dunning < data.service_date:
            problem(
                "mahnung_before_service",
                dunning=dunning.isoformat(),
                service=data.service_date.isoformat(),
            )
        if dunning > policy.today:
            problem("mahnung_in_future", date=dunning.isoformat())
        deadline = data.dunning_deadline
        if deadline is None and policy.grace_days:
            deadline = dunning + datetime.timedelta(days=policy.grace_days)
        if deadline is not None and deadline >= policy.today:
            problem("deadline_running", date=deadline.isoformat())

    # Warnings: handed over before and withdrawn, a debtor abroad, no way to
    # reach the debtor, a claim below the minimum amount.
    if ledger.withdrawn_on is not None:
        problem(
            "withdrawn_before" if ledger.withdrawn_chosen else "withdrawn",
            date=ledger.withdrawn_on.isoformat(),
            reason=ledger.withdrawal_reason,
        )
    if country and country != contract.HOME_COUNTRY:
        problem("abroad", country=country)
    phones = [formats.clean_phone(data.phone), formats.clean_phone(data.mobile)]
    if not formats.clean_email(data.email, encoding=policy.encoding) and not any(
        phones
    ):
        problem("no_contact")
    if amount is not None and 0 < amount < policy.minimum_amount:
        problem(
            "below_minimum",
            amount=str(amount),
            minimum=str(policy.minimum_amount),
        )
    return problems
