"""The django-import-export resource is the one definition of the 18 columns.

Every value goes through import-export's own ``export_resource()`` (so a
host's ``dehydrate_<field>`` methods and ``Field(dehydrate_method=...)``
apply) and then through its widget's ``file_text()``, which makes it safe
for the file whatever a hook returned.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import override_settings

from inkasso import resources, rules
from inkasso.adapters import ClaimData
from inkasso.checks import check_resource
from inkasso.resources import ClaimRow, MediafinanzResource
from inkasso.selectors import handover_file
from inkasso.services import hand_over
from tests import custom_resources
from tests.contract import HEADERS
from tests.factories import DueOrderFactory

FIRMA = HEADERS.index("Firma")


def row(**overrides) -> ClaimRow:
    values = {
        "data": ClaimData(company="Kaffeehaus"),
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


ROWS = [
    row(),
    row(company="=SUMME(A1)", first_name="", last_name=""),
    row(company="\u200b=SUMME(A1)", first_name="\u202eevil\u202c"),
    row(reason="Rechnung " + "Wort " * 80),
    row(first_name="Jörg", last_name="Müller", street="Am Markt 1", mobile=""),
    row(city=" Köln", phone=None, amount=None, service_date=None),
    row(claim_type=None, postcode=1234, email=None),
    row(email="kaethe at example.de", fax="=1+1", last_name="東京"),
]


def export_rows(resource, rows, encoding):
    """Export through export_resource(); return the values and notes by row."""
    values, notes = [], []
    for claim_row in rows:
        row_notes = {}
        values.append(
            resource.export_resource(claim_row, encoding=encoding, notes=row_notes)
        )
        notes.append(row_notes)
    return values, notes


def test_the_resource_declares_the_18_headers_in_contract_order():
    assert MediafinanzResource().get_export_headers() == HEADERS
    # The system check inkasso.E009 compares subclasses with these.
    assert resources.contract_headers() == HEADERS


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_export_resource_gives_what_import_export_export_gives(encoding):
    resource = MediafinanzResource()
    values, _notes = export_rows(resource, ROWS, encoding)
    dataset = resource.export(ROWS, encoding=encoding)
    assert dataset.headers == HEADERS
    assert [list(values) for values in dataset] == values


def test_export_uses_the_installation_encoding_by_default(settings):
    resource = MediafinanzResource()
    settings.INKASSO_ENCODING = "utf-8-sig"
    assert resource.export_resource(row())[1] == "Łukasiewicz"
    assert [list(values) for values in resource.export(ROWS)] == export_rows(
        resource, ROWS, "utf-8-sig"
    )[0]
    settings.INKASSO_ENCODING = "cp1252"
    assert resource.export_resource(row())[1] == "Lukasiewicz"


def test_export_resource_gives_notes_by_row_attribute():
    _values, notes = export_rows(
        MediafinanzResource(),
        [
            row(last_name="Meier"),
            row(),
            row(last_name="Meier", company="@x"),
            row(last_name="Meier", company="\ufeff-x", email="no address"),
            row(last_name="Meier", reason="Rechnung " + "Wort " * 80),
        ],
        "cp1252",
    )
    assert notes == [
        {},
        {"last_name": {"transliterated": [("Ł", "L")]}},
        {"company": {"formula": True}},
        {"company": {"invisible": True, "formula": True}, "email": {"invalid": True}},
        {"reason": {"shortened": 250}},
    ]


def test_notes_become_the_claims_warnings():
    notes = {}
    MediafinanzResource().export_resource(
        row(company="\u2066=x"), encoding="cp1252", notes=notes
    )
    assert [
        (problem.code, problem.is_error, problem.message)
        for problem in rules.note_problems(notes)
    ] == [
        (
            "transliterated",
            False,
            "Last name: characters changed for the file (Ł → L).",
        ),
        ("invisible", False, "Company: invisible characters were removed."),
        (
            "formula",
            False,
            "Company starts like a spreadsheet formula; a ' was put in front.",
        ),
    ]


@pytest.mark.parametrize(
    ("encoding", "last_name"), [("cp1252", "Lukasiewicz"), ("utf-8-sig", "Łukasiewicz")]
)
def test_export_resource_formats_every_column(encoding, last_name):
    notes = {}
    values = MediafinanzResource().export_resource(
        row(), encoding=encoding, notes=notes
    )
    assert values == [
        "Käthe",
        last_name,
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
    if encoding == "cp1252":
        assert notes == {"last_name": {"transliterated": [("Ł", "L")]}}
    else:
        assert notes == {}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_hostile_values_are_made_safe_in_every_column(encoding):
    [values], _notes = export_rows(
        MediafinanzResource(),
        [
            row(
                first_name="=1+1",
                last_name="\u200b+1",
                company="\u2066-1\u2069",
                street="\ufeff@SUM(A1)",
                city="a;b\r\nc",
                fax="=1+2",
                email="\u202ekaethe@example.de",
                reason="\u202e=HYPERLINK()",
            )
        ],
        encoding,
    )
    assert values[:7] == ["'=1+1", "'+1", "f", "'-1", "'@SUM(A1)", "01067", "a;b c"]
    assert values[10] == "1+2"
    assert values[11] == "kaethe@example.de"
    assert values[14] == "'=HYPERLINK()"


@pytest.mark.parametrize(
    "email", ["=1+1@example.de", "-2+3@example.de", "+cmd@example.de"]
)
def test_an_email_address_never_starts_like_a_formula(email):
    values = MediafinanzResource().export_resource(row(email=email), encoding="cp1252")
    assert not values[HEADERS.index("Email")].startswith(("=", "+", "-", "@"))


RESOURCES = [
    (custom_resources.DehydrateFirmaResource, "'=ACME GmbH"),
    (custom_resources.DehydrateMethodResource, "'@Kaffeehaus GmbH"),
    (custom_resources.CallableDehydrateResource, "'-ACME GmbH"),
]


@pytest.mark.parametrize(("resource_class", "firma"), RESOURCES)
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_hook_of_a_subclass_applies_and_its_value_is_made_safe(
    resource_class, firma, encoding
):
    resource = resource_class()
    assert resource.get_export_headers() == HEADERS
    notes = {}
    values = resource.export_resource(
        row(company="Muster GmbH"), encoding=encoding, notes=notes
    )
    assert values[FIRMA] == firma
    assert notes["company"]["formula"] is True
    # The other columns are the resource's own.
    expected = MediafinanzResource().export_resource(row(), encoding=encoding)
    assert values[:FIRMA] + values[FIRMA + 1 :] == (
        expected[:FIRMA] + expected[FIRMA + 1 :]
    )
    # import-export's own export() agrees.
    [exported] = resource.export([row(company="Muster GmbH")], encoding=encoding)
    assert list(exported) == values


@pytest.mark.parametrize(("resource_class", "firma"), RESOURCES)
def test_the_system_checks_accept_the_subclasses(resource_class, firma):
    path = f"{resource_class.__module__}.{resource_class.__qualname__}"
    with override_settings(INKASSO_RESOURCE=path):
        assert check_resource(None) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("resource_class", "firma"), RESOURCES)
def test_a_handover_writes_what_the_hook_returns(resource_class, firma):
    order = DueOrderFactory(billing_company="Kaffeehaus")
    path = f"{resource_class.__module__}.{resource_class.__qualname__}"
    with override_settings(INKASSO_RESOURCE=path):
        result = hand_over(order_ids=[order.pk], source="command")

    assert result.count == 1
    data = b"".join(handover_file(result.handover))
    rows = list(
        csv.reader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";")
    )
    assert rows[0] == HEADERS
    assert len(rows) == 2
    assert len(rows[1]) == 18
    assert rows[1][FIRMA] == firma
    assert rows[1][HEADERS.index("Rechnungsnr")] == order.invoice_number
    [claim] = result.report.accepted
    assert rules.Problem("formula", {"field": "company"}) in claim.problems
    # The ledger keeps the line as the file has it.
    assert result.handover.claims.get().line == data.decode("cp1252").split("\r\n")[1]


@pytest.mark.django_db
def test_the_ledger_keys_a_claim_by_the_invoice_number_the_file_has():
    first = DueOrderFactory()
    path = "tests.custom_resources.PrefixedInvoiceNumberResource"
    with override_settings(INKASSO_RESOURCE=path):
        claim = hand_over(order_ids=[first.pk], source="command").handover.claims.get()
        assert claim.invoice_number == f"SHOP-{first.invoice_number}"
        assert claim.values[HEADERS.index("Rechnungsnr")] == claim.invoice_number

        # Another order with the same number is refused by that key.
        second = DueOrderFactory(invoice_number=first.invoice_number)
        result = hand_over(order_ids=[second.pk], source="command")

    assert result.count == 0
    [refused] = result.refused
    assert [p.code for p in refused.problems] == ["invoice_number_taken"]
