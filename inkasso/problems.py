"""What the checks say: problem codes, their severity and their sentences.

A :class:`Problem` is a stable code with parameters. Its text comes from
gettext only when it is shown, so the ledger stores codes, never a sentence in
the language of whoever handed over. Change a wording here; add a rule in
:mod:`inkasso.rules`.
"""

import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import contract, display, formats

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
    "shop_dunning": (
        ERROR,
        _("The shop sent a Mahnung of its own on %(date)s."),
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
        _("The open amount %(amount)s is below the minimum of %(minimum)s."),
    ),
}

#: What the clerk can do about an error, by code: the form field to fill in,
#: or that it cannot be fixed in the shop. Shown after the message in the
#: admin; the command and the ledger keep the message alone.
HINTS = {
    "invoice_number_taken": _(
        "Check the order's invoice number; the same invoice cannot be handed "
        "over a second time."
    ),
    "no_claim_data": _(
        "This cannot be fixed on the order page; ask whoever looks after the "
        "shop's connection to django-inkasso."
    ),
    "cancelled": _("There is nothing to collect; it cannot be handed over."),
    "currency": _("Nothing on the order page changes that; it cannot be handed over."),
    "amount_unknown": _("Check the order's total and its payments."),
    "fully_paid": _("There is nothing to collect."),
    "amount_not_positive": _(
        "There is nothing to collect; if that is wrong, check its payments and refunds."
    ),
    "not_yet_due": _("Hand it over after the due date."),
    "name_missing": _("Fill in “%(field)s” (or the company) and save the order."),
    "missing": _("Fill in “%(field)s” and save the order."),
    "country_invalid": _(
        "Enter the two-letter code in “country” (DE, AT, CH …) and save the order."
    ),
    "postcode_invalid": _("Correct “postcode” (or “country”) and save the order."),
    "invoice_number_too_long": _(
        "It cannot be handed over in a file; ask mediafinanz how to collect it."
    ),
    "claim_type_invalid": _(
        "This cannot be fixed on the order page; ask whoever looks after the "
        "shop's connection to django-inkasso."
    ),
    "no_mahnung": _(
        "Send a Mahnung (or record the one that was sent); hand the order over "
        "once its payment deadline has passed."
    ),
    "mahnung_before_service": _(
        "Check the order's delivery date; if it is right, send a new Mahnung."
    ),
    "mahnung_in_future": _("Correct the date of the Mahnung."),
    "deadline_running": _("Hand it over after that day."),
    "shop_dunning": _(
        "Send the next letter the way the shop sent that one, or hand the order "
        "over once its payment deadline has passed."
    ),
    "dunning_stop": _(
        "Lift the dunning stop first if the claim is to be collected after all."
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

    @property
    def hint(self) -> str:
        """Return what the clerk can do about it, or ``""``."""
        if self.code not in HINTS:
            return ""
        params = {name: _shown(name, value) for name, value in self.params.items()}
        try:
            return capfirst(str(HINTS[self.code]) % params)
        except (KeyError, ValueError, TypeError):
            return ""

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
        # The contract's day format in both languages: commands print these
        # too, and a German shop reads 02.12.2026 where en would say 12/02.
        return contract.format_date(datetime.date.fromisoformat(value))
    if name in ("amount", "minimum") and value:
        try:
            return display.money(Decimal(value))
        except InvalidOperation:
            # Stored before amounts were plain numbers: "4,99".
            return f"{value} EUR"
    return value


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
