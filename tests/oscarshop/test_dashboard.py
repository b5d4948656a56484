"""The Inkasso pages in Oscar's dashboard, where the shop's staff work."""

import pytest
from django.urls import reverse

from inkasso.models import Handover
from inkasso.selectors import handover_file

from .factories import create_order

pytestmark = pytest.mark.django_db


def test_the_dashboard_navigation_has_the_entry_for_clerks(clerk_client):
    page = clerk_client.get(reverse("dashboard:index")).content.decode()

    assert "Debt collection" in page
    assert reverse("inkasso_oscar:orders") in page


def test_the_orders_page_lists_ready_and_blocked_orders_with_reasons(clerk_client):
    ready = create_order()
    blocked = create_order(mahnung=None)

    response = clerk_client.get(reverse("inkasso_oscar:orders"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "oscar/dashboard/layout.html" in [t.name for t in response.templates]
    assert "2 orders are due for handover" in page
    assert ready.number in page and blocked.number in page
    assert "No dunning letter (Mahnung) has been recorded." in page


def test_the_handover_confirms_hands_over_and_gives_the_file(clerk_client, clerk):
    ready = create_order(status="Inkasso")
    create_order(mahnung=None)
    url = reverse("inkasso_oscar:hand-over")

    shown = clerk_client.get(url)
    confirmation = shown.content.decode()
    assert "1 order will be handed over to mediafinanz." in confirmation
    assert not Handover.objects.exists()

    response = clerk_client.post(
        url, {"confirm": "yes", "selection": shown.context["selection"]}
    )

    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inkasso_oscar:handover", args=[handover.pk])
    assert handover.created_by == clerk
    assert list(handover.claims.values_list("order_id", flat=True)) == [ready.pk]
    page = clerk_client.get(response["Location"]).content.decode()
    assert handover.filename in page
    download = clerk_client.get(
        reverse("inkasso_oscar:handover-file", args=[handover.pk])
    )
    assert b"".join(download.streaming_content) == b"".join(handover_file(handover))
    assert handover.filename in download["Content-Disposition"]
    # As in the admin: the clerk can check the upload against the ledger.
    assert download["X-Content-SHA256"] == handover.sha256
    assert download["Content-Length"] == str(handover.file_size)


def test_staff_without_the_permission_neither_see_nor_open_the_pages(client):
    from tests.users import UserFactory

    client.force_login(UserFactory(username="lager"))

    assert (
        "Debt collection" not in client.get(reverse("dashboard:index")).content.decode()
    )
    assert client.get(reverse("inkasso_oscar:orders")).status_code == 403
    assert client.post(reverse("inkasso_oscar:hand-over")).status_code == 403
    assert not Handover.objects.exists()


def test_the_dashboard_speaks_german(clerk_client):
    create_order()

    page = clerk_client.get(
        reverse("inkasso_oscar:orders"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()

    assert "Zur Übergabe fällige Bestellungen" in page
    assert "Gründe" in page


def test_the_handover_takes_only_the_orders_the_confirmation_showed(clerk_client):
    shown = create_order(status="Inkasso")
    url = reverse("inkasso_oscar:hand-over")
    token = clerk_client.get(url).context["selection"]
    later = create_order(status="Inkasso")  # due after the page was shown

    clerk_client.post(url, {"confirm": "yes", "selection": token})

    assert list(Handover.objects.get().claims.values_list("order_id", flat=True)) == [
        shown.pk
    ]
    assert later.pk not in Handover.objects.values_list("claims__order_id", flat=True)


def test_a_handover_without_the_signed_orders_is_refused(clerk_client):
    create_order(status="Inkasso")

    response = clerk_client.post(reverse("inkasso_oscar:hand-over"), {"confirm": "yes"})

    assert response.status_code == 403
    assert not Handover.objects.exists()
