"""The value formats of the file, one rule at a time."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from inkasso.contract import (
    FORMULA_STARTS,
    encoding_problem,
    format_amount,
    format_date,
)
from inkasso.formats import Note, clean_email, clean_phone, clean_text, shorten


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  Käthe  ", "Käthe"),
        ("Haupt-\r\nstraße\t1", "Haupt- straße 1"),
        ("a\n\n\nb", "a b"),
        ("nul\x00byte\x07", "nulbyte"),
        ("Łódź", "Lódz"),
        ("Ștefan Őry", "Stefan Ory"),
        ("e\u0301", "é"),  # combining accent composed first
        ("東京", "DongJing"),
        ("zero\u200bwidth", "zerowidth"),
        ("=1+1", "'=1+1"),
        ("+49 Spam", "'+49 Spam"),
        ("-minus", "'-minus"),
        ("@at", "'@at"),
        ("\n=after a break", "'=after a break"),
        ('a;b"c', 'a;b"c'),
        (42, "42"),
    ],
)
def test_clean_text_for_cp1252(value, expected):
    assert clean_text(value, encoding="cp1252")[0] == expected


def test_clean_text_reports_what_it_changed():
    assert clean_text("=Łx", encoding="cp1252")[1] == {
        "transliterated": [("Ł", "L")],
        "formula": True,
    }
    assert clean_text("Łx", encoding="utf-8-sig") == ("Łx", {})


def test_clean_text_shortens_at_a_word_boundary():
    text, notes = clean_text("wort " * 60, encoding="cp1252", max_length=250)
    assert len(text) <= 250
    assert text.endswith("wort…")
    assert notes == {"shortened": 250}


def test_the_formula_guard_can_be_turned_off():
    assert clean_text("=1+1", encoding="cp1252", formula_guard=False) == ("=1+1", {})


# Format characters (Unicode category Cf) are invisible in a spreadsheet: a
# cell that shows "=1+1" could start with one of them, so the formula guard
# would not see the "=". They go first, and the guard looks at what is left.
INVISIBLE = {
    "zero-width space": "\u200b",
    "left-to-right isolate": "\u2066",
    "byte order mark": "\ufeff",
    "right-to-left override": "\u202e",
}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_before_a_formula_go_and_the_guard_applies(char, encoding):
    text, notes = clean_text(char + "=1+1", encoding=encoding)
    assert text == "'=1+1"
    assert notes == {Note.INVISIBLE: True, Note.FORMULA: True}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_anywhere_go_with_a_note(char, encoding):
    text, notes = clean_text(f"{char}Kä{char}the{char}", encoding=encoding)
    assert text == "Käthe"
    assert notes == {Note.INVISIBLE: True}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_several_invisible_characters_and_spaces_before_a_formula(encoding):
    text, notes = clean_text(" \u200b \u2066\ufeff\u202e @SUM(A1)", encoding=encoding)
    assert text == "'@SUM(A1)"
    assert notes == {Note.INVISIBLE: True, Note.FORMULA: True}


def test_control_characters_go_without_an_invisible_note():
    assert clean_text("a\x00b", encoding="cp1252") == ("ab", {})


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_combining_mark_after_an_invisible_character_is_composed(encoding):
    # The invisible character goes before NFC, so the accent is composed.
    assert clean_text("Cafe\u200b\u0301", encoding=encoding)[0] == "Café"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc def", "abc def"),
        ("abcdef ghij", "abcdef…"),
        ("abcdefghijk", "abcdefghi…"),
        ("abcd efghi jk", "abcd…"),
    ],
)
def test_shorten(text, expected):
    assert shorten(text, 10) == expected
    assert len(shorten(text, 10)) <= 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "1234,50"),
        (Decimal("1234567.891"), "1234567,89"),
        (Decimal("0.005"), "0,01"),
        (Decimal("10"), "10,00"),
        (2, "2,00"),
    ],
)
def test_amounts_have_a_decimal_comma_and_two_places(value, expected):
    assert format_amount(value) == expected


def test_dates_are_day_month_year():
    assert format_date(datetime.date(2026, 3, 4)) == "04.03.2026"
    assert format_date(datetime.date(999, 1, 1)) == "01.01.0999"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+49 (0)30 / 123-45", "+49 (0)30 / 123-45"),
        ("Tel.: 030 12345 ab 18 Uhr", "030 12345 18"),
        ("=1+2", "1+2"),
        ("\u200b030\u202e 123", "030 123"),
        ("", ""),
        (None, ""),
    ],
)
def test_phones_keep_only_allowed_characters(value, expected):
    assert clean_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("kaethe@example.de", "kaethe@example.de"),
        (" kaethe@example.de\n", "kaethe@example.de"),
        ("\u200bkaethe@example.de", "kaethe@example.de"),
        ("kaethe at example.de", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_emails_are_cleaned_or_left_out(value, expected):
    assert clean_email(value, encoding="cp1252") == expected


def test_encoding_problems_are_named():
    assert encoding_problem("cp1252") is None
    assert encoding_problem("utf-8-sig") is None
    assert encoding_problem("latin-1") is None
    assert encoding_problem("ebcdic-klingon") == "unknown encoding"
    assert encoding_problem("utf-16") == "not ASCII-compatible"
    assert encoding_problem("cp500") == "not ASCII-compatible"


VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x17F)),
    st.text(alphabet=" +-/()0123456789\n\t=@äßé\xa0\xad"),
    st.text(alphabet="„“”–—…€™ǅŁ\u2028\u2029\u200b\u2066\u202e\ufeff\u0301 =a"),
    st.sampled_from(["", " ", "Käthe", "Łódź", "=1", " x", "x ", "a\nb", "€", "œ"]),
)
ENCODINGS = st.sampled_from(
    ["cp1252", "utf-8", "utf-8-sig", "iso-8859-15", "latin-1", "ascii"]
)
# Shortened text ends with "…", which only these encodings hold (see below).
ELLIPSIS_ENCODINGS = st.sampled_from(["cp1252", "utf-8", "utf-8-sig"])
ENCODING_AND_MAX_LENGTH = st.one_of(
    st.tuples(ENCODINGS, st.none()),
    st.tuples(ELLIPSIS_ENCODINGS, st.sampled_from([None, 1, 5, 40, 250])),
)


@given(value=VALUES, encoding_and_max_length=ENCODING_AND_MAX_LENGTH)
def test_clean_text_gives_one_safe_line_in_the_encoding(value, encoding_and_max_length):
    encoding, max_length = encoding_and_max_length
    text, notes = clean_text(value, encoding=encoding, max_length=max_length)
    text.encode(encoding)
    assert text == text.strip()
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in text)
    assert not any(char in text for char in "\u2028\u2029\x85")
    assert not text.startswith(FORMULA_STARTS)
    if max_length is not None:
        assert len(text) <= max_length
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        # Guarded here, or it came guarded: then the input had the "'".
        assert notes.get(Note.FORMULA) or "'" in str(value)
    if any(unicodedata.category(char) == "Cf" for char in str(value)):
        assert notes[Note.INVISIBLE] is True


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_shortened_text_fits_every_accepted_encoding(encoding):
    assert encoding_problem(encoding) is None
    text, _notes = clean_text("wort " * 60, encoding=encoding, max_length=250)
    text.encode(encoding)


@example(value="a\u200b\u0301", encoding="utf-8")
@example(value="a\u200b\u0301", encoding="cp1252")
@given(value=VALUES, encoding=ENCODINGS)
def test_clean_text_leaves_its_own_output_as_it_is(value, encoding):
    text, _notes = clean_text(value, encoding=encoding)
    assert clean_text(text, encoding=encoding) == (text, {})
