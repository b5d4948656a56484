"""The django-import-export resource is the one definition of the 18 columns."""

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


def test_the_fast_renderer_gives_what_import_export_gives():
    rows = [
        row(),
        row(company="=SUMME(A1)", first_name="", last_name=""),
        row(reason="Rechnung " + "Wort " * 80),
    ]
    resource = MediafinanzResource()
    dataset = resource.export(rows)
    render = resource.row_renderer(encoding="cp1252")
    assert dataset.headers == HEADERS
    assert [list(values) for values in dataset] == [render(r)[0] for r in rows]


def test_the_renderer_formats_every_column():
    values, notes = MediafinanzResource().row_renderer(encoding="cp1252")(row())
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
    assert notes == {"Nachname": {"transliterated": [("Ł", "L")]}}
