"""Oscar's dashboard in German in a real browser, page by page, with screenshots.

The orders due, the confirmation, the handover with its file, the Inkasso
panel on Oscar's order page (ready, blocked, with mediafinanz), sending the
reminders, and the ledger pages (``test-artifacts/browser/<test>/``).
"""

import pytest

from inkasso import services

from ..conftest import HANDOVER_PERMISSIONS
from ..factories import AustrianAddressFactory, create_order

pytestmark = pytest.mark.browser


@pytest.fixture
def clerk(transactional_db):
    from tests.users import UserFactory

    return UserFactory(
        username="buchhaltung",
        first_name="Berta",
        permissions=[*HANDOVER_PERMISSIONS, "inkasso.send_reminders"],
    )


def panel_shot(page, shot, name):
    """Oscar's order page down to the Inkasso panel (the page is long)."""
    panel = page.locator("#inkasso-panel").bounding_box()
    clip = {"x": 0, "y": 0, "width": 1400, "height": panel["y"] + panel["height"] + 16}
    page.screenshot(path=shot.folder / f"{name}.png", clip=clip, full_page=True)


def test_a_clerk_walks_the_dashboard_in_german(open_dashboard, shot, clerk):
    ready = create_order(total_incl_tax="1234.56")
    abroad = create_order(billing_address=AustrianAddressFactory())
    blocked = create_order(mahnung=None)
    reminded = create_order(mahnung=None, status="Being processed")
    earlier = create_order(status="Being processed")
    services.hand_over(order_ids=[earlier.pk], source="admin", user=clerk)
    page = open_dashboard(clerk)

    page.goto("/dashboard/inkasso/")
    assert "3 Bestellungen sind zur Übergabe fällig" in page.inner_text("body")
    assert "1.234,56\u00a0€" in page.inner_text("table")
    shot(page, "1-orders-due")

    page.goto(f"/dashboard/orders/{abroad.number}/")
    panel = page.inner_text("#inkasso-panel")
    assert "Übergabebereit" in panel and "wohnt im Ausland (AT)" in panel
    panel_shot(page, shot, "2-order-ready")
    page.click("#inkasso-hand-over")
    assert "Franz Huber: 119,00\u00a0€ werden an mediafinanz" in page.inner_text("body")
    shot(page, "3-order-confirmation")
    page.click("button[name=confirm]")
    assert f"Bestellung {abroad.number} wurde an mediafinanz" in page.inner_text("body")

    page.goto("/dashboard/inkasso/")
    page.get_by_role("link", name="An mediafinanz übergeben").click()
    assert "1 Bestellung wird an mediafinanz übergeben." in page.inner_text("body")
    shot(page, "4-confirmation")

    page.click("button[name=confirm]")
    body = page.inner_text("body")
    assert "1 Forderung wurde an mediafinanz übergeben." in body
    assert "1.234,56\u00a0€" in body
    shot(page, "5-handover")

    page.goto(f"/dashboard/orders/{ready.number}/")
    panel = page.inner_text("#inkasso-panel")
    assert "Bei mediafinanz seit" in panel and "noch kein Aktenzeichen" in panel
    panel_shot(page, shot, "6-order-with-mediafinanz")

    page.goto(f"/dashboard/orders/{blocked.number}/")
    assert "Kann noch nicht übergeben werden" in page.inner_text("#inkasso-panel")
    panel_shot(page, shot, "7-order-blocked")

    page.goto(f"/dashboard/orders/{reminded.number}/")
    panel_shot(page, shot, "8-order-reminder-due")

    page.goto("/dashboard/inkasso/reminders/")
    body = page.inner_text("body")
    # The blocked order has no Mahnung yet: it gets its first letter too.
    assert "2 Bestellungen erhalten jetzt ein Schreiben." in body
    assert reminded.number in body and blocked.number in body
    shot(page, "9-reminders")
    page.click("button[name=confirm]")
    assert "2 Schreiben wurden versandt." in page.inner_text("body")
    shot(page, "10-reminders-sent")

    page.goto(f"/dashboard/orders/{reminded.number}/")
    assert "Zahlungserinnerung" in page.inner_text("#inkasso-panel")
    panel_shot(page, shot, "11-order-with-letter")

    page.goto("/dashboard/inkasso/handovers/")
    shot(page, "12-handovers")
    page.goto("/dashboard/inkasso/claims/")
    shot(page, "13-claims")
