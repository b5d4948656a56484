"""The handover file, byte for byte, against a golden file."""

import csv
import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from inkasso.selectors import handover_file
from inkasso.services import hand_over
from shop.models import PaymentMethod, Salutation
from tests.contract import HEADERS
from tests.factories import (
    CustomerFactory,
    DueOrderFactory,
    DunningLetterFactory,
    OrderLineFactory,
    PaymentFactory,
)

GOLDEN = Path(__file__).parent / "golden" / "handover-cp1252.csv"
GOLDEN_UTF8 = Path(__file__).parent / "golden" / "handover-utf8.csv"
TODAY = datetime.date(2026, 11, 20)


def d(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


def make_claims() -> list:
    """Orders that touch every formatting rule of the contract."""
    dates = {
        "order_date": d("2026-09-01"),
        "invoice_date": d("2026-09-03"),
        "delivered_date": d("2026-09-03"),
        "due_date": d("2026-09-17"),
        "letter__sent_on": d("2026-10-20"),
        "letter__deadline": d("2026-10-27"),
    }
    orders = [
        DueOrderFactory(
            **dates,
            invoice_number="R-2026-0042",
            customer=CustomerFactory(
                salutation=Salutation.FRAU,
                first_name="Käthe",
                last_name="Groß-Schäfer",
                email="kaethe@example.de",
                phone="+49 (0)30 / 123-456 ext. 7",
                mobile="0171 2345678",
                fax="030 9876",
            ),
            billing_street="Königsallee 12a",
            billing_postcode="01067",
            billing_city="Dresden",
            line__product_name="Kaffeemühle",
            line__quantity=2,
            line__unit_price=Decimal("49.90"),
        ),
        DueOrderFactory(
            **dates,
            invoice_number="R-2026-0043",
            customer=CustomerFactory(
                salutation=Salutation.NONE,
                first_name="",
                last_name="",
                company='Müller & Söhne; "Kaffee" GmbH',
                email="buchhaltung@mueller.example",
                phone="",
            ),
            billing_street="Hauptstraße 1\r\nHinterhaus",
            billing_postcode="80331",
            billing_city="München",
            line__product_name="Espressomaschine",
            line__quantity=1,
            line__unit_price=Decimal("1234.50"),
        ),
        DueOrderFactory(
            **dates,
            invoice_number="R-2026-0044",
            customer=CustomerFactory(
                salutation=Salutation.HERR,
                first_name="Łukasz",
                last_name="Wróbel",
                email="",
                phone="+48 42 123 45 67",
            ),
            billing_street="ul. Piotrkowska 104",
            billing_postcode="90-001",
            billing_city="Łódź",
            billing_country="PL",
            line__product_name="Filter",
            line__quantity=3,
            line__unit_price=Decimal("4.99"),
        ),
        DueOrderFactory(
            **dates,
            invoice_number="R-2026-0045",
            customer=CustomerFactory(
                salutation=Salutation.HERR,
                first_name="=cmd|' /C calc'!A0",
                last_name="Strauß",
                email="@strauss.example",
            ),
            line__product_name="Wartungsvertrag\t12 Monate",
            line__quantity=1,
            line__unit_price=Decimal("199.00"),
            line__is_service=True,
            billing_street="  Ährenweg 7  ",
        ),
        DueOrderFactory(
            **{**dates, "delivered_date": None},
            payment_method=PaymentMethod.PREPAYMENT,
            invoice_number="R-2026-0046",
            customer=CustomerFactory(
                salutation=Salutation.FRAU,
                first_name="Ștefania",
                last_name="Őry",
                email="stefania@example.at",
            ),
            billing_street="Stephansplatz 4",
            billing_postcode="1010",
            billing_city="Wien",
            billing_country="AT",
            line__product_name="Teeservice",
            line__quantity=1,
            line__unit_price=Decimal("89.00"),
        ),
    ]
    PaymentFactory(
        order=orders[1], amount=Decimal("234.50"), received_on=d("2026-09-20")
    )
    OrderLineFactory(
        order=orders[0], product_name="Filter", quantity=1, unit_price=Decimal("4.99")
    )
    DunningLetterFactory(
        order=orders[0], level=1, sent_on=d("2026-10-01"), deadline=d("2026-10-08")
    )
    return [order.pk for order in orders]


def render(encoding="cp1252") -> bytes:
    result = hand_over(
        order_ids=make_claims(), source="command", today=TODAY, encoding=encoding
    )
    assert result.refused == []
    return b"".join(handover_file(result.handover))


def check_golden(path: Path, data: bytes) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_file_matches_the_golden_file_in_every_language(language):
    with translation.override(language):
        data = render()
    check_golden(GOLDEN, data)


@pytest.mark.django_db
def test_the_utf8_file_matches_its_golden_file():
    check_golden(GOLDEN_UTF8, render("utf-8-sig"))


def test_the_golden_file_has_the_18_headers_and_one_row_per_claim():
    rows = list(
        csv.reader(io.StringIO(GOLDEN.read_bytes().decode("cp1252")), delimiter=";")
    )
    assert rows[0] == HEADERS
    assert len(rows) == 6
    assert all(len(row) == 18 for row in rows)
    assert GOLDEN.read_bytes().count(b"\r\n") == 6
    assert GOLDEN_UTF8.read_bytes().startswith(b"\xef\xbb\xbf")
