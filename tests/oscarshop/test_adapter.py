"""The ready adapter reads every value from Oscar's own models."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inkasso.selectors import checked_claims, due_order_ids
from tests.contract import HEADERS

from .factories import AustrianAddressFactory, create_order, days_ago


def dmy(date: datetime.date) -> str:
    return f"{date:%d.%m.%Y}"


def check(*orders):
    today = timezone.localdate()
    [claims] = checked_claims(order_ids=[o.pk for o in orders], today=today)
    return {claim.order_id: claim for claim in claims}


def columns(claim) -> dict:
    return dict(zip(HEADERS, claim.values, strict=True))


def refusals(claim) -> str:
    return " ".join(claim.errors)


pytestmark = pytest.mark.django_db


def test_an_invoice_shipped_and_overdue_becomes_the_18_values():
    order = create_order(number="100042")

    claim = check(order)[order.pk]

    assert claim.errors == []
    assert columns(claim) == {
        "Vorname": "Erika",
        "Nachname": "Müller",
        "Geschlecht": "f",
        "Firma": "",
        "Strasse": "Hauptstraße 5",
        "PLZ": "10115",
        "Ort": "Berlin",
        "Land": "DE",
        "Telefon 1": "+49 30 1234567",
        "Telefon 2": "",
        "Fax": "",
        "Email": order.guest_email,
        "Rechnungsnr": "100042",
        "Forderungsbetrag": "119,00",
        "Forderungsgrund": (
            f"Rechnung 100042 vom {dmy(days_ago(55))}: 2 x Kaffeemühle, 1 x Filter"
        ),
        "Leistungsdatum": dmy(days_ago(50)),
        "Mahndatum": dmy(days_ago(30)),
        "Forderungstyp": "1",
    }
    assert claim.label == "100042"


def test_a_debtor_in_austria_with_a_second_address_line():
    order = create_order(billing_address=AustrianAddressFactory())

    values = columns(check(order)[order.pk])

    assert values["Geschlecht"] == "m"
    assert values["Strasse"] == "Mariahilfer Straße 12a, Stiege 2"
    assert (values["PLZ"], values["Ort"], values["Land"]) == ("1070", "Wien", "AT")


def test_a_paid_order_is_refused():
    order = create_order(debited="119.00")

    assert "paid" in refusals(check(order)[order.pk])


def test_a_partly_paid_order_claims_what_is_open_after_refunds():
    order = create_order(debited="50.00", refunded="10.00")

    claim = check(order)[order.pk]

    assert claim.errors == []
    assert columns(claim)["Forderungsbetrag"] == "79,00"


def test_a_prepayment_never_shipped_is_due_when_placed_and_of_type_2():
    order = create_order(payment="prepayment", delivered=None)

    claim = check(order)[order.pk]

    assert claim.errors == []
    assert columns(claim)["Forderungstyp"] == "2"
    assert columns(claim)["Leistungsdatum"] == dmy(days_ago(55))


def test_an_invoice_not_yet_due_is_refused():
    # Shipped 5 days ago, 14 days to pay.
    order = create_order(delivered=days_ago(5), mahnung=None)

    assert "not yet due" in refusals(check(order)[order.pk])


def test_a_cancelled_order_is_refused_as_cancelled():
    order = create_order(status="Cancelled")

    assert "cancelled" in refusals(check(order)[order.pk])


def test_an_order_without_a_mahnung_is_refused():
    order = create_order(mahnung=None)

    assert "dunning letter" in refusals(check(order)[order.pk])


def test_a_mahnung_whose_deadline_has_not_passed_is_refused():
    # MAHNUNG has a deadline of 14 days in this shop's settings.
    order = create_order(mahnung=days_ago(5))

    claim = check(order)[order.pk]

    assert dmy(days_ago(5) + datetime.timedelta(days=14)) in refusals(claim)


def test_an_order_whose_pipeline_forbids_the_collection_status_is_refused():
    order = create_order(status="Pending")

    claim = check(order)[order.pk]

    assert claim.values is None or not claim.ok
    assert refusals(claim) == (
        "Oscar's order status pipeline does not allow the status “Inkasso” "
        "after “Pending”."
    )


def test_only_orders_in_the_collection_status_are_due():
    due = create_order()
    create_order(status="Being processed")

    assert due_order_ids(today=timezone.localdate()) == [due.pk]


def test_a_letter_of_the_dunning_ledger_counts_as_a_mahnung(settings):
    from inkasso.dunning_models import Letter

    order = create_order(mahnung=days_ago(40))
    Letter.objects.create(
        order_id=order.pk,
        level=1,
        is_mahnung=True,
        sent_on=days_ago(25),
        deadline=days_ago(11),
        amount="119.00",
        channel=Letter.Channel.EMAIL,
        language="de",
        status=Letter.Status.SENT,
    )

    assert columns(check(order)[order.pk])["Mahndatum"] == dmy(days_ago(25))


def test_queries_per_chunk_not_per_order():
    def queries(count):
        orders = [create_order() for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            check(*orders)
        return len(captured)

    assert queries(2) == queries(6)
