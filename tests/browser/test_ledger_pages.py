"""The ledger pages in a real browser, in German and English, with screenshots.

The file-number import and its preview, the claims list with its editable file
numbers, a direct payment above what is still open, and the withdrawal page.
"""

from decimal import Decimal

import pytest

from inkasso import services
from inkasso.models import Claim, DirectPayment
from tests.browser.conftest import log_in
from tests.factories import CustomerFactory, DueOrderFactory, days_ago

pytestmark = pytest.mark.browser

NAMES = [
    ("Käthe", "Groß"),
    ("Jürgen", "Müller"),
    ("Anna", "Schmidt"),
    ("Ömer", "Yılmaz"),
    ("Lisa", "Weber"),
]
LANGUAGES = [
    pytest.param("de-DE", id="de"),
    pytest.param("en-US", id="en"),
]
TEXTS = {
    "de-DE": {
        "refused": "Abgelehnt",
        "unknown": "wurde nicht an mediafinanz übergeben",
        "digits": "haben 11 Ziffern",
        "recorded": "3 Aktenzeichen wurden eingetragen.",
        "left_out": "3 Zeilen wurden ausgelassen",
        "list_error": "In der Liste wurde nichts gespeichert",
        "above": "Die Zahlung von 9.999,00\u00a0€ ist höher als die 316,98\u00a0€",
        "confirm": "Mehr als die noch offenen 316,98\u00a0€: bestätigt",
        "add_payment": "Direktzahlung des Schuldners hinzufügen",
        "amount": "9999,00",
        "date": "%d.%m.%Y",
        "withdrawn": "wurde zurückgenommen",
        "money": "1.234,50\u00a0€",
    },
    "en-US": {
        "refused": "Refused",
        "unknown": "was handed over to mediafinanz",
        "digits": "have 11 digits",
        "recorded": "3 file numbers were recorded.",
        "left_out": "3 rows were left out",
        "list_error": "Nothing in the list was saved",
        "above": "The payment of €9,999.00 is more than the €316.98",
        "confirm": "More than the €316.98 still open: confirmed",
        "add_payment": "Add another payment received directly from the debtor",
        "amount": "9999.00",
        "date": "%Y-%m-%d",
        "withdrawn": "was withdrawn",
        "money": "€1,234.50",
    },
}


@pytest.fixture
def claims(transactional_db, browser_clerk):
    orders = [
        DueOrderFactory(customer=CustomerFactory(first_name=first, last_name=last))
        for first, last in NAMES
    ]
    handover = services.hand_over(
        order_ids=[order.pk for order in orders], source="admin", user=browser_clerk
    ).handover
    claims = list(handover.claims.order_by("row_number"))
    Claim.objects.filter(pk=claims[0].pk).update(amount=Decimal("1234.50"))
    return claims


