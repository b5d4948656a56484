"""Turn a host's :class:`~inkasso.adapters.ClaimData` into a checked file row.

Every rule of the handover contract lives here: the hard errors that refuse an
order and the warnings that are shown but do not block.
"""

import collections
import dataclasses
import datetime
import operator
import re
from collections.abc import Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from . import formats
from .adapters import ClaimData, Salutation
from .conf import app_settings

ISO_COUNTRIES = frozenset(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL "
    "BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV "
    "CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD "
    "GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM "
    "IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK "
    "LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW "
    "MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR "
    "PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS "
    "ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY "
    "UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split()
)
POSTCODE_PATTERNS = {
    "DE": re.compile(r"\d{5}"),
    "AT": re.compile(r"\d{4}"),
    "CH": re.compile(r"\d{4}"),
}
MAX_INVOICE_NUMBER = 40


@dataclasses.dataclass(slots=True)
class ClaimRow:
    """The 18 values of one claim, typed; the resource turns them into text."""

    first_name: str
    last_name: str
    salutation_code: str
    company: str
    street: str
    postcode: str
    city: str
    country: str
    phone: str
    mobile: str
    fax: str
    email: str
    invoice_number: str
    amount: Decimal | None
    reason: str
    service_date: datetime.date | None
    dunning_date: datetime.date | None
    claim_type: int | None


