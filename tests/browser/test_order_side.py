"""The order side in a real browser at 1400 px, German and English.

Screenshots: the confirmation page, the page of a blocked order, the page of an
order with mediafinanz (``test-artifacts/browser/<test>/``).
"""

import pytest

from inkasso import services
from shop.models import OrderStatus
from tests.browser.conftest import log_in
from tests.factories import (
    CustomerFactory,
    DueOrderFactory,
    OrderFactory,
    OrderLineFactory,
)

pytestmark = pytest.mark.browser

LANGUAGES = {
    "de": {
        "locale": "de-DE",
        "count": "Zu übergebende Forderungen",
        "blocked": "Kann noch nicht übergeben werden",
        "fill_city": "Tragen Sie „Ort“ ein und speichern Sie die Bestellung.",
        "currency": "muss also anders eingetrieben werden",
        "with": "Bei mediafinanz seit",
        "no_number": "noch kein Aktenzeichen",
        "total": "1.234,56\u00a0€",
    },
    "en": {
        "locale": "en-GB",
        "count": "Claims to hand over",
        "blocked": "Cannot be handed over yet",
        "fill_city": "Fill in “city” and save the order.",
        "currency": "has to be collected another way",
        "with": "With mediafinanz since",
        "no_number": "no file number yet",
        "total": "€1,234.56",
    },
}


@pytest.fixture
def wide(open_admin):
    def wide(language):
        page = open_admin(LANGUAGES[language]["locale"])
        page.set_viewport_size({"width": 1400, "height": 900})
        return page

    return wide


def due(first, last, amount="100.00", **kwargs):
    order = DueOrderFactory(
        customer=CustomerFactory(first_name=first, last_name=last),
        line__unit_price=amount,
        line__quantity=1,
        **kwargs,
    )
    return order


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_page(wide, shot, browser_clerk, transactional_db, language):
    words = LANGUAGES[language]
    orders = [
        due("Käthe", "Groß", "1000.00"),
        due("Ömer", "Yılmaz", "200.00"),
        due("Anna", "Schmidt", "34.56"),
        due("Maria", "Hoffmann", billing_city=""),
        due("Luca", "Bernasconi", currency="CHF"),
    ]
    page = wide(language)
    log_in(page, "clerk")
    page.goto("/admin/shop/order/?collection=due")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "hand_over_to_mediafinanz")
    page.click("button[name=index]")
    page.wait_for_selector("#inkasso-confirmation")

    assert page.inner_text("#inkasso-confirm-count") == "3"
    assert page.inner_text("#inkasso-confirm-total") == words["total"]
    assert page.inner_text("#inkasso-confirm-warned") == "1"
    assert page.inner_text("#inkasso-confirm-refused") == "2"
    assert words["count"] in page.inner_text("#inkasso-confirm-summary")
    assert page.locator("#inkasso-confirm").is_visible()
    assert words["fill_city"] in page.inner_text("#refused")
    assert words["currency"] in page.inner_text("#refused")
    shot(page, f"confirmation-{language}")

    # Leave Schmidt out: the figures follow at once, the handover leaves them out.
    page.get_by_role("row", name="Schmidt").get_by_role("checkbox").uncheck()
    assert page.inner_text("#inkasso-confirm-count") == "2"
    shot(page, f"confirmation-one-left-out-{language}")
    with page.expect_download():
        page.click("#inkasso-confirm-bottom")
    handed = {c.order_id for c in orders[0].inkasso_claims.model.objects.all()}
    assert handed == {orders[0].pk, orders[1].pk}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_of_a_blocked_order(
    wide, shot, browser_clerk, transactional_db, language
):
    words = LANGUAGES[language]
    order = OrderFactory(
        status=OrderStatus.COLLECTION,
        billing_city="",
        customer=CustomerFactory(first_name="Paul", last_name="Klein"),
    )
    OrderLineFactory(order=order)
    page = wide(language)
    log_in(page, "clerk")

    page.goto(f"/admin/shop/order/{order.pk}/change/")
    story = page.locator("#inkasso-story")
    assert words["blocked"] in story.inner_text()
    assert words["fill_city"] in story.inner_text()
    shot(page, f"blocked-order-change-page-{language}")

    page.click(".inkasso-link")
    page.wait_for_selector("#inkasso-order")
    assert words["fill_city"] in page.inner_text("#inkasso-story")
    shot(page, f"blocked-order-inkasso-page-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_of_an_order_with_mediafinanz(
    wide, shot, browser_clerk, transactional_db, language
):
    words = LANGUAGES[language]
    order = due("Jürgen", "Müller", "316.98")
    services.hand_over(order_ids=[order.pk], source="command")
    page = wide(language)
    log_in(page, "clerk")

    page.goto(f"/admin/shop/order/{order.pk}/change/")
    story = page.locator("#inkasso-story")
    assert words["with"] in story.inner_text()
    assert words["no_number"] in story.inner_text()
    shot(page, f"order-with-mediafinanz-{language}")
