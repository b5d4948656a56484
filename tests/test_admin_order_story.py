"""The order page tells where the order stands, and what to do about it."""

import pytest
from django.urls import reverse
from django.utils import translation

from inkasso import display, services
from inkasso.problems import Problem
from shop.models import OrderStatus
from tests.factories import DueOrderFactory, OrderFactory

pytestmark = pytest.mark.django_db


def change_page(client, order) -> str:
    response = client.get(reverse("admin:shop_order_change", args=[order.pk]))
    assert response.status_code == 200
    return response.content.decode()


def inkasso_page(client, order) -> str:
    response = client.get(reverse("admin:shop_order_inkasso", args=[order.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_blocked_order_says_why_and_which_field_to_fill_in(clerk_client):
    order = OrderFactory(billing_city="")

    for page in (change_page(clerk_client, order), inkasso_page(clerk_client, order)):
        assert 'class="module inkasso-story inkasso-story-blocked"' in page
        assert "Cannot be handed over yet" in page
        assert "The city is missing." in page
        assert "Fill in “city” and save the order." in page
        assert "No dunning letter (Mahnung) has been recorded." in page
        assert "Send a Mahnung (or record the one that was sent)" in page


def test_an_order_in_another_currency_cannot_be_fixed_in_the_shop(clerk_client):
    order = DueOrderFactory(currency="CHF")
    page = change_page(clerk_client, order)
    assert "The currency is CHF" in page
    assert "has to be collected another way" in page
    assert "Nothing on the order page changes that; it cannot be handed over." in page


def test_a_ready_order_has_the_button_and_its_amount(clerk_client):
    order = DueOrderFactory()
    page = change_page(clerk_client, order)
    assert "inkasso-story-ready" in page
    assert 'id="inkasso-story-hand-over"' in page
    assert reverse("admin:shop_order_inkasso", args=[order.pk]) in page
    page = inkasso_page(clerk_client, order)
    assert 'id="inkasso-order-download"' in page
    assert "sets the order's status to “Debt collection in progress”" in page


def test_an_order_with_mediafinanz_says_since_when_and_its_file_number(
    clerk_client, clerk
):
    order = DueOrderFactory()
    handover = services.hand_over(order_ids=[order.pk], source="command").handover
    claim = handover.claims.get()

    page = change_page(clerk_client, order)
    since = display.day(handover.created_at)
    assert f"With mediafinanz since {since}" in page
    assert "no file number yet" in page
    assert display.money(claim.amount) in page
    assert reverse("admin:inkasso_claim_change", args=[claim.pk]) in page

    services.record_file_number(claim=claim, file_number="12345678901", user=clerk)
    page = inkasso_page(clerk_client, order)
    assert '<dd id="inkasso-story-file-number">12345678901</dd>' in page


def test_a_withdrawn_order_says_when_and_why(clerk_client, clerk):
    order = DueOrderFactory()
    claim = services.hand_over(order_ids=[order.pk], source="command").handover
    claim = claim.claims.get()
    services.withdraw_claim(claim=claim, user=clerk, reason="Kunde hat bezahlt")
    claim.refresh_from_db()

    page = change_page(clerk_client, order)
    assert f"Withdrawn from mediafinanz on {display.day(claim.withdrawn_at)}" in page
    assert "Reason: Kunde hat bezahlt" in page


def test_staff_without_the_permission_see_no_story(client, staff_without_permission):
    client.force_login(staff_without_permission)
    page = change_page(client, DueOrderFactory())
    assert "inkasso-story" not in page


def test_every_error_of_the_order_checks_has_something_to_do():
    # A sentence for each error a clerk can meet on an order page.
    for code in [
        "cancelled",
        "currency",
        "fully_paid",
        "not_yet_due",
        "missing",
        "name_missing",
        "country_invalid",
        "postcode_invalid",
        "no_mahnung",
        "deadline_running",
        "dunning_stop",
    ]:
        assert Problem(code, {"field": "city"}).hint, code


def test_a_hint_names_the_field_in_the_clerks_language():
    with translation.override("de"):
        assert Problem("missing", {"field": "city"}).hint == (
            "Tragen Sie „Ort“ ein und speichern Sie die Bestellung."
        )


def test_an_order_changed_in_the_shop_after_the_handover_says_tell_mediafinanz(
    clerk_client,
):
    order = DueOrderFactory()
    services.hand_over(order_ids=[order.pk], source="admin", user=None)
    assert 'id="inkasso-story-changed"' not in change_page(clerk_client, order)

    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.PAID)

    page = change_page(clerk_client, order)
    assert 'id="inkasso-story-changed"' in page
    assert "The order changed in the shop since the handover" in page
