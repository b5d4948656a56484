"""The value formats of the file, one rule at a time."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inkasso.formats import (
    clean_phone,
    clean_phones,
    clean_text,
    clean_texts,
    encoding_problem,
    format_amount,
    format_column,
    format_date,
    shorten,
)


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
    assert notes == {"shortened": True}


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
        ("", ""),
        (None, ""),
    ],
)
def test_phones_keep_only_allowed_characters(value, expected):
    assert clean_phone(value) == expected


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
    st.text(alphabet="„“”–—…€™ǅŁ\u2028\u2029\u200b\u0301 a"),
    st.sampled_from(["", " ", "Käthe", "Łódź", "=1", " x", "x ", "a\nb", "€", "œ"]),
)
ENCODINGS = st.sampled_from(["cp1252", "utf-8", "iso-8859-15", "latin-1", "ascii"])


@given(
    values=st.lists(VALUES, max_size=12),
    encoding=ENCODINGS,
    max_length=st.sampled_from([None, 1, 5, 40, 250]),
)
def test_a_column_is_cleaned_as_each_of_its_values(values, encoding, max_length):
    texts, notes = clean_texts(values, encoding=encoding, max_length=max_length)
    one_by_one = [
        clean_text(value, encoding=encoding, max_length=max_length) for value in values
    ]
    assert texts == [text for text, _notes in one_by_one]
    assert notes == {i: n for i, (_text, n) in enumerate(one_by_one) if n}


@given(values=st.lists(VALUES, max_size=12))
def test_a_column_of_phone_numbers_is_cleaned_as_each_of_them(values):
    assert clean_phones(values) == [clean_phone(value) for value in values]


def test_a_column_of_dates_or_amounts_is_formatted_as_each_value():
    dates = [datetime.date(2026, 11, 3), None, datetime.date(2026, 11, 3)]
    assert format_column(dates, format_date) == ["03.11.2026", "", "03.11.2026"]
    amounts = [Decimal("1.5"), Decimal("1.50"), 2, None, Decimal("0.005")]
    assert format_column(amounts, format_amount) == ["1,50", "1,50", "2,00", "", "0,01"]
