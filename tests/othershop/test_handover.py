"""The handover, end to end, in a shop whose orders look nothing like the demo's."""

import hashlib
import html
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.management import ManagementUtility, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inkasso import services
from inkasso.models import Claim, Handover
from inkasso.selectors import checked_claims, due_order_ids
from tests.contract import HEADERS

from .factories import DuePurchaseFactory, PurchaseFactory, days_ago, iso_days_ago
from .models import Purchase

CHANGELIST = "admin:othershop_purchase_changelist"
ACTION = "hand_over_to_mediafinanz"


def dmy(date) -> str:
    return f"{date:%d.%m.%Y}"


def rows_of(data: bytes, encoding: str = "cp1252") -> list[list[str]]:
    lines = data.decode(encoding).split("\r\n")
    assert lines[-1] == ""
    return [line.split(";") for line in lines[:-1]]


def download(client, handover: Handover) -> bytes:
    url = reverse("admin:inkasso_handover_download", args=[handover.pk])
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_the_adapter_turns_a_purchase_into_the_18_values():
    purchase = PurchaseFactory(reference="AB/2026/00042")

    [[claim]] = checked_claims(order_ids=[purchase.pk], today=timezone.localdate())

    assert claim.errors == []
    assert dict(zip(HEADERS, claim.values, strict=True)) == {
        "Vorname": "Anna",
        "Nachname": "Öztürk",
        "Geschlecht": "f",
        "Firma": "",
        "Strasse": "Mariahilfer Straße 12a",
        "PLZ": "1070",
        "Ort": "Wien",
        "Land": "AT",
        "Telefon 1": "+43 1 234567",
        "Telefon 2": "",
        "Fax": "",
        "Email": purchase.email,
        "Rechnungsnr": "AB/2026/00042",
        "Forderungsbetrag": "123,45",
        "Forderungsgrund": (
            f"Rechnung AB/2026/00042 vom {dmy(days_ago(50))}: 2 x Teekanne, 1 x Sieb"
        ),
        "Leistungsdatum": dmy(days_ago(50)),
        "Mahndatum": dmy(days_ago(20)),
        "Forderungstyp": "1",
    }
    assert claim.label == "AB/2026/00042"


@pytest.mark.django_db
def test_a_firm_with_a_free_text_title_and_part_payment_in_cents_is_a_b2b_claim():
    purchase = PurchaseFactory(
        title="Firma",
        given_name="",
        family_name="",
        firm="Kaffee & Co. KG",
        country_name=" deutschland ",
        zip_code="01067",
        total_cents=100_000,
        paid_cents=25_050,
    )

    [[claim]] = checked_claims(order_ids=[purchase.pk], today=timezone.localdate())

    values = dict(zip(HEADERS, claim.values, strict=True))
    assert claim.errors == []
    assert [values[h] for h in ("Geschlecht", "Firma", "Land", "Forderungsbetrag")] == [
        "c",
        "Kaffee & Co. KG",
        "DE",
        "749,50",
    ]


@pytest.mark.django_db
def test_a_purchase_with_only_a_zahlungserinnerung_and_an_unknown_country_is_refused():
    purchase = PurchaseFactory(
        country_name="Atlantis",
        dunning_history=[{"stufe": "Zahlungserinnerung", "versandt": iso_days_ago(30)}],
    )

    [[claim]] = checked_claims(order_ids=[purchase.pk], today=timezone.localdate())

    assert claim.errors == [
        "The country 'ATLANTIS' is not an ISO country code such as DE.",
        "No dunning letter (Mahnung) has been recorded.",
    ]


def test_the_admin_action_confirms_then_hands_over_and_records_the_file(clerk_client):
    good = PurchaseFactory()
    bad = PurchaseFactory(country_name="Atlantis")
    url = reverse(CHANGELIST)

    confirmation = clerk_client.post(
        url, {"action": ACTION, "_selected_action": [good.pk, bad.pk]}
    )

    assert confirmation.status_code == 200
    assert confirmation.context["accepted_count"] == 1
    assert [c.order_id for c in confirmation.context["refused"]] == [bad.pk]
    page = confirmation.content.decode()
    assert "1 order will be handed over to mediafinanz." in page
    assert "ATLANTIS" in page
    assert not Handover.objects.exists()

    response = clerk_client.post(
        confirmation.context["confirm_url"],
        {
            "selection": confirmation.context["selection"],
            "confirm": "yes",
            "encoding": "cp1252",
        },
    )

    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:inkasso_handover_change", args=[handover.pk]) + "?download=1"
    )
    # The UUIDs came back as text from the signed selection: still the same
    # orders, none refused for want of claim data.
    refusal, done = [str(m) for m in get_messages(response.wsgi_request)]
    assert "was not handed over: The country 'ATLANTIS'" in html.unescape(refusal)
    assert done.startswith("1 claim was handed over to mediafinanz.")
    assert handover.source == Handover.Source.ADMIN
    assert handover.created_by.username == "buchhaltung"
    assert list(handover.claims.values_list("order_id", flat=True)) == [good.pk]
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.state, bad.state) == (Purchase.State.COLLECTION, Purchase.State.OPEN)
    data = download(clerk_client, handover)
    assert hashlib.sha256(data).hexdigest() == handover.sha256
    header, row = rows_of(data)
    assert header == list(HEADERS)
    assert row[4:8] == ["Mariahilfer Straße 12a", "1070", "Wien", "AT"]
    assert row[12:14] == [good.reference, "123,45"]


