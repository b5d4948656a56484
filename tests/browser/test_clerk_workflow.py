"""The clerk's path through the admin in a real browser, step by step, with screenshots.

Run with ``pytest tests/browser``; the pictures land in ``test-artifacts/browser/``.
"""

import csv
import io
from decimal import Decimal

import pytest

from inkasso.models import Claim, DirectPayment, Handover
from shop.models import OrderStatus
from tests.browser.conftest import log_in
from tests.contract import HEADERS
from tests.factories import (
    CustomerFactory,
    DueOrderFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    days_ago,
)

pytestmark = pytest.mark.browser

READY = [
    ("Käthe", "Groß"),
    ("Jürgen", "Müller"),
    ("Anna", "Schmidt"),
    ("Ömer", "Yılmaz"),
    ("Lisa", "Weber"),
]


def due_order(first_name, last_name, **kwargs):
    customer = CustomerFactory(first_name=first_name, last_name=last_name)
    return DueOrderFactory(customer=customer, **kwargs)


@pytest.fixture
def shop_orders(transactional_db):
    """Five orders ready for handover, two blocked, and a few ordinary ones."""
    ready = [due_order(first, last) for first, last in READY]
    no_letter = OrderFactory(
        status=OrderStatus.COLLECTION,
        customer=CustomerFactory(first_name="Paul", last_name="Klein"),
    )
    OrderLineFactory(order=no_letter)
    no_city = due_order("Maria", "Hoffmann", billing_city="")
    for last_name in ("Wagner", "Schulz"):
        order = OrderFactory(customer=CustomerFactory(last_name=last_name))
        OrderLineFactory(order=order)
    paid = OrderFactory(
        status=OrderStatus.PAID, customer=CustomerFactory(last_name="Koch")
    )
    PaymentFactory(order=paid, amount=OrderLineFactory(order=paid).total)
    return {"ready": ready, "blocked": [no_letter, no_city]}


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))


def test_a_clerk_hands_over_the_due_orders_in_the_german_admin(
    open_admin, shot, browser_clerk, shop_orders
):
    page = open_admin("de-DE")
    page.goto("/admin/")
    shot(page, "00-login")
    log_in(page, "clerk")
    assert "7 Bestellungen sind zur Übergabe fällig." in page.inner_text(
        "#inkasso-index"
    )
    shot(page, "01-start-page")

    page.goto("/admin/shop/order/")
    assert page.locator("html").get_attribute("lang") == "de"
    shot(page, "02-orders")

    page.get_by_role("link", name="Fällig, aber blockiert", exact=True).click()
    page.wait_for_url("**collection=blocked**")
    assert page.locator("#result_list tbody tr").count() == 2
    assert page.get_by_text("Es ist keine Mahnung erfasst.").is_visible()
    assert page.get_by_text("Ort fehlt.", exact=True).is_visible()
    shot(page, "03-blocked-and-why")

    page.get_by_role("link", name="Fällig und übergabebereit", exact=True).click()
    page.wait_for_url("**collection=ready**")
    assert page.locator("#result_list tbody tr").count() == len(READY)
    page.check("#action-toggle")
    page.select_option("select[name=action]", "hand_over_to_mediafinanz")
    shot(page, "04-due-orders-selected")
    page.click("button[name=index]")

    page.wait_for_selector("#inkasso-confirmation")
    assert "5 Bestellungen werden an mediafinanz übergeben" in page.inner_text(
        ".inkasso-summary"
    )
    assert "„Inkasso ist in Arbeit“" in page.inner_text(".inkasso-summary")
    shot(page, "05-confirmation")

    with page.expect_download() as download_info:
        page.click("#inkasso-confirm")
    download = download_info.value
    saved = shot.folder / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()

    rows = rows_of(data)
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(READY)
    assert {len(row) for row in rows} == {18}
    assert data.count(b"\r\n") == len(rows)
    # cp1252 has no "ı": the file says "Yilmaz" and the claim warns about it.
    assert {row[1] for row in rows[1:]} == {
        "Groß",
        "Müller",
        "Schmidt",
        "Yilmaz",
        "Weber",
    }
    handover = Handover.objects.get()
    assert saved.name == handover.filename

    success = page.locator(".messagelist .success")
    success.wait_for()
    assert "5 Forderungen wurden an mediafinanz übergeben." in success.inner_text()
    assert success.get_by_role("link", name="Datei herunterladen").is_visible()
    shot(page, "06-handed-over")

    page.goto("/admin/shop/order/?collection=handed_over")
    assert page.locator(".inkasso-with").count() == len(READY)
    shot(page, "07-with-mediafinanz")

    page.goto("/admin/inkasso/handover/")
    assert page.inner_text("#inkasso-open-count") == "5"
    assert page.inner_text("#inkasso-due-count") == "2"
    shot(page, "08-overview")

    claim = Claim.objects.order_by("row_number").first()
    page.goto(f"/admin/inkasso/claim/{claim.pk}/change/")
    page.fill("#id_file_number", "1234567")
    page.click("input[name=_save]")
    assert "genau 11 Ziffern" in page.inner_text(".errorlist")
    page.fill("#id_file_number", "12345678901")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    claim.refresh_from_db()
    assert claim.file_number == "12345678901"
    assert claim.file_number_recorded_by == browser_clerk
    page.goto(f"/admin/inkasso/claim/{claim.pk}/change/")
    shot(page, "09-claim-with-file-number")

    page.get_by_role("button", name="Direktzahlung des Schuldners hinzufügen").click()
    page.fill("#id_direct_payments-0-received_on", f"{days_ago(2):%d.%m.%Y}")
    page.fill("#id_direct_payments-0-amount", "25,50")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    payment = DirectPayment.objects.get()
    assert (payment.claim, payment.amount) == (claim, Decimal("25.50"))
    assert payment.recorded_by == browser_clerk
    page.goto("/admin/inkasso/directpayment/?reported=no")
    assert page.locator("#result_list tbody tr").count() == 1
    shot(page, "10-direct-payments-to-report")

    other = Claim.objects.order_by("row_number").last()
    page.goto(f"/admin/inkasso/claim/{other.pk}/change/")
    page.click("#inkasso-withdraw")
    page.fill("#id_reason", "Kunde hat Ware zurückgeschickt")
    shot(page, "11-withdraw")
    page.click("#inkasso-withdraw-submit")
    page.locator(".messagelist .success").wait_for()
    other.refresh_from_db()
    assert other.state == Claim.State.WITHDRAWN
    assert other.withdrawn_by == browser_clerk


