"""The clerk's handover in the admin, end to end with the test client."""

import csv
import hashlib
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from inkasso.models import Claim, Handover
from shop.demo import create_demo_data
from shop.models import Order, OrderStatus
from tests.factories import DueOrderFactory, OrderFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:shop_order_changelist")


def download(client, handover) -> bytes:
    url = reverse("admin:inkasso_handover_download", args=[handover.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{handover.filename}"'
    )
    return b"".join(response.streaming_content)


def rows_of(data: bytes, encoding="cp1252") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding)), delimiter=";"))


def run_action(client, orders, *, url=CHANGELIST, **extra):
    return client.post(
        url,
        {
            "action": "hand_over_to_mediafinanz",
            ACTION_CHECKBOX_NAME: [order.pk for order in orders],
            "index": 0,
            **extra,
        },
    )


def confirm(client, confirmation, *, encoding="cp1252"):
    # The page posts to the order admin's own URL, with the signed selection.
    data = {
        "selection": confirmation.context["selection"],
        "confirm": "yes",
        "encoding": encoding,
    }
    return client.post(confirmation.context["confirm_url"], data), data


def test_clerk_selects_confirms_and_gets_the_file(clerk_client, clerk):
    good = DueOrderFactory.create_batch(3)
    broken = DueOrderFactory(billing_street="", status=OrderStatus.SHIPPED)

    confirmation = run_action(clerk_client, [*good, broken])
    assert confirmation.status_code == 200
    assert confirmation.context["accepted_count"] == 3
    assert [c.label for c in confirmation.context["refused"]] == [broken.number]
    page = confirmation.content.decode()
    assert broken.number in page
    assert "The street and house number is missing." in page
    assert Handover.objects.count() == 0

    response, _data = confirm(clerk_client, confirmation)
    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response.url == (
        reverse("admin:inkasso_handover_change", args=[handover.pk]) + "?download=1"
    )
    handover_page = clerk_client.get(response.url)
    assert reverse("admin:inkasso_handover_download", args=[handover.pk]) in (
        handover_page.content.decode()
    )
    messages = [str(m) for m in handover_page.context["messages"]]
    assert any("3 claims were handed over" in m for m in messages)
    assert any(
        broken.number in m and "The street and house number is missing." in m
        for m in messages
    )

    data = download(clerk_client, handover)
    rows = rows_of(data)
    assert len(rows) == 4
    assert all(len(row) == 18 for row in rows)
    assert sorted(row[12] for row in rows[1:]) == sorted(o.invoice_number for o in good)
    assert handover.created_by == clerk
    assert handover.source == Handover.Source.ADMIN
    assert handover.row_count == 3
    assert handover.sha256 == hashlib.sha256(data).hexdigest()
    assert list(
        Claim.objects.values_list("order_id", flat=True).order_by("order_id")
    ) == [o.pk for o in good]
    assert set(
        Order.objects.filter(pk__in=[o.pk for o in good]).values_list(
            "status", flat=True
        )
    ) == {OrderStatus.COLLECTION}
    broken.refresh_from_db()
    assert broken.status == OrderStatus.SHIPPED


def test_a_recorded_file_downloads_byte_for_byte_again(clerk_client):
    DueOrderFactory.create_batch(2)
    confirmation = run_action(clerk_client, Order.objects.all())
    confirm(clerk_client, confirmation)
    handover = Handover.objects.get()
    first = download(clerk_client, handover)
    second = download(clerk_client, handover)
    assert first == second
    assert len(first) == handover.file_size


def test_select_all_across_pages_hands_over_2500_orders(clerk_client):
    create_demo_data(
        orders=2500, seed=7, today=timezone.localdate(), stage="collection"
    )
    first_page = Order.objects.order_by("-order_date", "-id")[:100]
    confirmation = run_action(clerk_client, first_page, select_across="1")
    assert confirmation.status_code == 200
    assert (
        confirmation.context["accepted_count"] + confirmation.context["refused_count"]
        == 2500
    )

    response, posted = confirm(clerk_client, confirmation)
    # The confirmation carries the selection in one signed field, far below
    # Django's limit of 1,000 fields per request.
    assert len(posted) == 3
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.row_count == confirmation.context["accepted_count"]
    assert handover.row_count > 2400
    assert Claim.objects.count() == handover.row_count
    rows = rows_of(download(clerk_client, handover))
    assert len(rows) == handover.row_count + 1


def test_confirmation_refuses_a_forged_or_foreign_selection(clerk_client, client, db):
    DueOrderFactory()
    confirmation = run_action(clerk_client, Order.objects.all())
    data = {
        "selection": confirmation.context["selection"] + "x",
        "confirm": "yes",
        "encoding": "cp1252",
    }
    url = confirmation.context["confirm_url"]
    assert clerk_client.post(url, data).status_code == 403
    assert Handover.objects.count() == 0


