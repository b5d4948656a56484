"""Who may do what with the reminders: every role against every letter page.

Only staff with ``inkasso.send_reminders`` and superusers get through.
Anonymous visitors and users who are not staff (even with the permission)
are sent to the login page. Other staff get 403 for the ledger pages; a
letter's download is a 404 for them, so that its bytes never leave. Staff who
may see orders but not send get the changelist back from the send action, as
Django offers them no such action, and the order page without the letters.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from inkasso import dunning, sending
from inkasso.dunning_models import NO_COPY
from inkasso.models import DunningStop, Letter
from shop.models import OrderStatus
from tests.factories import DueOrderFactory
from tests.users import UserFactory

ROLES = [
    "anonymous",
    "not staff, with the permission",
    "staff",
    "viewer",
    "order clerk",
    "sender",
    "superuser",
]
ALLOWED = {"sender", "superuser"}
TO_LOGIN = {"anonymous", "not staff, with the permission"}
SENDER = ["shop.view_order", "shop.change_order", "inkasso.send_reminders"]
CONFIRMATION = "admin/inkasso/send_reminders_confirmation.html"
CHANGELIST = reverse("admin:shop_order_changelist")


def _user(role):
    if role == "anonymous":
        return None
    if role == "superuser":
        return get_user_model().objects.create_superuser("root", password="secret")
    if role == "not staff, with the permission":
        user = UserFactory(username="outsider", permissions=SENDER)
        user.is_staff = False
        user.save()
        return user
    permissions = {
        "staff": [],
        "viewer": ["shop.view_order"],
        "order clerk": ["shop.view_order", "shop.change_order"],
        "sender": SENDER,
    }[role]
    return UserFactory(username=role.replace(" ", "_"), permissions=permissions)


def _overdue():
    return DueOrderFactory(
        letter=None,
        status=OrderStatus.SHIPPED,
        due_date=timezone.localdate() - datetime.timedelta(days=30),
    )


@pytest.fixture
def world(db):
    """An order due for its first letter, one that got it, one under a stop."""
    due, sent, stopped = _overdue(), _overdue(), _overdue()
    sending.send_letters([sent.pk], today=timezone.localdate(), channel="post")
    stop = dunning.stop_dunning(stopped, reason="disputed")
    return {"due": due, "sent": sent, "letter": Letter.objects.get(), "stop": stop}


def _action(client, world):
    return client.post(
        CHANGELIST, {"action": "send_reminders", "_selected_action": [world["due"].pk]}
    )


def _confirmed_action(client, world):
    return client.post(
        CHANGELIST,
        {
            "action": "send_reminders",
            "_selected_action": [world["due"].pk],
            "confirm": "yes",
            "channel": "email",
            "previewed_channel": "email",
        },
    )


def _download(client, world):
    return client.get(
        reverse("admin:inkasso_letter_download", args=[world["letter"].pk])
    )


def _letter_list(client, world):
    return client.get(reverse("admin:inkasso_letter_changelist"))


def _letter_page(client, world):
    return client.get(reverse("admin:inkasso_letter_change", args=[world["letter"].pk]))


def _stop_list(client, world):
    return client.get(reverse("admin:inkasso_dunningstop_changelist"))


def _stop_page(client, world):
    return client.get(
        reverse("admin:inkasso_dunningstop_change", args=[world["stop"].pk])
    )


def _stop_form(client, world):
    return client.get(reverse("admin:inkasso_dunningstop_add"))


def _stop(client, world):
    return client.post(
        reverse("admin:inkasso_dunningstop_add"),
        {"order": world["due"].pk, "reason": "payment_plan"},
    )


def _lift(client, world):
    return client.post(
        reverse("admin:inkasso_dunningstop_changelist"),
        {"action": "lift_stops", "_selected_action": [world["stop"].pk]},
    )


def _sent_to_due(world):
    return Letter.objects.filter(order=world["due"]).exists()


def _stopped_due(world):
    return DunningStop.objects.filter(order=world["due"]).exists()


def _lifted(world):
    world["stop"].refresh_from_db()
    return not world["stop"].is_active


# Each view: the request, what the allowed roles get, the change it makes,
# and what other staff get.
VIEWS = {
    "send action": (_action, 200, None, 403),
    "confirmed send action": (_confirmed_action, 302, _sent_to_due, 403),
    "letter download": (_download, 200, None, 404),
    "letter list": (_letter_list, 200, None, 403),
    "letter page": (_letter_page, 200, None, 403),
    "dunning stop list": (_stop_list, 200, None, 403),
    "dunning stop page": (_stop_page, 200, None, 403),
    "dunning stop form": (_stop_form, 200, None, 403),
    "dunning stop": (_stop, 302, _stopped_due, 403),
    "lifting a dunning stop": (_lift, 302, _lifted, 403),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", VIEWS)
def test_only_senders_and_superusers_get_through(client, world, view, role):
    request, allowed_status, changed, refused_status = VIEWS[view]
    user = _user(role)
    if user:
        client.force_login(user)

    response = request(client, world)

    if role in ALLOWED:
        assert response.status_code == allowed_status
        if view == "send action":
            assert CONFIRMATION in [t.name for t in response.templates]
        if view == "letter download":
            assert response.content == bytes(world["letter"].pdf)
        if changed:
            assert changed(world)
        return
    if changed:
        assert not changed(world)
    assert response.get("Content-Type") != "application/pdf"
    assert bytes(world["letter"].pdf) not in response.content
    if role in TO_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif view in ("send action", "confirmed send action") and role != "staff":
        # They may see the changelist, which offers them no send action: the
        # post shows it again (no action at all) or goes back to it ("no
        # action selected", beside the actions they may run).
        if response.status_code == 302:
            assert response["Location"] == CHANGELIST
        else:
            assert response.status_code == 200
            assert "admin/change_list.html" in [t.name for t in response.templates]
        assert CONFIRMATION not in [t.name for t in response.templates]
    else:
        assert response.status_code == refused_status


@pytest.mark.parametrize("role", ["viewer", "order clerk", "sender", "superuser"])
def test_the_order_page_lists_letters_and_downloads_only_for_senders(
    client, world, role
):
    client.force_login(_user(role))

    page = client.get(
        reverse("admin:shop_order_change", args=[world["sent"].pk])
    ).content.decode()

    download = reverse("admin:inkasso_letter_download", args=[world["letter"].pk])
    assert (download in page) == (role in ALLOWED)
    assert ("Reminders and dunning letters" in page) == (role in ALLOWED)
    assert ("send_reminders" in client.get(CHANGELIST).content.decode()) == (
        role in ALLOWED
    )


@pytest.mark.django_db
def test_a_letter_recorded_without_its_pdf_has_no_download(client, world):
    # As the letters the shop recorded itself before (shop migration 0003).
    client.force_login(_user("sender"))
    Letter.objects.filter(pk=world["letter"].pk).update(pdf=b"", sha256=NO_COPY)

    page = client.get(
        reverse("admin:shop_order_change", args=[world["sent"].pk])
    ).content.decode()

    assert "no copy kept" in page
    assert _download(client, world).status_code == 404