def test_a_clerk_hands_over_one_order_from_its_page(
    open_admin, shot, browser_clerk, shop_orders
):
    order = shop_orders["ready"][0]
    page = open_admin("en-GB")
    log_in(page, "clerk")

    page.goto(f"/admin/shop/order/{order.pk}/change/")
    page.click("a.inkasso-link")
    page.wait_for_selector("#inkasso-order-download")
    shot(page, "01-order-page")

    with page.expect_download() as download_info:
        page.click("#inkasso-order-download")
    data = download_info.value.path().read_bytes()

    rows = rows_of(data)
    assert rows[0] == HEADERS
    assert len(rows) == 2
    assert rows[1][12] == order.invoice_number
    page.locator(".messagelist .success").wait_for()
    assert "1 claim was handed over to mediafinanz." in page.inner_text(".messagelist")
    shot(page, "02-handed-over")


def test_staff_without_the_permission_see_no_handover(
    open_admin, shot, browser_viewer, shop_orders
):
    order = shop_orders["ready"][0]
    page = open_admin("de-DE")
    log_in(page, "viewer")

    page.goto("/admin/shop/order/")
    actions = page.locator("select[name=action] option")
    values = [actions.nth(i).get_attribute("value") for i in range(actions.count())]
    assert "hand_over_to_mediafinanz" not in values
    shot(page, "01-orders-without-action")

    page.goto(f"/admin/shop/order/{order.pk}/change/")
    assert page.locator("a.inkasso-link").count() == 0
    shot(page, "02-order-without-handover")

    response = page.goto(f"/admin/shop/order/{order.pk}/inkasso/")
    assert response.status == 403
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("locale", "status", "switch_to", "switched_status"),
    [
        ("de-DE", "Inkasso ist in Arbeit", "English", "Debt collection in progress"),
        ("en-GB", "Debt collection in progress", "Deutsch", "Inkasso ist in Arbeit"),
    ],
    ids=["german-browser", "english-browser"],
)
def test_the_admin_speaks_the_browsers_language_and_offers_a_switch(
    open_admin,
    shot,
    browser_clerk,
    shop_orders,
    locale,
    status,
    switch_to,
    switched_status,
):
    page = open_admin(locale)
    log_in(page, "clerk")

    page.goto("/admin/shop/order/?status__exact=collection")
    assert page.locator("td.field-status").first.inner_text() == status
    shot(page, "01-browser-language")

    page.get_by_role("button", name=switch_to, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("td.field-status").first.inner_text() == switched_status
    assert page.url.endswith("/admin/shop/order/?status__exact=collection")
    shot(page, "02-switched")
