"""Turn a host's :class:`~inkasso.adapters.ClaimData` into a checked file row.

Every rule of the handover contract lives here: the hard errors that refuse an
order and the warnings that are shown but do not block.
"""

import dataclasses
import datetime
import re
from decimal import Decimal
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

    def refuse(self, reason: str) -> None:
        self.errors.append(reason)


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


def claim_row(data: ClaimData, *, codes: dict[str, str]) -> ClaimRow:
    """Derive the 18 typed values from what the shop says about a claim."""
    is_company = bool((data.company or "").strip())
    has_person = bool((data.first_name or "").strip() or (data.last_name or "").strip())
    if is_company and not has_person:
        salutation_code = codes["company"]
    elif data.salutation is Salutation.UNKNOWN:
        salutation_code = ""
    else:
        salutation_code = codes[data.salutation.value]
    return ClaimRow(
        first_name=data.first_name,
        last_name=data.last_name,
        salutation_code=salutation_code,
        company=data.company,
        street=data.street,
        postcode=data.postcode,
        city=data.city,
        country=(data.country or "").strip().upper(),
        phone=data.phone,
        mobile=data.mobile,
        fax=data.fax,
        email=data.email,
        invoice_number=data.invoice_number,
        amount=data.open_amount,
        reason=claim_reason(data),
        service_date=data.service_date,
        dunning_date=data.dunning_date,
        claim_type=int(data.claim_type) if data.claim_type else None,
    )


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


class ClaimChecker:
    """Check claims and render their rows, with settings resolved once."""

    def __init__(self, *, resource, today: datetime.date, encoding: str | None = None):
        self.today = today
        self.encoding = encoding or app_settings.ENCODING
        self.codes = app_settings.SALUTATION_CODES
        self.grace = datetime.timedelta(days=app_settings.DUNNING_GRACE_DAYS)
        self.minimum = app_settings.MINIMUM_AMOUNT
        self.render = resource.row_renderer(encoding=self.encoding)
        self.headers = resource.get_export_headers()

    def prepare(self, data: ClaimData, *, order_id, label: str) -> PreparedClaim:
        row = claim_row(data, codes=self.codes)
        claim = PreparedClaim(
            order_id=order_id,
            label=label,
            values=[],
            amount=data.open_amount,
            invoice_number="",
            errors=[],
            warnings=[],
        )
        email_problem = self._check_email(row)
        claim.values, notes = self.render(row)
        claim.invoice_number = claim.values[12]
        self._check_order(data, claim)
        self._check_columns(dict(zip(self.headers, claim.values)), claim)
        self._check_dates(data, claim)
        claim.warnings.extend(_note_warnings(notes))
        if email_problem:
            claim.warnings.append(email_problem)
        self._warn(data, row, claim)
        return claim

    def _check_email(self, row: ClaimRow) -> str | None:
        email = (row.email or "").strip()
        if not email:
            return None
        try:
            validate_email(email)
        except ValidationError:
            row.email = ""
            return _("The e-mail address is not valid and was left out.")
        return None

    def _check_order(self, data: ClaimData, claim: PreparedClaim) -> None:
        if data.is_cancelled:
            claim.refuse(_("The order is cancelled."))
        if (data.currency or "").upper() != "EUR":
            claim.refuse(
                _("The currency is %(currency)s; only EUR claims can be handed over.")
                % {"currency": data.currency or "?"}
            )
        if data.open_amount is None:
            claim.refuse(_("The open amount is unknown."))
        elif data.open_amount <= 0:
            if data.invoice_total and data.invoice_total > 0:
                claim.refuse(_("The order is fully paid."))
            else:
                claim.refuse(_("The open amount is not above zero."))
        if data.due_date and data.due_date >= self.today:
            claim.refuse(
                _("The order is not yet due (due date %(date)s).")
                % {"date": formats.format_date(data.due_date)}
            )

    def _check_columns(self, values: dict[str, str], claim: PreparedClaim) -> None:
        if not values["Firma"]:
            for header in ("Vorname", "Nachname"):
                if not values[header]:
                    claim.refuse(
                        _(
                            "%(column)s is missing "
                            "(required unless the debtor is a company)."
                        )
                        % {"column": header}
                    )
        for header in ("Strasse", "Ort", "Rechnungsnr"):
            if not values[header]:
                claim.refuse(_("%(column)s is missing.") % {"column": header})
        country = values["Land"]
        if country not in ISO_COUNTRIES:
            claim.refuse(
                _("Land %(country)r is not an ISO 3166-1 alpha-2 country code.")
                % {"country": country}
            )
        postcode = values["PLZ"]
        pattern = POSTCODE_PATTERNS.get(country)
        if not postcode:
            claim.refuse(_("%(column)s is missing.") % {"column": "PLZ"})
        elif pattern and not pattern.fullmatch(postcode):
            claim.refuse(
                _("PLZ %(postcode)r is not a valid postcode for %(country)s.")
                % {"postcode": postcode, "country": country}
            )
        if len(values["Rechnungsnr"]) > MAX_INVOICE_NUMBER:
            claim.refuse(
                _("Rechnungsnr is longer than %(max)d characters.")
                % {"max": MAX_INVOICE_NUMBER}
            )
        for header in ("Forderungsbetrag", "Leistungsdatum", "Forderungstyp"):
            if not values[header]:
                claim.refuse(_("%(column)s is missing.") % {"column": header})

    def _check_dates(self, data: ClaimData, claim: PreparedClaim) -> None:
        if data.invoice_date is None:
            claim.refuse(_("The invoice date is missing."))
        if data.dunning_date is None:
            claim.refuse(_("No dunning letter (Mahnung) has been recorded."))
            return
        if data.service_date and data.dunning_date < data.service_date:
            claim.refuse(
                _("Mahndatum %(dunning)s is before Leistungsdatum %(service)s.")
                % {
                    "dunning": formats.format_date(data.dunning_date),
                    "service": formats.format_date(data.service_date),
                }
            )
        if data.dunning_date > self.today:
            claim.refuse(
                _("Mahndatum %(date)s is in the future.")
                % {"date": formats.format_date(data.dunning_date)}
            )
        deadline = data.dunning_deadline
        if deadline is None and self.grace:
            deadline = data.dunning_date + self.grace
        if deadline is not None and deadline >= self.today:
            claim.refuse(
                _(
                    "The payment deadline of the last dunning letter has not "
                    "passed yet (it runs until %(date)s)."
                )
                % {"date": formats.format_date(deadline)}
            )

    def _warn(self, data: ClaimData, row: ClaimRow, claim: PreparedClaim) -> None:
        if row.country and row.country != "DE":
            claim.warnings.append(
                _("The debtor lives abroad (%(country)s).") % {"country": row.country}
            )
        if not (
            row.email
            or formats.clean_phone(row.phone)
            or formats.clean_phone(row.mobile)
        ):
            claim.warnings.append(
                _("There is neither an e-mail address nor a phone number.")
            )
        if data.open_amount is not None and 0 < data.open_amount < self.minimum:
            claim.warnings.append(
                _(
                    "The open amount %(amount)s EUR is below the minimum "
                    "of %(minimum)s EUR."
                )
                % {
                    "amount": formats.format_amount(data.open_amount),
                    "minimum": formats.format_amount(self.minimum),
                }
            )
