"""The collection clerks' group: exactly the permissions the job needs, and enough.

``manage.py inkasso_setup`` creates it; a user in it hands over, sends
reminders, downloads files and letters, and fixes blocked orders; staff
outside it cannot.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from inkasso import clerk, services
from inkasso.models import Claim, Letter
from tests.factories import DueOrderFactory
from tests.users import UserFactory

CHANGELIST = reverse("admin:shop_order_changelist")
# The demo shop's settings: the inkasso permissions, view/change on the orders
# (from INKASSO_ORDER_MODEL) and the shop's own INKASSO_CLERK_PERMISSIONS.
DEMO_CLERK = {
    "inkasso.hand_over",
    "inkasso.send_reminders",
    "shop.view_order",
    "shop.change_order",
    "shop.view_customer",
    "shop.change_customer",
    "shop.view_orderline",
    "shop.view_payment",
    "shop.add_payment",
}


def setup(*args):
    out = io.StringIO()
    call_command("inkasso_setup", *args, stdout=out)
    return out.getvalue()


def names(permissions):
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def group():
    return Group.objects.get(name="Collection clerk")


@pytest.fixture
def clerk_client(client, db):
    setup()
    user = UserFactory(username="clerk")
    user.groups.add(group())
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(username="staff", permissions=["shop.view_order"]))
    return client


@pytest.mark.django_db
def test_the_group_has_exactly_the_clerks_permissions():
    output = setup()

    assert names(group().permissions.all()) == DEMO_CLERK
    assert "Created the group 'Collection clerk'." in output
    assert "  added    inkasso.hand_over" in output


@pytest.mark.django_db
def test_a_german_shop_gets_a_german_group_name(settings):
    settings.LANGUAGE_CODE = "de"

    setup()

    assert Group.objects.get().name == "Inkasso-Sachbearbeitung"


@pytest.mark.django_db
def test_without_host_extras_the_clerk_gets_the_inkasso_and_order_permissions(
    settings,
):
    del settings.INKASSO_CLERK_PERMISSIONS

    setup()

    clerks = group()
    assert names(clerks.permissions.all()) == {
        "inkasso.hand_over",
        "inkasso.send_reminders",
        "shop.view_order",
        "shop.change_order",
    }


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so():
    setup()

    output = setup()

    assert Group.objects.count() == 1
    assert names(group().permissions.all()) == DEMO_CLERK
    assert "The group 'Collection clerk' exists." in output
    assert "It has all 9 permissions a clerk needs." in output
    assert "added" not in output


@pytest.mark.django_db
def test_extra_permissions_are_kept_unless_exact():
    setup()
    extra = Permission.objects.get(codename="delete_order")
    group().permissions.add(extra)

    kept = setup()
    assert "kept     shop.delete_order (not one a clerk needs)" in kept
    assert extra in group().permissions.all()

    removed = setup("--exact")
    assert "removed  shop.delete_order" in removed
    assert names(group().permissions.all()) == DEMO_CLERK


@pytest.mark.django_db
def test_user_puts_a_user_into_the_group_once():
    user = UserFactory(username="erika", is_staff=False)

    first = setup("--user", "erika")
    again = setup("--user", "erika")

    user.refresh_from_db()
    assert list(user.groups.all()) == [group()]
    assert user.is_staff
    assert "Put 'erika' into the group." in first
    assert "'erika' may now log in to the admin (staff)." in first
    assert "'erika' is in the group already." in again


@pytest.mark.django_db
def test_an_unknown_user_changes_nothing():
    with pytest.raises(CommandError, match="There is no user 'nobody'") as raised:
        setup("--user", "nobody")

    assert raised.value.returncode == 2
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_an_unknown_host_permission_is_named(settings):
    settings.INKASSO_CLERK_PERMISSIONS = ["shop.view_order", "shop.fly_order"]

    with pytest.raises(CommandError, match="shop.fly_order") as raised:
        setup()

    assert raised.value.returncode == 2
    assert not Group.objects.exists()


@pytest.mark.django_db
def test_the_group_name_can_be_given():
    setup("--group", "Buchhaltung")

    assert names(Group.objects.get(name="Buchhaltung").permissions.all()) == (
        DEMO_CLERK
    )


def test_the_clerk_permissions_follow_the_host_order_model(settings):
    settings.INKASSO_CLERK_PERMISSIONS = ["shop.view_payment", "shop.view_order"]

    assert clerk.clerk_permissions() == [
        "inkasso.hand_over",
        "inkasso.send_reminders",
        "shop.view_order",
        "shop.change_order",
        "shop.view_payment",
    ]


# What a clerk does, through the group alone.


@pytest.mark.django_db
def test_a_clerk_in_the_group_hands_over_and_downloads(clerk_client):
    order = DueOrderFactory()

    confirmation = clerk_client.post(
        CHANGELIST,
        {"action": "hand_over_to_mediafinanz", "_selected_action": [order.pk]},
    )
    assert confirmation.status_code == 200
    assert "admin/inkasso/hand_over_confirmation.html" in [
        t.name for t in confirmation.templates
    ]
    handed = clerk_client.post(
        reverse("admin:shop_order_inkasso", args=[order.pk]), {"encoding": "cp1252"}
    )
    assert handed.status_code == 302
    claim = Claim.objects.get(order=order)

    download = clerk_client.get(
        reverse("admin:inkasso_handover_download", args=[claim.handover_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"Vorname;Nachname;")


@pytest.mark.django_db
def test_a_clerk_in_the_group_sends_reminders_and_downloads_the_letter(
    clerk_client,
):
    order = DueOrderFactory(
        letter=None,
        status="shipped",
        due_date=timezone.localdate() - datetime.timedelta(days=10),
    )

    sent = clerk_client.post(
        CHANGELIST,
        {
            "action": "send_reminders",
            "_selected_action": [order.pk],
            "confirm": "yes",
            "channel": "post",
            "previewed_channel": "post",
        },
    )

    assert sent["Content-Type"] == "application/pdf"
    letter = Letter.objects.get(order=order)
    download = clerk_client.get(
        reverse("admin:inkasso_letter_download", args=[letter.pk])
    )
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")


LEDGER_PAGES = [
    "admin:inkasso_handover_changelist",
    "admin:inkasso_claim_changelist",
    "admin:inkasso_directpayment_changelist",
    "admin:inkasso_letter_changelist",
    "admin:inkasso_dunningstop_changelist",
    "admin:shop_order_changelist",
    "admin:shop_customer_changelist",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", LEDGER_PAGES)
def test_a_clerk_in_the_group_sees_the_ledger_and_the_orders(clerk_client, page):
    assert clerk_client.get(reverse(page)).status_code == 200


@pytest.mark.django_db
def test_a_clerk_in_the_group_sees_a_blocked_orders_lines_and_payments(
    clerk_client,
):
    order = DueOrderFactory(billing_city="")

    page = clerk_client.get(reverse("admin:shop_order_change", args=[order.pk]))

    assert page.status_code == 200
    formsets = {
        formset.formset.prefix for formset in page.context["inline_admin_formsets"]
    }
    assert formsets == {"lines", "payments"}
    assert page.context["has_change_permission"]


@pytest.mark.django_db
def test_staff_outside_the_group_cannot_hand_over_send_or_download(staff_client):
    order = DueOrderFactory()
    handover = services.hand_over(order_ids=[order.pk], source="command").handover

    assert (
        staff_client.post(
            reverse("admin:shop_order_inkasso", args=[order.pk]),
            {"encoding": "cp1252"},
        ).status_code
        == 403
    )
    assert (
        staff_client.get(
            reverse("admin:inkasso_handover_download", args=[handover.pk])
        ).status_code
        == 403
    )
    changelist = staff_client.get(CHANGELIST).content.decode()
    assert "send_reminders" not in changelist
    assert "hand_over_to_mediafinanz" not in changelist