def test_staff_without_the_permission_see_no_action_and_get_403(
    client, staff_without_permission
):
    order = DueOrderFactory()
    client.force_login(staff_without_permission)
    changelist = client.get(CHANGELIST)
    assert changelist.status_code == 200
    assert "hand_over_to_mediafinanz" not in changelist.content.decode()
    response = run_action(client, [order])
    assert response.status_code == 302  # back to the list: no such action
    assert Handover.objects.count() == 0
    change = client.get(reverse("admin:shop_order_change", args=[order.pk]))
    assert "/inkasso/" not in change.content.decode()
    inkasso = reverse("admin:shop_order_inkasso", args=[order.pk])
    assert client.get(inkasso).status_code == 403
    assert client.post(inkasso, {"encoding": "cp1252"}).status_code == 403
    assert client.get(reverse("admin:inkasso_handover_changelist")).status_code == 403


def test_order_page_hands_over_one_order_in_the_chosen_format(clerk_client):
    order = DueOrderFactory(billing_last_name="Wróbel-Łukasiewicz")
    change = clerk_client.get(reverse("admin:shop_order_change", args=[order.pk]))
    url = reverse("admin:shop_order_inkasso", args=[order.pk])
    assert url in change.content.decode()
    page = clerk_client.get(url)
    assert page.status_code == 200
    assert page.context["claim"].ok
    response = clerk_client.post(url, {"encoding": "utf-8-sig"})
    handover = Handover.objects.get()
    assert response.status_code == 302
    assert handover.source == Handover.Source.ORDER_PAGE
    assert handover.encoding == "utf-8-sig"
    data = download(clerk_client, handover)
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows_of(data, "utf-8-sig")[1][1] == "Wróbel-Łukasiewicz"
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTION
    again = clerk_client.get(url)
    assert again.context["inkasso_claim"].handover == handover


def test_order_page_explains_why_an_order_cannot_be_handed_over(clerk_client):
    order = OrderFactory(billing_city="")
    page = clerk_client.get(reverse("admin:shop_order_inkasso", args=[order.pk]))
    content = page.content.decode()
    assert "The city is missing." in content
    assert "No dunning letter (Mahnung) has been recorded." in content
    response = clerk_client.post(
        reverse("admin:shop_order_inkasso", args=[order.pk]), {"encoding": "cp1252"}
    )
    assert response.status_code == 302
    assert Handover.objects.count() == 0


def test_withdrawn_claim_lets_the_order_be_handed_over_again(clerk_client, clerk):
    order = DueOrderFactory()
    url = reverse("admin:shop_order_inkasso", args=[order.pk])
    clerk_client.post(url, {"encoding": "cp1252"})
    claim = Claim.objects.get()
    withdraw = reverse("admin:inkasso_claim_withdraw", args=[claim.pk])
    assert clerk_client.post(withdraw, {"reason": ""}).status_code == 200
    response = clerk_client.post(withdraw, {"reason": "Kunde hat bezahlt"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN
    assert claim.withdrawn_by == clerk
    assert claim.withdrawal_reason == "Kunde hat bezahlt"
    # Without the page having shown the withdrawal, nothing is handed over.
    clerk_client.post(url, {"encoding": "cp1252"})
    assert Claim.objects.filter(order=order).count() == 1
    page = clerk_client.get(url)
    assert page.context["withdrawn_seen"]
    assert "Kunde hat bezahlt" in page.content.decode()
    clerk_client.post(url, {"encoding": "cp1252", "withdrawn_seen": "1"})
    assert Claim.objects.filter(order=order).count() == 2
    assert Handover.objects.count() == 2


def test_the_ledger_cannot_be_edited_or_deleted_in_the_admin(
    clerk_client, admin_client
):
    order = DueOrderFactory()
    clerk_client.post(
        reverse("admin:shop_order_inkasso", args=[order.pk]), {"encoding": "cp1252"}
    )
    handover = Handover.objects.get()
    for client in (clerk_client, admin_client):
        assert client.get(reverse("admin:inkasso_handover_add")).status_code == 403
        assert (
            client.get(
                reverse("admin:inkasso_handover_delete", args=[handover.pk])
            ).status_code
            == 403
        )
        page = client.get(reverse("admin:inkasso_handover_change", args=[handover.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()


def test_the_handover_permission_alone_does_not_open_an_order_page(client, db):
    from tests.users import UserFactory

    user = UserFactory(username="ledger-only", permissions=["inkasso.hand_over"])
    order = DueOrderFactory()
    client.force_login(user)
    url = reverse("admin:shop_order_inkasso", args=[order.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"encoding": "cp1252"}).status_code == 403
    assert Handover.objects.count() == 0