def test_the_purchase_page_hands_over_one_purchase_and_gives_its_file(clerk_client):
    purchase = PurchaseFactory()
    inkasso_url = reverse("admin:othershop_purchase_inkasso", args=[purchase.pk])

    change_page = clerk_client.get(
        reverse("admin:othershop_purchase_change", args=[purchase.pk])
    )
    assert inkasso_url in change_page.content.decode()
    before = clerk_client.get(inkasso_url)
    assert before.context["claim"].ok
    assert "Hand over and download the file" in before.content.decode()

    response = clerk_client.post(inkasso_url, {"encoding": "utf-8-sig"})

    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("?download=1")
    assert (handover.source, handover.encoding) == ("order_page", "utf-8-sig")
    data = download(clerk_client, handover)
    assert data.startswith(b"\xef\xbb\xbfVorname;Nachname;")
    assert rows_of(data, "utf-8-sig")[1][1] == "Öztürk"
    after = clerk_client.get(inkasso_url)
    assert after.context["active_claim"].handover == handover
    assert "With mediafinanz since" in after.content.decode()


def test_staff_without_the_permission_see_neither_action_nor_handover_page(client, db):
    from tests.users import UserFactory

    client.force_login(
        UserFactory(
            permissions=["othershop.view_purchase", "othershop.change_purchase"]
        )
    )
    purchase = PurchaseFactory()

    changelist = client.get(reverse(CHANGELIST))
    inkasso_page = client.get(
        reverse("admin:othershop_purchase_inkasso", args=[purchase.pk])
    )

    assert changelist.status_code == 200
    assert ACTION not in changelist.content.decode()
    assert inkasso_page.status_code == 403


def run_command(*args: str) -> int:
    """Run ``manage.py inkasso_export`` as a shell would and return its exit status.

    Like any command run this way, it closes the database connections at the
    end, so the tests that use it commit (``transaction=True``).
    """
    try:
        ManagementUtility(["manage.py", "inkasso_export", *args]).execute()
    except SystemExit as exit:
        return exit.code
    return 0


@pytest.mark.django_db(transaction=True)
def test_the_command_hands_over_the_due_purchases_and_exits_1_for_refused_ones(
    tmp_path, capsys
):
    due = sorted(DuePurchaseFactory.create_batch(2), key=lambda p: p.pk)
    refused = DuePurchaseFactory(
        dunning_history=[{"stufe": "Zahlungserinnerung", "versandt": iso_days_ago(9)}]
    )
    PurchaseFactory()  # open, not due
    output = tmp_path / "handover.csv"

    status = run_command("-o", str(output))

    handover = Handover.objects.get()
    err = capsys.readouterr().err
    assert status == 1
    assert (
        f"Refused order {refused.reference}: "
        "No dunning letter (Mahnung) has been recorded." in err
    )
    assert "1 of 3 due orders was refused." in err
    assert handover.source == Handover.Source.COMMAND
    assert sorted(handover.claims.values_list("order_id", flat=True)) == [
        p.pk for p in due
    ]
    rows = rows_of(output.read_bytes())
    assert rows[0] == list(HEADERS)
    assert [row[12] for row in rows[1:]] == [p.reference for p in due]
    assert due_order_ids(today=timezone.localdate()) == [refused.pk]


@pytest.mark.django_db(transaction=True)
def test_the_command_writes_an_earlier_handover_again_byte_for_byte(tmp_path, capsys):
    DuePurchaseFactory(given_name="Łukasz", town="Graz")
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    assert run_command("-o", str(first)) == 0
    handover = Handover.objects.get()
    DuePurchaseFactory()  # a later purchase changes nothing in handover 1

    call_command("inkasso_export", handover=handover.pk, output=str(again))

    assert again.read_bytes() == first.read_bytes()
    assert hashlib.sha256(again.read_bytes()).hexdigest() == handover.sha256
    assert rows_of(first.read_bytes())[1][0] == "Lukasz"
    capsys.readouterr()


