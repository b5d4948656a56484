"""When an order may be handed over: the contract's checks, one claim at a time.

:func:`check_claim` reads top to bottom as ``docs/handover-file.md``'s list of
hard errors and warnings. It is pure: it takes the host's claim data, what the
ledger knows about the order, and the installation's policy, and returns
:class:`Problem` records. A problem is a stable code with parameters; its text
comes from gettext only when it is shown, so the ledger stores codes, never a
sentence in the language of whoever handed over.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import contract, formats
from .conf import app_settings

ERROR = "error"
WARNING = "warning"

#: What the clerk calls each value of a claim (ClaimData and ClaimRow names).
FIELD_LABELS = {
    "first_name": _("first name"),
    "last_name": _("last name"),
    "salutation_code": _("salutation"),
    "company": _("company"),
    "street": _("street and house number"),
    "postcode": _("postcode"),
    "city": _("city"),
    "country": _("country"),
    "phone": _("phone"),
    "mobile": _("mobile phone"),
    "fax": _("fax"),
    "email": _("e-mail address"),
    "invoice_number": _("invoice number"),
    "invoice_date": _("invoice date"),
    "amount": _("open amount"),
    "open_amount": _("open amount"),
    "reason": _("claim description"),
    "service_date": _("delivery or service date"),
    "dunning_date": _("date of the last Mahnung"),
    "due_date": _("due date"),
    "claim_type": _("claim type"),
}

#: Every problem the checks know, by code: its severity and its message.
MESSAGES = {
    # The ledger.
    "open_claim": (
        ERROR,
        _("The order already has a claim with mediafinanz (handover %(handover)s)."),
    ),
    "invoice_number_taken": (
        ERROR,
        _(
            "Invoice number %(invoice_number)s is already on a claim with "
            "mediafinanz (handover %(handover)s); each invoice can be handed "
            "over once."
        ),
    ),
    "invoice_number_twice": (
        ERROR,
        _(
            "Invoice number %(invoice_number)s is also on order %(order)s of this "
            "selection; correct the invoice number of the wrong order."
        ),
    ),
    "withdrawn": (
        ERROR,
        _(
            "A claim for this order was withdrawn on %(date)s (%(reason)s); "
            "select the order yourself to hand it over again."
        ),
    ),
    "withdrawn_before": (
        WARNING,
        _(
            "A claim for this order was withdrawn on %(date)s (%(reason)s); "
            "it is handed over again only because you selected it."
        ),
    ),
    # The shop.
    "no_claim_data": (
        ERROR,
        _("The shop has no claim data for this order; it may have been deleted."),
    ),
    "refused_by_shop": (ERROR, "%(reason)s"),
    "cancelled": (ERROR, _("The order is cancelled.")),
    "currency": (
        ERROR,
        _(
            "The currency is %(currency)s; only EUR claims can be handed over, "
            "so this order has to be collected another way."
        ),
    ),
    "amount_unknown": (ERROR, _("The open amount is unknown.")),
    "fully_paid": (ERROR, _("The order is fully paid.")),
    "amount_not_positive": (ERROR, _("The open amount is not above zero.")),
    "not_yet_due": (ERROR, _("The order is not yet due (due date %(date)s).")),
    # The columns.
    "name_missing": (
        ERROR,
        _("The %(field)s is missing (required unless the debtor is a company)."),
    ),
    "missing": (ERROR, _("The %(field)s is missing.")),
    "country_invalid": (
        ERROR,
        _("The country %(country)r is not an ISO country code such as DE."),
    ),
    "postcode_invalid": (
        ERROR,
        _("The postcode %(postcode)r is not valid for %(country)s."),
    ),
    "invoice_number_too_long": (
        ERROR,
        _("The invoice number is longer than %(max)d characters."),
    ),
    # The dunning.
    "claim_type_invalid": (
        ERROR,
        _("The claim type %(value)s is not 1, 2 or 3."),
    ),
    "no_mahnung": (ERROR, _("No dunning letter (Mahnung) has been recorded.")),
    "mahnung_before_service": (
        ERROR,
        _("The last Mahnung (%(dunning)s) is before the delivery date (%(service)s)."),
    ),
    "mahnung_in_future": (
        ERROR,
        _("The last Mahnung is dated in the future (%(date)s)."),
    ),
    "deadline_running": (
        ERROR,
        _(
            "The payment deadline of the last dunning letter has not passed yet "
            "(it runs until %(date)s)."
        ),
    ),
    "dunning_stop": (
        ERROR,
        _("A dunning stop (Mahnsperre) is set for the order: %(reason)s."),
    ),
    # The reminders: why an order gets no letter now.
    "no_email": (
        ERROR,
        _("There is no e-mail address to send the letter to."),
    ),
    "next_letter_on": (
        ERROR,
        _("The next letter (%(level)s) is due on %(date)s."),
    ),
    "last_level_reached": (
        ERROR,
        _("The last dunning letter (%(level)s) has been sent."),
    ),
    "letter_pending": (
        ERROR,
        _("The letter %(level)s is being sent."),
    ),
    # Warnings: shown, but they do not block.
    "transliterated": (
        WARNING,
        _("%(field)s: characters changed for the file (%(changes)s)."),
    ),
    "formula": (
        WARNING,
        _("%(field)s starts like a spreadsheet formula; a ' was put in front."),
    ),
    "shortened": (WARNING, _("%(field)s was shortened to %(max)d characters.")),
    "invisible": (WARNING, _("%(field)s: invisible characters were removed.")),
    "email_invalid": (
        WARNING,
        _("The e-mail address is not valid and was left out."),
    ),
    "abroad": (WARNING, _("The debtor lives abroad (%(country)s).")),
    "no_contact": (
        WARNING,
        _("There is neither an e-mail address nor a phone number."),
    ),
    "below_minimum": (
        WARNING,
        _("The open amount %(amount)s EUR is below the minimum of %(minimum)s EUR."),
    ),
}

#: Notes of the file's widgets (``inkasso.formats.Note``) and their problems.
NOTE_CODES = {
    formats.Note.TRANSLITERATED: "transliterated",
    formats.Note.FORMULA: "formula",
    formats.Note.SHORTENED: "shortened",
    formats.Note.INVISIBLE: "invisible",
    formats.Note.INVALID: "email_invalid",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """Why an order is refused (an error) or what to look at (a warning)."""

    code: str
    params: dict = dataclasses.field(default_factory=dict)

    @property
    def severity(self) -> str:
        return MESSAGES[self.code][0] if self.code in MESSAGES else WARNING

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def message(self) -> str:
        """Return the problem's text in the active language."""
        if self.code not in MESSAGES:
            # Stored by an older version, as a sentence.
            return str(self.params.get("text", self.code))
        template = MESSAGES[self.code][1]
        params = {name: _shown(name, value) for name, value in self.params.items()}
        template = gettext(template) if isinstance(template, Promise) else template
        try:
            return capfirst(template % params)
        except (KeyError, ValueError, TypeError):
            # Stored with other parameters than today's wording expects.
            return f"{self.code}: {self.params}"

    def as_json(self) -> dict:
        return {"code": self.code, "params": self.params}

    @classmethod
    def from_json(cls, value) -> "Problem":
        if isinstance(value, str):
            return cls("legacy", {"text": value})
        return cls(value["code"], value.get("params", {}))

    def __str__(self):
        return self.message


