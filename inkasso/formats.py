"""The value formats of the handover file, independent of language and locale.

Each function takes a value and returns its text for the file together with the
notes that become warnings on the claim.
"""

import bisect
import codecs
import csv
import datetime
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
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


# Where the letters and signs of European names and addresses are: Latin-1,
# Latin Extended-A and -B, general punctuation (dashes, quotes), € and ™.
_PLAIN_CANDIDATES = [
    *range(0xA1, 0x250),
    *range(0x2010, 0x2045),
    0x20AC,
    0x2122,
]


@functools.cache
def _changed_by_clean_text(encoding: str) -> re.Pattern:
    """Return a pattern that finds where ``clean_text`` would change a line.

    What it leaves exactly as it is: printable ASCII, and those letters and
    signs of European text that ``encoding`` holds (umlauts, ß, „quotes“ in
    cp1252; also Ł in UTF-8), which are printable, not whitespace and NFC
    already (none of them combines with another); except a space at either
    end or a formula character at the start. A line break is the separator.
    """
    plain = "".join(
        char
        for char in map(chr, _PLAIN_CANDIDATES)
        if char.isprintable()
        and not char.isspace()
        and not unicodedata.combining(char)
        and unicodedata.is_normalized("NFC", char)
        and _can_encode(char, encoding)
    )
    return re.compile(f"[^\\n -~{re.escape(plain)}]|^[ =+\\-@]| $", re.MULTILINE)


def clean_texts(
    values: Sequence, *, encoding: str, max_length: int | None = None
) -> tuple[list[str], dict[int, dict]]:
    """Return ``clean_text`` of each value, and the notes by position.

    The same results as calling ``clean_text`` on each value, at a fraction of
    the cost: the column is searched as one text, one value per line, and only
    the values with something to change are cleaned one by one.
    """
    texts = [
        value if value.__class__ is str else "" if value is None else str(value)
        for value in values
    ]
    joined = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1:
        found = [m.start() for m in _changed_by_clean_text(encoding).finditer(joined)]
        suspects = set()
        if found:
            # Where each value starts in the joined text.
            starts = [
                length + index
                for index, length in enumerate(itertools.accumulate(map(len, texts)))
            ]
            suspects = {bisect.bisect_right(starts, at) for at in found}
        if max_length is not None and max(map(len, texts), default=0) > max_length:
            suspects.update(
                index for index, text in enumerate(texts) if len(text) > max_length
            )
    else:  # A value holds a line break itself: look at each.
        suspects = range(len(texts))
    notes = {}
    for index in sorted(suspects):
        texts[index], text_notes = clean_text(
            texts[index], encoding=encoding, max_length=max_length
        )
        if text_notes:
            notes[index] = text_notes
    return texts, notes


def clean_phone(value) -> str:
    """Keep only digits, spaces and ``+ - / ( )`` in a phone number."""
    if not value:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _SPACES.sub(" ", _NOT_PHONE.sub("", text)).strip()


_PLAIN_PHONES = re.compile(r"[0-9 +\-/()\n]*")
_PHONE_SPACES = re.compile(r"^ | $|  ", re.MULTILINE)


def clean_phones(values: Sequence) -> list[str]:
    """Return ``clean_phone`` of each value; most phone numbers are clean already."""
    texts = [
        value if value.__class__ is str else str(value) if value else ""
        for value in values
    ]
    joined = "\n".join(texts)
    if (
        _PLAIN_PHONES.fullmatch(joined)
        and joined.count("\n") == len(texts) - 1
        and not _PHONE_SPACES.search(joined)
    ):
        return texts
    return [clean_phone(value) for value in values]


class _Memo(dict):
    """Remember what a format function made of each value (dates repeat a lot)."""

    def __init__(self, function: Callable):
        super().__init__()
        self.function = function

    def __missing__(self, value):
        text = self[value] = "" if value is None else self.function(value)
        return text


def format_column(values: Sequence, function: Callable) -> list[str]:
    """Return ``function`` of each value, ``""`` for None, computing repeats once."""
    return list(map(_Memo(function).__getitem__, values))


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
