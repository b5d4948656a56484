"""The value formats of the handover file, independent of language and locale.

Each function takes a value and returns its text for the file together with the
notes that become warnings on the claim.
"""

import codecs
import csv
import datetime
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from anyascii import anyascii

CENT = Decimal("0.01")
FORMULA_STARTS = ("=", "+", "-", "@")
ELLIPSIS = "…"
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_NOT_PHONE = re.compile(r"[^0-9 +\-/()]")
_SPACES = re.compile(r" {2,}")
# Exactly the Unicode categories Cc (control) and Cs (surrogate); a regex
# rather than unicodedata.category() per character, which cost a tenth of a
# 100,000-claim handover.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class Note:
    """Kinds of change a value went through on its way into the file."""

    TRANSLITERATED = "transliterated"
    FORMULA = "formula"
    SHORTENED = "shortened"


@functools.lru_cache(maxsize=4096)
def _can_encode(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _drop_control(text: str) -> str:
    # Control characters (NUL and friends) and lone surrogates have no place in
    # a CSV cell and would break the encoder.
    return _CONTROL.sub("", text)


def transliterate(text: str, encoding: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace each character ``encoding`` cannot hold by its ASCII transliteration."""
    if text.isascii():
        return text, []
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        pass
    else:
        return text, []  # Umlauts and ß: German text usually fits.
    changes = []
    out = []
    for char in text:
        if _can_encode(char, encoding):
            out.append(char)
        else:
            replacement = anyascii(char)
            changes.append((char, replacement))
            out.append(replacement)
    return "".join(out), changes


def shorten(text: str, max_length: int) -> str:
    """Cut ``text`` at a word boundary so that it fits ``max_length`` with ``…``."""
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 1]
    if " " in cut and text[max_length - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + ELLIPSIS


def clean_text(
    value, *, encoding: str, max_length: int | None = None
) -> tuple[str, dict]:
    """Return ``value`` as one clean line of text for the file, and notes on it.

    In this order: Unicode NFC; line breaks and tabs become one space; control
    characters go; surrounding whitespace is trimmed; characters the encoding
    cannot hold are transliterated; a leading ``= + - @`` gets a ``'``; text
    longer than ``max_length`` is cut at a word boundary with ``…``.
    """
    if value is None:
        return "", {}
    text = str(value)
    notes = {}
    if text.isascii() and text.isprintable():
        # The common case: nothing to normalise, break, drop or transliterate.
        text, changes = text.strip(), None
    else:
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        text = _drop_control(_LINE_BREAKS.sub(" ", text)).strip()
        text, changes = transliterate(text, encoding)
    if changes:
        notes[Note.TRANSLITERATED] = changes
        text = text.strip()
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
        notes[Note.FORMULA] = True
    if max_length is not None and len(text) > max_length:
        text = shorten(text, max_length)
        notes[Note.SHORTENED] = True
    return text, notes


def clean_phone(value) -> str:
    """Keep only digits, spaces and ``+ - / ( )`` in a phone number."""
    if not value:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _SPACES.sub(" ", _NOT_PHONE.sub("", text)).strip()


def format_amount(value: Decimal) -> str:
    """Return ``1234,50``: decimal comma, two places, no thousands separator."""
    quantized = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{quantized:.2f}".replace(".", ",")


def format_date(value: datetime.date) -> str:
    """Return ``DD.MM.YYYY``."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def encoding_problem(encoding: str) -> str | None:
    """Return why a file cannot be written in ``encoding``, or None if it can."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "unknown encoding"
    try:
        encoded = "Vorname;PLZ\r\n".encode(encoding)
    except UnicodeEncodeError:
        return "cannot encode the header row"
    if encoded.lstrip(codecs.BOM_UTF8) != b"Vorname;PLZ\r\n":
        return "not ASCII-compatible"
    return None


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