def _shown(name: str, value):
    if name == "field":
        label = FIELD_LABELS.get(value)
        return str(label) if label is not None else value
    if name in ("date", "dunning", "service") and value:
        return contract.format_date(datetime.date.fromisoformat(value))
    return value


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


def invoice_number(data, *, policy: Policy) -> str:
    """Return the invoice number as the file has it: the key of a claim."""
    return formats.clean_text(data.invoice_number, encoding=policy.encoding)[0]


def debtor_name(data) -> str:
    """Return the debtor as the clerk reads it: the company, or the person."""
    person = " ".join(filter(None, [data.first_name, data.last_name])).strip()
    company = (data.company or "").strip()
    if company and person:
        return f"{company} ({person})"
    return company or person


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
    if data.is_cancelled:
        problem("cancelled")
    if (data.currency or "").upper() != contract.CURRENCY:
        problem("currency", currency=data.currency or "?")
    amount = contract.to_cents(data.open_amount)
    if amount is None:
        problem("amount_unknown")
    elif amount <= 0 and data.invoice_total and data.invoice_total > 0:
        problem("fully_paid")
    elif amount <= 0:
        problem("amount_not_positive")
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
            amount=contract.format_amount(amount),
            minimum=contract.format_amount(policy.minimum_amount),
        )
    return problems


def note_problems(notes: dict[str, dict]) -> list[Problem]:
    """Return the warnings for what the file's widgets changed, by field."""
    problems = []
    for field, changes in notes.items():
        for note, detail in changes.items():
            code = NOTE_CODES[note]
            if code == "transliterated":
                pairs = ", ".join(f"{old} → {new or '∅'}" for old, new in detail)
                problems.append(Problem(code, {"field": field, "changes": pairs}))
            elif code == "shortened":
                problems.append(Problem(code, {"field": field, "max": detail}))
            elif code == "email_invalid":
                problems.append(Problem(code, {}))
            else:
                problems.append(Problem(code, {"field": field}))
    return problems
