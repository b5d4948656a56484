"""Money, days and times as the admin shows them, in German and English."""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils import translation

from inkasso import display

NBSP = "\u00a0"


def test_money_in_german_has_thousands_separator_and_euro_sign_after():
    with translation.override("de"):
        assert display.money(Decimal("1234.5")) == f"1.234,50{NBSP}€"
        assert display.money(Decimal("-0.01")) == f"-0,01{NBSP}€"


def test_money_in_english_puts_the_euro_sign_first():
    with translation.override("en"):
        assert display.money(Decimal("1234.5")) == "€1,234.50"


def test_day_in_german_is_dd_mm_yyyy():
    with translation.override("de"):
        assert display.day(datetime.date(2026, 11, 3)) == "03.11.2026"


def test_a_moment_is_shown_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    utc = datetime.datetime(2026, 11, 20, 19, 39, tzinfo=datetime.UTC)
    with translation.override("de"):
        assert display.moment(utc) == "20.11.2026 20:39"
        # Late in the evening in UTC is already the next day in Berlin.
        late = datetime.datetime(2026, 11, 20, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
        assert display.day(late) == "21.11.2026"


def test_nothing_is_a_dash():
    assert display.money(None) == display.day(None) == display.moment(None) == "–"
