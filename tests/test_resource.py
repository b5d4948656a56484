"""The django-import-export resource is the one definition of the 18 columns."""

import dataclasses
import datetime
from decimal import Decimal

from inkasso import resources
from inkasso.claims import ClaimRow
from inkasso.resources import MediafinanzResource
from tests.contract import HEADERS


def row(**overrides) -> ClaimRow:
    values = {
        "first_name": "Käthe",
        "last_name": "Łukasiewicz",
        "salutation_code": "f",
        "company": "",
        "street": "Königstraße 1\nHinterhaus",
        "postcode": "01067",
        "city": "Dresden",
        "country": "DE",
        "phone": "+49 (30) 123-45 / 6",
        "mobile": "tel. 0171 1234567",
        "fax": "",
        "email": "kaethe@example.de",
        "invoice_number": "R-1",
        "amount": Decimal("1234.5"),
        "reason": "Rechnung R-1 vom 03.11.2026: 2 x Kaffeemühle",
        "service_date": datetime.date(2026, 11, 3),
        "dunning_date": datetime.date(2026, 11, 20),
        "claim_type": 1,
    }
    return ClaimRow(**{**values, **overrides})


def test_the_resource_declares_the_18_headers_in_contract_order():
    assert MediafinanzResource().get_export_headers() == HEADERS
    # The system check inkasso.E009 compares subclasses with this tuple.
    assert list(resources.HEADERS) == HEADERS


def render(rows: list[ClaimRow]) -> tuple[list[list[str]], dict]:
    """Render rows through the column renderer; return them as rows again."""
    columns = {
        field.name: [getattr(r, field.name) for r in rows]
        for field in dataclasses.fields(ClaimRow)
    }
    texts, notes = MediafinanzResource().column_renderer(encoding="cp1252")(columns)
    return [list(values) for values in zip(*texts)], notes


def test_the_column_renderer_gives_what_import_export_gives():
    rows = [
        row(),
        row(company="=SUMME(A1)", first_name="", last_name=""),
        row(reason="Rechnung " + "Wort " * 80),
        row(first_name="Jörg", last_name="Müller", street="Am Markt 1", mobile=""),
        row(city=" Köln", phone=None, amount=None, service_date=None),
        row(claim_type=None, postcode=1234, email=None),
    ]
    dataset = MediafinanzResource().export(rows)
    assert dataset.headers == HEADERS
    assert [list(values) for values in dataset] == render(rows)[0]


def test_the_renderer_gives_notes_by_row_and_header():
    _texts, notes = render(
        [row(last_name="Meier"), row(), row(last_name="Meier", company="@x")]
    )
    assert notes == {
        1: {"Nachname": {"transliterated": [("Ł", "L")]}},
        2: {"Firma": {"formula": True}},
    }


def test_the_renderer_formats_every_column():
    [values], notes = render([row()])
    assert values == [
        "Käthe",
        "Lukasiewicz",
        "f",
        "",
        "Königstraße 1 Hinterhaus",
        "01067",
        "Dresden",
        "DE",
        "+49 (30) 123-45 / 6",
        "0171 1234567",
        "",
        "kaethe@example.de",
        "R-1",
        "1234,50",
        "Rechnung R-1 vom 03.11.2026: 2 x Kaffeemühle",
        "03.11.2026",
        "20.11.2026",
        "1",
    ]
    assert notes == {0: {"Nachname": {"transliterated": [("Ł", "L")]}}}