def test_a_clerk_imports_the_file_numbers_of_a_handover(
    open_admin, shot, browser_clerk, claims, locale
):
    texts = TEXTS[locale]
    services.withdraw_claim(claim=claims[4], user=browser_clerk, reason="bezahlt")
    rows = [
        "Rechnungsnr;Aktenzeichen;Schuldner",
        f"{claims[0].invoice_number};123 4567 8901;Groß",
        f"{claims[1].invoice_number};123-4567-8902;Müller",
        f"{claims[2].invoice_number};123/4567/8903;Schmidt",
        f"{claims[3].invoice_number};4711;Yılmaz",
        "R-1999-0001;12345678905;Unbekannt",
        f"{claims[4].invoice_number};12345678906;Weber",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode("utf-8")
    page = open_admin(locale)
    log_in(page, "clerk")

    page.goto("/admin/inkasso/claim/")
    page.click("#inkasso-import-file-numbers")
    page.set_input_files(
        "#id_import_file",
        files=[{"name": "aktenzeichen.csv", "mimeType": "text/csv", "buffer": data}],
    )
    shot(page, "01-file-number-import-upload")
    page.click("input[type=submit]")
    page.locator("#inkasso-import-preview").wait_for()

    assert page.inner_text("#inkasso-import-new strong") == "3"
    assert page.inner_text("#inkasso-import-refused strong") == "3"
    preview = page.inner_text("#inkasso-import-rows")
    assert "Käthe Groß" in preview
    assert texts["unknown"] in preview
    assert texts["digits"] in preview
    assert preview.count(texts["refused"]) == 3
    shot(page, "02-file-number-import-preview")

    page.click("input[name=confirm]")
    page.locator(".messagelist .success").wait_for()
    messages = page.inner_text(".messagelist")
    assert texts["recorded"] in messages
    assert texts["left_out"] in messages
    shot(page, "03-file-number-import-done")
    recorded = dict(Claim.objects.values_list("invoice_number", "file_number"))
    assert [recorded[claim.invoice_number] for claim in claims] == [
        "12345678901",
        "12345678902",
        "12345678903",
        "",
        "",
    ]
    assert Claim.objects.get(pk=claims[0].pk).file_number_recorded_by == browser_clerk


def test_a_clerk_types_file_numbers_into_the_claims_list(
    open_admin, shot, browser_clerk, claims, locale
):
    texts = TEXTS[locale]
    page = open_admin(locale)
    log_in(page, "clerk")
    page.goto("/admin/inkasso/claim/")
    assert "Käthe Groß" in page.inner_text("#result_list")
    assert texts["money"] in page.inner_text("#result_list")
    shot(page, "01-claims-list")

    page.fill("#id_form-0-file_number", "123 4567 8901")
    page.fill("#id_form-1-file_number", "4711")
    page.click("input[name=_save]")
    page.locator(".messagelist .error").first.wait_for()
    assert texts["list_error"] in page.inner_text(".messagelist")
    assert claims[1].invoice_number in page.inner_text(".messagelist")
    shot(page, "02-claims-list-refused")
    assert not Claim.objects.exclude(file_number="").exists()

    page.fill("#id_form-1-file_number", "123 4567 8902")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    shot(page, "03-claims-list-saved")
    recorded = dict(Claim.objects.values_list("invoice_number", "file_number"))
    assert recorded[claims[0].invoice_number] == "12345678901"
    assert recorded[claims[1].invoice_number] == "12345678902"


def test_a_direct_payment_above_the_balance_needs_a_confirmation(
    open_admin, shot, browser_clerk, claims, locale
):
    texts = TEXTS[locale]
    claim = claims[1]
    Claim.objects.filter(pk=claim.pk).update(amount=Decimal("316.98"))
    page = open_admin(locale)
    log_in(page, "clerk")
    page.goto(f"/admin/inkasso/claim/{claim.pk}/change/")

    page.get_by_role("button", name=texts["add_payment"]).click()
    page.fill("#id_direct_payments-0-received_on", days_ago(2).strftime(texts["date"]))
    page.fill("#id_direct_payments-0-amount", texts["amount"])
    page.click("input[name=_save]")
    page.locator(".errornote").wait_for()
    errors = page.inner_text("#direct_payments-group")
    assert texts["above"] in errors
    assert texts["confirm"] in errors
    shot(page, "01-payment-above-balance")
    assert not DirectPayment.objects.exists()

    page.check("#id_direct_payments-0-above_remaining")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    assert DirectPayment.objects.get().amount == Decimal("9999.00")
    page.goto(f"/admin/inkasso/claim/{claim.pk}/change/")
    shot(page, "02-payment-confirmed")


def test_a_clerk_withdraws_a_claim_from_its_confirmation_page(
    open_admin, shot, browser_clerk, claims, locale
):
    texts = TEXTS[locale]
    claim = claims[0]
    services.record_file_number(
        claim=claim, file_number="12345678901", user=browser_clerk
    )
    page = open_admin(locale)
    log_in(page, "clerk")
    page.goto(f"/admin/inkasso/claim/{claim.pk}/change/")

    page.click("#inkasso-withdraw")
    summary = page.inner_text("#inkasso-withdraw-summary")
    for value in (claim.invoice_number, "Käthe Groß", texts["money"], "12345678901"):
        assert value in summary
    shot(page, "01-withdraw-page")
    page.click("#inkasso-withdraw-cancel")
    assert page.url.endswith(f"/admin/inkasso/claim/{claim.pk}/change/")

    page.click("#inkasso-withdraw")
    page.fill("#id_reason", "Kunde hat Ware zurückgeschickt")
    page.click("#inkasso-withdraw-submit")
    page.locator(".messagelist .success").wait_for()
    assert texts["withdrawn"] in page.inner_text(".messagelist")
    shot(page, "02-withdrawn")
    claim.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN


@pytest.fixture(params=LANGUAGES)
def locale(request):
    return request.param