@pytest.mark.django_db(transaction=True)
def test_the_command_with_nothing_due_exits_0_and_records_nothing(tmp_path, capsys):
    PurchaseFactory()

    status = run_command("-o", str(tmp_path / "none.csv"))

    assert status == 0
    assert "No orders are due for handover." in capsys.readouterr().err
    assert not Handover.objects.exists()
    assert not (tmp_path / "none.csv").exists()


@pytest.mark.django_db
def test_the_ledger_links_claims_to_purchases_and_a_withdrawal_reopens_them(clerk):
    purchase = DuePurchaseFactory(total_cents=5_000, paid_cents=1_001)

    result = services.hand_over(order_ids=[purchase.pk], source=Handover.Source.COMMAND)

    claim = Claim.objects.get()
    assert result.count == 1
    assert claim.order == purchase
    assert purchase.inkasso_claims.get() == claim
    assert (claim.invoice_number, claim.amount, claim.state) == (
        purchase.reference,
        Decimal("39.99"),
        Claim.State.OPEN,
    )
    assert claim.values[HEADERS.index("Forderungsbetrag")] == "39,99"
    assert due_order_ids(today=timezone.localdate()) == []

    services.withdraw_claim(claim=claim, user=clerk, reason="Direkt bezahlt.")

    purchase.refresh_from_db()
    claim.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN
    assert purchase.state == Purchase.State.OPEN
    assert due_order_ids(today=timezone.localdate()) == []
    # Withdrawn means withdrawn: not due again by itself, even in the status.
    Purchase.objects.filter(pk=purchase.pk).update(state=Purchase.State.COLLECTION)
    assert due_order_ids(today=timezone.localdate()) == []
    # Only a clerk's explicit choice hands it over again, with a warning.
    assert services.hand_over(
        order_ids=[purchase.pk], source=Handover.Source.COMMAND
    ).refused
    again = services.hand_over(
        order_ids=[purchase.pk],
        source=Handover.Source.ADMIN,
        withdrawn_chosen=[purchase.pk],
    )
    assert again.count == 1
    assert "withdrawn on" in again.warned[0].warnings[0]


def queries_to_hand_over(purchases) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.hand_over(
            order_ids=[p.pk for p in purchases], source=Handover.Source.COMMAND
        )
    return len(queries)


@pytest.mark.django_db
def test_handing_over_more_purchases_takes_no_more_queries():
    few = queries_to_hand_over(DuePurchaseFactory.create_batch(2))
    many = queries_to_hand_over(DuePurchaseFactory.create_batch(8))

    assert many == few
    assert Claim.objects.count() == 10


def test_the_purchase_list_says_which_due_purchases_are_ready_or_blocked(clerk_client):
    DuePurchaseFactory(reference="AB/READY")
    DuePurchaseFactory(reference="AB/BLOCKED", zip_code="")

    page = clerk_client.get(reverse(CHANGELIST)).content.decode()

    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr")}
    assert "Ready for handover" in rows["AB/READY"]
    assert "Blocked:" in rows["AB/BLOCKED"]
    assert "The postcode is missing." in rows["AB/BLOCKED"]


def test_the_ledger_pages_show_the_claim_and_withdraw_it_for_the_purchase(
    clerk_client,
):
    purchase = DuePurchaseFactory()
    services.hand_over(order_ids=[purchase.pk], source=Handover.Source.COMMAND)
    claim = Claim.objects.get()
    handover_page = clerk_client.get(
        reverse("admin:inkasso_handover_change", args=[claim.handover_id])
    )
    claim_page = clerk_client.get(
        reverse("admin:inkasso_claim_change", args=[claim.pk])
    )
    listing = clerk_client.get(reverse(CHANGELIST)).content.decode()
    assert handover_page.status_code == 200
    assert claim_page.status_code == 200
    assert "Mariahilfer Straße 12a" in claim_page.content.decode()
    assert reverse("admin:inkasso_claim_change", args=[claim.pk]) in listing

    response = clerk_client.post(
        reverse("admin:inkasso_claim_withdraw", args=[claim.pk]),
        {"reason": "Kundin hat direkt überwiesen."},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    purchase.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN
    assert claim.withdrawn_by.username == "buchhaltung"
    assert purchase.state == Purchase.State.OPEN


@pytest.mark.django_db
def test_the_shop_refuses_a_purchase_its_status_flow_does_not_allow():
    paid = DuePurchaseFactory(state=Purchase.State.PAID)

    result = services.hand_over(order_ids=[paid.pk], source=Handover.Source.COMMAND)

    assert result.handover is None
    assert result.refused[0].errors == [
        "Der Kauf ist als bezahlt markiert; Inkasso ist dann nicht erlaubt."
    ]
