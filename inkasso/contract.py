"""The mediafinanz handover contract: codes, limits and value formats.

What ``docs/handover-file.md`` agrees with mediafinanz, in one place. The 18
columns themselves (headers and order) are declared once, as the fields of
:class:`inkasso.resources.MediafinanzResource`; everything here is what those
fields, the checks, the models and the messages share. Change the contract
here, and only here.
"""

import codecs
import csv
import datetime
import enum
import re
from decimal import ROUND_HALF_UP, Decimal

#: Rechnungsnr: at most this many characters.
MAX_INVOICE_NUMBER = 40
#: Forderungsgrund: at most this many characters, cut at a word with "…".
MAX_REASON = 250
#: The only currency mediafinanz takes claims in.
CURRENCY = "EUR"
#: The mediafinanz file number (Aktenzeichen): exactly 11 ASCII digits.
FILE_NUMBER = re.compile(r"[0-9]{11}")
#: Characters a phone number keeps.
PHONE_CHARACTERS = "0123456789 +-/()"
#: A text value starting with one of these gets a leading ``'``.
FORMULA_STARTS = ("=", "+", "-", "@")
#: Where the shop records no deadline for the last Mahnung, it runs this many
#: days (an installation setting, ``INKASSO_DUNNING_GRACE_DAYS``).
DEFAULT_GRACE_DAYS = 7
#: Codes of the Geschlecht column; an installation may use others
#: (``INKASSO_SALUTATION_CODES``), for example ``w`` for Frau.
DEFAULT_SALUTATION_CODES = {"male": "m", "female": "f", "company": "c"}

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
#: PLZ: DE 5 digits, AT and CH 4 digits, other countries anything non-empty.
POSTCODE_PATTERNS = {
    "DE": re.compile(r"[0-9]{5}"),
    "AT": re.compile(r"[0-9]{4}"),
    "CH": re.compile(r"[0-9]{4}"),
}
HOME_COUNTRY = "DE"


class Salutation(enum.Enum):
    """What the shop knows about how to address the debtor."""

    UNKNOWN = ""
    MALE = "male"
    FEMALE = "female"


class ClaimType(enum.IntEnum):
    """The Forderungstyp column."""

    GOODS_DELIVERED = 1
    GOODS_PREPAID_NOT_SHIPPED = 2
    SERVICE = 3


def to_cents(value) -> Decimal | None:
    """Return an amount rounded to the cent as the file writes it, or None.

    The checks, the file and the ledger all take this value, so that an
    amount of 0.004 is refused rather than written as ``0,00``.
    """
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        return None
    if not amount.is_finite():
        return None
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def claim_type_code(value) -> int | None:
    """Return the Forderungstyp 1, 2 or 3 of ``value``, or None if it is none."""
    try:
        return int(ClaimType(int(value)))
    except (TypeError, ValueError):
        return None


def format_amount(value: Decimal) -> str:
    """Return ``1234,50``: decimal comma, two places, no thousands separator."""
    quantized = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{quantized:.2f}".replace(".", ",")


def format_date(value: datetime.date) -> str:
    """Return ``DD.MM.YYYY``."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_quantity(value) -> str:
    """Return a quantity as a German reader writes it: ``2``, ``1,5``."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
        return str(value).replace(".", ",")
    return str(value)


def country_code(value) -> str:
    """Return the Land column's value: the country code, upper case."""
    return (value or "").strip().upper()


def is_valid_postcode(postcode: str, country: str) -> bool:
    pattern = POSTCODE_PATTERNS.get(country)
    return bool(postcode) and (pattern is None or bool(pattern.fullmatch(postcode)))


def normalize_file_number(value: str) -> str:
    """Return a file number as typed or pasted, without spaces, dashes or slashes."""
    return re.sub(r"[\s/-]", "", value or "")


class HandoverDialect(csv.Dialect):
    """``;`` separated, ``"`` quoted where needed (doubled inside), CRLF."""

    delimiter = ";"
    quotechar = '"'
    doublequote = True
    escapechar = None
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    skipinitialspace = False
    strict = True


def encoding_problem(encoding: str) -> str | None:
    """Return why a file cannot be written in ``encoding``, or None if it can."""
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        return "unknown encoding"
    # The header row and the characters a value may start with: an encoding
    # that writes "+49" as "+-49" (UTF-7) is no encoding for this file.
    probe = "Vorname;PLZ;+49-0/1 (2) '@=\r\n"
    try:
        encoded = probe.encode(encoding)
    except UnicodeEncodeError:
        return "cannot encode the header row"
    except LookupError:  # A codec of another kind, such as rot13 or base64.
        return "not a text encoding"
    if encoded.lstrip(codecs.BOM_UTF8) != probe.encode("ascii"):
        return "not ASCII-compatible"
    return None