@dataclasses.dataclass(slots=True)
class PreparedClaim:
    """One order after the checks: its file row, or the reasons it is refused."""

    order_id: Any
    label: str
    values: list[str]
    amount: Decimal | None
    invoice_number: str
    errors: list[str]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _quantity(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
        return str(value).replace(".", ",")
    return str(value)


def claim_reason(data: ClaimData) -> str:
    """Return ``Rechnung R-1 vom 03.11.2026: 2 x Kaffeemühle, 1 x Filter``."""
    reason = f"Rechnung {data.invoice_number}"
    if data.invoice_date:
        reason += f" vom {formats.format_date(data.invoice_date)}"
    if data.items:
        reason += ": " + ", ".join(
            f"{_quantity(quantity)} x {name}" for quantity, name in data.items
        )
    return reason


def _salutation_code(data: ClaimData, codes: dict[str, str]) -> str:
    is_company = bool((data.company or "").strip())
    has_person = bool((data.first_name or "").strip() or (data.last_name or "").strip())
    if is_company and not has_person:
        return codes["company"]
    if data.salutation is Salutation.UNKNOWN:
        return ""
    return codes[data.salutation.value]


def claim_columns(claims: Sequence[ClaimData], *, codes: dict[str, str]) -> dict:
    """Derive the 18 typed values of each claim, as columns by ClaimRow field."""

    def column(name: str) -> list:
        return list(map(attrgetter(name), claims))

    return {
        "first_name": column("first_name"),
        "last_name": column("last_name"),
        "salutation_code": [_salutation_code(data, codes) for data in claims],
        "company": column("company"),
        "street": column("street"),
        "postcode": column("postcode"),
        "city": column("city"),
        "country": [(country or "").strip().upper() for country in column("country")],
        "phone": column("phone"),
        "mobile": column("mobile"),
        "fax": column("fax"),
        "email": column("email"),
        "invoice_number": column("invoice_number"),
        "amount": column("open_amount"),
        "reason": list(map(claim_reason, claims)),
        "service_date": column("service_date"),
        "dunning_date": column("dunning_date"),
        "claim_type": [int(kind) if kind else None for kind in column("claim_type")],
    }


def _note_warnings(notes: dict[str, dict]) -> list[str]:
    warnings = []
    for header, field_notes in notes.items():
        changes = field_notes.get(formats.Note.TRANSLITERATED)
        if changes:
            pairs = ", ".join(f"{old} → {new or '∅'}" for old, new in changes)
            warnings.append(
                _("%(column)s: characters transliterated for the file (%(pairs)s).")
                % {"column": header, "pairs": pairs}
            )
        if field_notes.get(formats.Note.FORMULA):
            warnings.append(
                _("%(column)s starts like a spreadsheet formula; a ' was put in front.")
                % {"column": header}
            )
        if field_notes.get(formats.Note.SHORTENED):
            warnings.append(
                _("%(column)s was shortened to 250 characters.") % {"column": header}
            )
    return warnings


# Addresses of this plain shape are valid for Django's validate_email too (a
# test says so); only the others pay for the full validation.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _positions(column: Sequence, test) -> list[int]:
    return [index for index, value in enumerate(column) if test(value)]


class ClaimChecker:
    """Check claims and render their rows, with settings resolved once.

    Claims are checked a chunk at a time, column by column: each rule looks at
    one column of the chunk, and only the claims it finds wanting get a
    message. Per claim, errors and warnings come in the order of the rules.
    """

    def __init__(self, *, resource, today: datetime.date, encoding: str | None = None):
        self.today = today
        self.encoding = encoding or app_settings.ENCODING
        self.codes = app_settings.SALUTATION_CODES
        self.grace = datetime.timedelta(days=app_settings.DUNNING_GRACE_DAYS)
        self.minimum = app_settings.MINIMUM_AMOUNT
        self.render = resource.column_renderer(encoding=self.encoding)
        self.headers = resource.get_export_headers()

    def prepare(self, data: ClaimData, *, order_id, label: str) -> PreparedClaim:
        [claim] = self.prepare_many([(order_id, label, data)])
        return claim

    def prepare_many(
        self, claims: Sequence[tuple[Any, str, ClaimData]]
    ) -> list[PreparedClaim]:
        """Check ``(order pk, label, claim data)`` triples; return them prepared."""
        if not claims:
            return []
        order_ids, labels, data = zip(*claims, strict=True)
        columns = claim_columns(data, codes=self.codes)
        errors = collections.defaultdict(list)
        warnings = collections.defaultdict(list)
        email_problems = self._check_emails(columns["email"])
        texts, notes = self.render(columns)
        values = dict(zip(self.headers, texts, strict=True))
        self._check_orders(data, errors)
        self._check_columns(values, errors)
        self._check_dates(data, errors)
        for index, row_notes in notes.items():
            warnings[index].extend(_note_warnings(row_notes))
        for index in email_problems:
            warnings[index].append(
                _("The e-mail address is not valid and was left out.")
            )
        self._warn(data, values, warnings)
        return [
            PreparedClaim(
                order_id=order_id,
                label=label,
                values=list(row),
                amount=amount,
                invoice_number=invoice_number,
                errors=errors.get(index) or [],
                warnings=warnings.get(index) or [],
            )
            for index, (order_id, label, row, amount, invoice_number) in enumerate(
                zip(
                    order_ids,
                    labels,
                    zip(*texts),
                    columns["amount"],
                    values["Rechnungsnr"],
                    strict=True,
                )
            )
        ]

    def _check_emails(self, emails: list) -> list[int]:
        """Leave out the e-mail addresses that are not valid; return where."""
        problems = []
        for index, email in enumerate(emails):
            email = (email or "").strip()
            if not email or (len(email) <= 254 and _PLAIN_EMAIL.fullmatch(email)):
                continue
            try:
                validate_email(email)
            except ValidationError:
                emails[index] = ""
                problems.append(index)
        return problems

    def _check_orders(self, data: Sequence[ClaimData], errors) -> None:
        for index in _positions(data, attrgetter("is_cancelled")):
            errors[index].append(_("The order is cancelled."))
        for index, currency in enumerate(map(attrgetter("currency"), data)):
            if currency != "EUR" and (currency or "").upper() != "EUR":
                errors[index].append(
                    _(
                        "The currency is %(currency)s; "
                        "only EUR claims can be handed over."
                    )
                    % {"currency": currency or "?"}
                )
        amounts = list(map(attrgetter("open_amount"), data))
        for index in _positions(amounts, lambda amount: amount is None or amount <= 0):
            amount = amounts[index]
            if amount is None:
                errors[index].append(_("The open amount is unknown."))
            elif data[index].invoice_total and data[index].invoice_total > 0:
                errors[index].append(_("The order is fully paid."))
            else:
                errors[index].append(_("The open amount is not above zero."))
        today = self.today
        due_dates = list(map(attrgetter("due_date"), data))
        for index in _positions(due_dates, lambda due: due and due >= today):
            errors[index].append(
                _("The order is not yet due (due date %(date)s).")
                % {"date": formats.format_date(due_dates[index])}
            )

    def _check_columns(self, values: dict[str, list[str]], errors) -> None:
        companies = values["Firma"]
        for index in _positions(companies, operator.not_):
            for header in ("Vorname", "Nachname"):
                if not values[header][index]:
                    errors[index].append(
                        _(
                            "%(column)s is missing "
                            "(required unless the debtor is a company)."
                        )
                        % {"column": header}
                    )
        for header in ("Strasse", "Ort", "Rechnungsnr"):
            for index in _positions(values[header], operator.not_):
                errors[index].append(_("%(column)s is missing.") % {"column": header})
        countries = values["Land"]
        for index, country in enumerate(countries):
            if country not in ISO_COUNTRIES:
                errors[index].append(
                    _("Land %(country)r is not an ISO 3166-1 alpha-2 country code.")
                    % {"country": country}
                )
        for index, (country, postcode) in enumerate(
            zip(countries, values["PLZ"], strict=True)
        ):
            pattern = POSTCODE_PATTERNS.get(country)
            if not postcode:
                errors[index].append(_("%(column)s is missing.") % {"column": "PLZ"})
            elif pattern and not pattern.fullmatch(postcode):
                errors[index].append(
                    _("PLZ %(postcode)r is not a valid postcode for %(country)s.")
                    % {"postcode": postcode, "country": country}
                )
        for index in _positions(
            values["Rechnungsnr"], lambda number: len(number) > MAX_INVOICE_NUMBER
        ):
            errors[index].append(
                _("Rechnungsnr is longer than %(max)d characters.")
                % {"max": MAX_INVOICE_NUMBER}
            )
        for header in ("Forderungsbetrag", "Leistungsdatum", "Forderungstyp"):
            for index in _positions(values[header], operator.not_):
                errors[index].append(_("%(column)s is missing.") % {"column": header})

    def _check_dates(self, data: Sequence[ClaimData], errors) -> None:
        today = self.today
        for index, claim in enumerate(data):
            if claim.invoice_date is None:
                errors[index].append(_("The invoice date is missing."))
            dunning = claim.dunning_date
            if dunning is None:
                errors[index].append(
                    _("No dunning letter (Mahnung) has been recorded.")
                )
                continue
            service = claim.service_date
            if service and dunning < service:
                errors[index].append(
                    _("Mahndatum %(dunning)s is before Leistungsdatum %(service)s.")
                    % {
                        "dunning": formats.format_date(dunning),
                        "service": formats.format_date(service),
                    }
                )
            if dunning > today:
                errors[index].append(
                    _("Mahndatum %(date)s is in the future.")
                    % {"date": formats.format_date(dunning)}
                )
            deadline = claim.dunning_deadline
            if deadline is None and self.grace:
                deadline = dunning + self.grace
            if deadline is not None and deadline >= today:
                errors[index].append(
                    _(
                        "The payment deadline of the last dunning letter has not "
                        "passed yet (it runs until %(date)s)."
                    )
                    % {"date": formats.format_date(deadline)}
                )

    def _warn(self, data: Sequence[ClaimData], values, warnings) -> None:
        for index, country in enumerate(values["Land"]):
            if country and country != "DE":
                warnings[index].append(
                    _("The debtor lives abroad (%(country)s).") % {"country": country}
                )
        contacts = zip(
            values["Email"], values["Telefon 1"], values["Telefon 2"], strict=True
        )
        for index, contact in enumerate(contacts):
            if not any(contact):
                warnings[index].append(
                    _("There is neither an e-mail address nor a phone number.")
                )
        minimum = self.minimum
        for index, claim in enumerate(data):
            amount = claim.open_amount
            if amount is not None and 0 < amount < minimum:
                warnings[index].append(
                    _(
                        "The open amount %(amount)s EUR is below the minimum "
                        "of %(minimum)s EUR."
                    )
                    % {
                        "amount": formats.format_amount(amount),
                        "minimum": formats.format_amount(minimum),
                    }
                )
