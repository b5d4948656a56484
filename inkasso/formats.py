"""Text for the handover file: one clean line, in the file's encoding.

Each function takes a value and returns its text for the file, with the notes
that become warnings on the claim. Independent of language and locale.
"""

import functools
import re
import unicodedata

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .contract import FORMULA_STARTS, PHONE_CHARACTERS

ELLIPSIS = "…"
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_NOT_PHONE = re.compile(f"[^{re.escape(PHONE_CHARACTERS)}]")
_SPACES = re.compile(r" {2,}")


class Note:
    """Kinds of change a value went through on its way into the file."""

    TRANSLITERATED = "transliterated"
    FORMULA = "formula"
    SHORTENED = "shortened"
    INVISIBLE = "invisible"
    INVALID = "invalid"


def _is_invisible(char: str) -> bool:
    # Cc: control characters (NUL, ...); Cf: format characters (zero-width
    # spaces, bidi controls, BOM), which hide what a cell really starts with;
    # Cs: lone surrogates, which no encoder takes.
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


@functools.lru_cache(maxsize=4096)
def _can_encode(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def transliterate(text: str, encoding: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace each character ``encoding`` cannot hold by its ASCII transliteration."""
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


def shorten(text: str, max_length: int, *, ellipsis: str = ELLIPSIS) -> str:
    """Cut ``text`` at a word boundary so that it fits ``max_length`` with ``…``."""
    if len(text) <= max_length:
        return text
    cut = text[: max_length - len(ellipsis)]
    if " " in cut and text[len(cut)] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + ellipsis


def clean_text(
    value,
    *,
    encoding: str,
    max_length: int | None = None,
    formula_guard: bool = True,
) -> tuple[str, dict]:
    """Return ``value`` as one clean line of text for the file, and notes on it.

    In this order: Unicode NFC; line breaks and tabs become one space;
    invisible characters (control, format, surrogate) go; surrounding
    whitespace is trimmed; characters the encoding cannot hold are
    transliterated; a leading ``= + - @`` gets a ``'``; text longer than
    ``max_length`` is cut at a word boundary with ``…``. Clean text comes
    out as it went in.
    """
    if value is None:
        return "", {}
    text = str(value)
    notes = {}
    if not text.isprintable():
        # Line breaks, tabs, control and format characters: none is printable.
        text = _LINE_BREAKS.sub(" ", text)
        if any(unicodedata.category(char) == "Cf" for char in text):
            notes[Note.INVISIBLE] = True
        text = "".join(char for char in text if not _is_invisible(char))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text, changes = transliterate(text.strip(), encoding)
        if changes:
            notes[Note.TRANSLITERATED] = changes
    text = text.strip()
    if formula_guard and text.startswith(FORMULA_STARTS):
        text = "'" + text
        notes[Note.FORMULA] = True
    if max_length is not None and len(text) > max_length:
        ellipsis = ELLIPSIS if _can_encode(ELLIPSIS, encoding) else "..."
        text = shorten(text, max_length, ellipsis=ellipsis)
        notes[Note.SHORTENED] = max_length
    return text, notes


def clean_phone(value) -> str:
    """Keep only digits, spaces and ``+ - / ( )`` in a phone number."""
    if not value:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _SPACES.sub(" ", _NOT_PHONE.sub("", text)).strip()


# The e-mail column and the check for a way to reach the debtor ask about the
# same address; Django's validation of it is worth remembering. A handover
# exports a whole chunk (INKASSO_CHUNK_SIZE, 2,000 orders) before it checks
# them: the cache holds more than a chunk, or the check would find every
# address evicted.
@functools.lru_cache(maxsize=8192)
def clean_email(value, *, encoding: str) -> str:
    """Return the e-mail address for the file, or ``""`` if it is not valid."""
    text, notes = clean_text(value, encoding=encoding, formula_guard=False)
    if not text or Note.TRANSLITERATED in notes:
        # A transliterated address is another address: leave it out.
        return ""
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text
