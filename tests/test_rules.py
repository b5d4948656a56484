"""The contract's rules on plain claim data: no database, by code and by header."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from inkasso import rules
from inkasso.adapters import ClaimData, ClaimType, Salutation
from inkasso.resources import MediafinanzResource, claim_row
from tests.contract import HEADERS

TODAY = datetime.date(2026, 12, 1)
POLICY = rules.Policy(
    today=TODAY, encoding="cp1252", grace_days=7, minimum_amount=Decimal("10.00")
)


def claim(**overrides) -> ClaimData:
    """A claim that passes every check; each test breaks one thing."""
    values = {
        "first_name": "Käthe",
        "last_name": "Müller",
        "salutation": Salutation.FEMALE,
        "street": "Königstraße 1",
        "postcode": "01067",
        "city": "Dresden",
        "country": "DE",
        "phone": "+49 351 123456",
        "email": "kaethe@example.de",
        "invoice_number": "R-2026-0042",
        "invoice_date": datetime.date(2026, 9, 1),
        "invoice_total": Decimal("99.80"),
        "open_amount": Decimal("99.80"),
        "items": [(2, "Kaffeemühle")],
        "due_date": datetime.date(2026, 9, 15),
        "service_date": datetime.date(2026, 9, 2),
        "dunning_date": datetime.date(2026, 11, 1),
        "dunning_deadline": datetime.date(2026, 11, 15),
        "claim_type": ClaimType.GOODS_DELIVERED,
    }
    return ClaimData(**{**values, **overrides})


def codes(data: ClaimData, **kwargs) -> list[str]:
    return [
        problem.code for problem in rules.check_claim(data, policy=POLICY, **kwargs)
    ]


def errors(data: ClaimData, **kwargs) -> list[rules.Problem]:
    problems = rules.check_claim(data, policy=POLICY, **kwargs)
    return [problem for problem in problems if problem.is_error]


def file_row(data: ClaimData, encoding="cp1252") -> tuple[dict, dict]:
    notes = {}
    values = MediafinanzResource().export_resource(
        claim_row(data, codes={"male": "m", "female": "f", "company": "c"}),
        encoding=encoding,
        notes=notes,
    )
    return dict(zip(HEADERS, values, strict=True)), notes


def test_a_complete_claim_has_no_problem():
    assert codes(claim()) == []


# Hard errors, in the order of the contract.


def test_an_order_with_an_open_claim_is_refused():
    assert codes(claim(), ledger=rules.LedgerFacts(open_handover=3)) == ["open_claim"]


def test_an_invoice_number_on_another_open_claim_is_refused():
    ledger = rules.LedgerFacts(invoice_number_taken_by=4)
    [problem] = errors(claim(), ledger=ledger)
    assert problem.code == "invoice_number_taken"
    assert problem.params == {"invoice_number": "R-2026-0042", "handover": 4}


def test_an_invoice_number_twice_in_the_selection_is_refused_naming_the_other():
    ledger = rules.LedgerFacts(invoice_number_twice="B-1")
    [problem] = errors(claim(), ledger=ledger)
    assert problem.message == (
        "Invoice number R-2026-0042 is also on order B-1 of this selection; "
        "correct the invoice number of the wrong order."
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"is_cancelled": True}, "cancelled"),
        ({"currency": "CHF"}, "currency"),
        ({"open_amount": None}, "amount_unknown"),
        ({"open_amount": Decimal("0.00")}, "fully_paid"),
        (
            {"open_amount": Decimal("0.00"), "invoice_total": None},
            "amount_not_positive",
        ),
        (
            {"open_amount": Decimal("-1.00"), "invoice_total": None},
            "amount_not_positive",
        ),
        ({"due_date": TODAY}, "not_yet_due"),
        ({"country": "XX"}, "country_invalid"),
        ({"postcode": "1067"}, "postcode_invalid"),
        ({"country": "AT", "postcode": "10100"}, "postcode_invalid"),
        ({"invoice_number": "R" * 41}, "invoice_number_too_long"),
        ({"dunning_date": None}, "no_mahnung"),
        (
            {"dunning_date": datetime.date(2026, 9, 1), "dunning_deadline": None},
            "mahnung_before_service",
        ),
        ({"dunning_date": TODAY, "dunning_deadline": None}, "deadline_running"),
        ({"dunning_deadline": TODAY}, "deadline_running"),
    ],
)
def test_each_hard_error_by_itself(overrides, code):
    assert [problem.code for problem in errors(claim(**overrides))] == [code]


def test_a_mahnung_in_the_future_is_refused():
    tomorrow = TODAY + datetime.timedelta(days=1)
    data = claim(dunning_date=tomorrow, dunning_deadline=tomorrow)
    assert "mahnung_in_future" in codes(data)


@pytest.mark.parametrize(
    "field",
    ["street", "city", "invoice_number", "postcode", "service_date", "claim_type"],
)
def test_a_missing_required_value_is_refused_naming_the_field(field):
    data = claim(**{field: None if "date" in field or "type" in field else " \t"})
    missing = [p for p in errors(data) if p.code == "missing"]
    assert [p.params for p in missing] == [{"field": field}]


def test_an_invisible_only_value_counts_as_missing():
    assert [p.code for p in errors(claim(city="\u200b\u2066"))] == ["missing"]


def test_a_person_needs_both_names_but_a_company_needs_none():
    assert [p.params for p in errors(claim(first_name=""))] == [{"field": "first_name"}]
    company = claim(first_name="", last_name="", company="Müller GmbH")
    assert errors(company) == []
    assert file_row(company)[0]["Geschlecht"] == "c"


def test_without_a_deadline_the_grace_days_count_from_the_mahnung():
    data = claim(dunning_date=TODAY - datetime.timedelta(days=7), dunning_deadline=None)
    assert [p.code for p in errors(data)] == ["deadline_running"]
    relaxed = dataclasses.replace(POLICY, grace_days=6)
    assert rules.check_claim(data, policy=relaxed) == []
    off = dataclasses.replace(POLICY, grace_days=0)
    assert (
        rules.check_claim(claim(dunning_date=TODAY, dunning_deadline=None), policy=off)
        == []
    )


# Warnings: handed over, but shown.


def test_a_claim_withdrawn_before_is_a_warning_with_its_date_and_reason():
    ledger = rules.LedgerFacts(
        withdrawn_on=datetime.date(2026, 11, 20),
        withdrawal_reason="Kunde zahlt",
        withdrawn_chosen=True,
    )
    [problem] = rules.check_claim(claim(), policy=POLICY, ledger=ledger)
    assert not problem.is_error
    assert problem.message == (
        "A claim for this order was withdrawn on 20.11.2026 (Kunde zahlt); "
        "it is handed over again only because you selected it."
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"country": "AT", "postcode": "1010"}, "abroad"),
        ({"email": "", "phone": ""}, "no_contact"),
        ({"email": "kaethe at example", "phone": ""}, "no_contact"),
        ({"open_amount": Decimal("9.99")}, "below_minimum"),
    ],
)
def test_each_warning_by_itself(overrides, code):
    problems = rules.check_claim(claim(**overrides), policy=POLICY)
    assert [(p.code, p.is_error) for p in problems] == [(code, False)]


def test_what_the_file_changed_becomes_warnings_by_field():
    data = claim(last_name="Łukasiewicz", company="=HYPERLINK(1)", email="x at y")
    row, notes = file_row(data)
    assert row["Nachname"] == "Lukasiewicz"
    assert row["Firma"] == "'=HYPERLINK(1)"
    assert row["Email"] == ""
    assert [p.message for p in rules.note_problems(notes)] == [
        "Last name: characters changed for the file (Ł → L).",
        "Company starts like a spreadsheet formula; a ' was put in front.",
        "The e-mail address is not valid and was left out.",
    ]


def test_a_long_reason_is_shortened_with_a_warning():
    row, notes = file_row(claim(items=[(1, f"Ersatzfilter {n}") for n in range(40)]))
    assert len(row["Forderungsgrund"]) == 250 or row["Forderungsgrund"].endswith("…")
    assert len(row["Forderungsgrund"]) <= 250
    assert [p.code for p in rules.note_problems(notes)] == ["shortened"]


def test_problems_are_stored_as_codes_and_shown_in_the_readers_language():
    problem = rules.check_claim(claim(due_date=TODAY), policy=POLICY)[0]
    stored = problem.as_json()
    assert stored == {"code": "not_yet_due", "params": {"date": "2026-12-01"}}
    again = rules.Problem.from_json(stored)
    assert again.message == "The order is not yet due (due date 01.12.2026)."
    with translation.override("de"):
        assert again.message != "The order is not yet due (due date 01.12.2026)."
        assert "01.12.2026" in again.message


def test_a_sentence_stored_by_an_older_version_is_shown_as_it_was():
    problem = rules.Problem.from_json("Nachname: Zeichen ersetzt.")
    assert problem.message == "Nachname: Zeichen ersetzt."
    assert not problem.is_error


def test_the_file_row_follows_the_contract_by_header():
    row, notes = file_row(claim())
    assert notes == {}
    assert row == {
        "Vorname": "Käthe",
        "Nachname": "Müller",
        "Geschlecht": "f",
        "Firma": "",
        "Strasse": "Königstraße 1",
        "PLZ": "01067",
        "Ort": "Dresden",
        "Land": "DE",
        "Telefon 1": "+49 351 123456",
        "Telefon 2": "",
        "Fax": "",
        "Email": "kaethe@example.de",
        "Rechnungsnr": "R-2026-0042",
        "Forderungsbetrag": "99,80",
        "Forderungsgrund": "Rechnung R-2026-0042 vom 01.09.2026: 2 x Kaffeemühle",
        "Leistungsdatum": "02.09.2026",
        "Mahndatum": "01.11.2026",
        "Forderungstyp": "1",
    }


def test_a_claim_withdrawn_before_and_not_chosen_again_is_refused():
    ledger = rules.LedgerFacts(
        withdrawn_on=datetime.date(2026, 11, 20), withdrawal_reason="Kunde zahlt"
    )
    assert [p.code for p in errors(claim(), ledger=ledger)] == ["withdrawn"]


def test_an_amount_that_rounds_to_nothing_is_refused_and_written_rounded():
    assert [p.code for p in errors(claim(open_amount=Decimal("0.004")))] == [
        "fully_paid"
    ]
    assert file_row(claim(open_amount=Decimal("10.005")))[0]["Forderungsbetrag"] == (
        "10,01"
    )
    assert [p.code for p in errors(claim(open_amount=Decimal("NaN")))] == [
        "amount_unknown"
    ]


@pytest.mark.parametrize("value", [4, "x", 0.5])
def test_a_claim_type_other_than_1_2_or_3_is_refused(value):
    assert [p.code for p in errors(claim(claim_type=value))] == ["claim_type_invalid"]
    assert file_row(claim(claim_type=value))[0]["Forderungstyp"] == ""


def test_a_datetime_from_the_shop_counts_as_its_day():
    moment = datetime.datetime(2026, 9, 2, 23, 30, tzinfo=datetime.UTC)
    data = claim(service_date=moment)
    assert data.service_date == datetime.date(2026, 9, 3)  # Berlin
    assert errors(data) == []


def test_an_email_that_needs_transliteration_is_left_out_with_a_warning():
    row, notes = file_row(claim(email="info@łódź.pl"))
    assert row["Email"] == ""
    assert [p.code for p in rules.note_problems(notes)] == ["email_invalid"]


def test_a_problem_stored_with_other_parameters_still_shows():
    assert rules.Problem("missing", {}).message == "missing: {}"


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, []),
        ({"is_cancelled": True}, ["cancelled"]),
        ({"currency": "CHF"}, ["currency"]),
        ({"open_amount": None}, ["amount_unknown"]),
        ({"open_amount": Decimal("0")}, ["fully_paid"]),
        # Rounded to the cent first: 0.004 is nothing to claim or to remind of.
        ({"open_amount": Decimal("0.004")}, ["fully_paid"]),
        (
            {"open_amount": Decimal("-5"), "invoice_total": None},
            ["amount_not_positive"],
        ),
    ],
)
def test_the_handover_and_the_letters_agree_on_what_can_be_claimed(overrides, expected):
    from inkasso import reminders

    data = claim(**overrides)
    handover = [code for code in codes(data) if code in rules.MESSAGES]
    letters = [problem.code for problem in reminders._claim_problems(data)]

    assert [p.code for p in rules.open_amount_problems(data)] == expected
    assert letters == expected
    assert set(expected) <= set(handover)
