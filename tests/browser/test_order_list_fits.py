"""The demo order list at 1400 px: every column on screen, the money right-aligned.

Saves ``test-artifacts/browser/<test>/order-list-1400.png``.
"""

import pytest
from django.utils import timezone

from shop.demo import create_demo_data
from tests.browser.conftest import log_in
from tests.users import UserFactory

pytestmark = pytest.mark.browser

WIDTH = 1400
# How wide the page and the results are, and the columns that lie beyond the
# visible part of the results (Django's admin scrolls the table sideways
# inside ``.results`` rather than cutting it).
MEASURE = """() => {
    const results = document.querySelector('.results');
    const visible = results.getBoundingClientRect().left + results.clientWidth;
    const cut = [...results.querySelectorAll('thead th')]
        .filter(th => th.getBoundingClientRect().right > visible + 1)
        .map(th => th.className.match(/column-(\\w+)/)[1]);
    return {
        page: document.scrollingElement.scrollWidth,
        results: [results.scrollWidth, results.clientWidth],
        cut: cut,
    };
}"""
MONEY = ["open_amount_display", "total_amount"]


def open_order_list(browser, live_server, locale, *, sidebar):
    context = browser.new_context(
        locale=locale,
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": 900},
    )
    context.set_default_timeout(15_000)
    context.add_init_script(
        f"localStorage.setItem('django.admin.navSidebarIsOpen', '{sidebar}')"
    )
    page = context.new_page()
    log_in(page, "clerk")
    # Blocked and ready orders side by side: the longest reasons.
    page.goto("/admin/shop/order/?status__exact=collection")
    page.wait_for_selector("#result_list")
    return context, page


@pytest.fixture
def demo_shop(transactional_db):
    """The demo's realistic orders: every stage, blocked ones among them."""
    create_demo_data(orders=120, seed=42, today=timezone.localdate())
    return UserFactory(
        username="clerk",
        password="secret",
        permissions=[
            "shop.view_order",
            "shop.change_order",
            "shop.view_customer",
            "inkasso.hand_over",
            "inkasso.send_reminders",
        ],
    )


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_the_order_list_fits_1400_pixels(browser, live_server, shot, demo_shop, locale):
    # The navigation sidebar closed («), as a clerk leaves it for the lists.
    context, page = open_order_list(browser, live_server, locale, sidebar="false")
    try:
        shot(page, "order-list-1400")

        size = page.evaluate(MEASURE)
        assert size["cut"] == []
        assert size["results"][0] <= size["results"][1]
        assert size["page"] <= WIDTH

        # Money right-aligned in the one format: "1.234,56 €" / "€1,234.56".
        amount = page.locator("td.field-open_amount_display").first
        assert amount.evaluate("td => getComputedStyle(td).textAlign") == "right"
        text = amount.inner_text()
        assert text.endswith("\u00a0€") if locale == "de-DE" else text.startswith("€")
        # Dates as the clerk's days: 03.11.2026 / 03/11/2026.
        due = page.locator("td.field-due_date_display").first.inner_text()
        assert len(due) == 10 and due[2] in "./" and due[5] in "./"
        # The reasons wrap within the column instead of widening it.
        widths = page.locator("td.field-inkasso_status").evaluate_all(
            "tds => tds.map(td => td.getBoundingClientRect().width)"
        )
        assert max(widths) <= 20 * 13 + 20  # 20em of 13 px and the padding
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_with_the_navigation_open_the_money_is_still_on_screen(
    browser, live_server, shot, demo_shop, locale
):
    context, page = open_order_list(browser, live_server, locale, sidebar="true")
    try:
        shot(page, "order-list-1400-navigation-open")

        size = page.evaluate(MEASURE)
        assert size["page"] <= WIDTH
        assert not set(MONEY) & set(size["cut"])
    finally:
        context.close()
