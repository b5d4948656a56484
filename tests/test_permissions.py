"""Who may do what with claims: every role against every inkasso page.

Only staff with the handover permission and superusers get through. Anonymous
visitors are sent to the login page; other staff get 403, except that staff
who may only view orders, posting the admin action, get the plain order
changelist back: Django offers them no action at all, so nothing happens.
"""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.test import Client
from django.urls import reverse

from inkasso import selection, services
from inkasso.models import Claim, Handover
from shop.models import Customer, OrderStatus
from tests.factories import DueOrderFactory
from tests.users import UserFactory

ROLES = ["anonymous", "staff", "viewer", "clerk", "superuser"]
ALLOWED = {"clerk", "superuser"}
ACTION = "hand_over_to_mediafinanz"
CONFIRMATION = "admin/inkasso/hand_over_confirmation.html"


def _user(role):
    if role == "anonymous":
        return None
    if role == "superuser":
        return get_user_model().objects.create_superuser("root", password="secret")
    permissions = {
        "staff": [],
        "viewer": ["shop.view_order"],
        "clerk": ["shop.view_order", "shop.change_order", "inkasso.hand_over"],
    }[role]
    return UserFactory(username=role, permissions=permissions)


@pytest.fixture
def world(db):
    """One order due for handover and one already handed over."""
    due = DueOrderFactory()
    handed_over = DueOrderFactory()
    handover = services.hand_over(order_ids=[handed_over.pk], source="command").handover
    return {"due": due, "handover": handover, "claim": handover.claims.get()}


def _selection(user, order_ids):
    # A token exactly as the confirmation page would sign it for this user.
    return selection.sign(user=user or AnonymousUser(), order_ids=order_ids)


def _templates(response):
    return [template.name for template in response.templates]


def _changelist():
    return reverse("admin:shop_order_changelist")


def _confirm_url():
    return reverse("admin:shop_order_inkasso_hand_over")


def _action(client, world, user):
    return client.post(
        _changelist(), {"action": ACTION, "_selected_action": [world["due"].pk]}
    )


def _confirmed_action(client, world, user):
    return client.post(
        _confirm_url(),
        {
            "confirm": "yes",
            "selection": _selection(user, [world["due"].pk]),
            "encoding": "cp1252",
        },
    )


def _order_page(client, world, user):
    return client.get(reverse("admin:shop_order_inkasso", args=[world["due"].pk]))


def _order_page_handover(client, world, user):
    return client.post(
        reverse("admin:shop_order_inkasso", args=[world["due"].pk]),
        {"encoding": "cp1252"},
    )


def _handover_list(client, world, user):
    return client.get(reverse("admin:inkasso_handover_changelist"))


def _handover_page(client, world, user):
    return client.get(
        reverse("admin:inkasso_handover_change", args=[world["handover"].pk])
    )


def _file_download(client, world, user):
    return client.get(
        reverse("admin:inkasso_handover_download", args=[world["handover"].pk])
    )


def _claim_list(client, world, user):
    return client.get(reverse("admin:inkasso_claim_changelist"))


def _claim_page(client, world, user):
    return client.get(reverse("admin:inkasso_claim_change", args=[world["claim"].pk]))


def _withdraw_form(client, world, user):
    return client.get(reverse("admin:inkasso_claim_withdraw", args=[world["claim"].pk]))


def _withdraw(client, world, user):
    return client.post(
        reverse("admin:inkasso_claim_withdraw", args=[world["claim"].pk]),
        {"reason": "Paid directly."},
    )


def _handed_over(world):
    return Claim.objects.filter(order=world["due"]).exists()


def _withdrawn(world):
    world["claim"].refresh_from_db()
    return world["claim"].state == Claim.State.WITHDRAWN


# Each view: the request, what the allowed roles get, and the change it makes.
VIEWS = {
    "action": (_action, 200, None),
    "confirmed action": (_confirmed_action, 302, _handed_over),
    "order page": (_order_page, 200, None),
    "order page handover": (_order_page_handover, 302, _handed_over),
    "handover list": (_handover_list, 200, None),
    "handover page": (_handover_page, 200, None),
    "file download": (_file_download, 200, None),
    "claim list": (_claim_list, 200, None),
    "claim page": (_claim_page, 200, None),
    "withdrawal form": (_withdraw_form, 200, None),
    "withdrawal": (_withdraw, 302, _withdrawn),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", VIEWS)
def test_only_clerks_and_superusers_get_through(client, world, view, role):
    request, allowed_status, changed = VIEWS[view]
    user = _user(role)
    if user:
        client.force_login(user)
    response = request(client, world, user)

    if role in ALLOWED:
        assert response.status_code == allowed_status
        if view == "action":
            assert CONFIRMATION in _templates(response)
        if changed:
            assert changed(world)
        return
    if changed:
        assert not changed(world)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif view == "action" and role == "viewer":
        # The viewer may see the changelist, which offers them no action at
        # all: the post just shows the changelist again.
        assert response.status_code == 200
        assert CONFIRMATION not in _templates(response)
        assert "admin/change_list.html" in _templates(response)
    else:
        assert response.status_code == 403


def test_the_file_download_gives_the_recorded_bytes_only_to_allowed_users(
    client, world
):
    client.force_login(_user("clerk"))

    response = _file_download(client, world, None)

    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(b"Vorname;Nachname;")
    assert len(body) == world["handover"].file_size


def test_a_selection_signed_for_another_user_is_refused(client, world):
    clerk = _user("clerk")
    other = UserFactory(username="other", permissions=["inkasso.hand_over"])
    client.force_login(clerk)

    response = client.post(
        _confirm_url(),
        {
            "confirm": "yes",
            "selection": _selection(other, [world["due"].pk]),
            "encoding": "cp1252",
        },
    )

    assert response.status_code == 403
    assert not _handed_over(world)


def _confirm(client, world, token):
    return client.post(
        _confirm_url(),
        {
            "confirm": "yes",
            "selection": token,
            "encoding": "cp1252",
        },
    )


def _signed(payload, **kwargs):
    # Signed with the real key and salt: only the content is wrong.
    return signing.dumps(payload, salt=selection.SALT, **kwargs)


# Content that is not a selection for this user: refused like another user's.
SIGNED_FOR_NOBODY = {
    "a list": lambda user, pk: [str(user.pk), [pk]],
    "a text": lambda user, pk: "orders",
    "a number": lambda user, pk: 42,
    "nothing": lambda user, pk: None,
    "no user": lambda user, pk: {"orders": [pk]},
    "the user as a number": lambda user, pk: {"user": user.pk, "orders": [pk]},
}
# This user's selection, but its orders are not a list of order keys.
SIGNED_BAD_ORDERS = {
    "no orders": None,
    "orders as a text": "1",
    "orders as a number": 1,
    "orders as a dict": {"1": 1},
    "a key that is a word": ["x"],
    "a key as a text": ["1"],
    "a fraction": [1.5],
    "a boolean": [True],
    "a null key": [None],
    "a nested key": [[1]],
    "a huge key": [10**30],
}


@pytest.mark.parametrize("content", SIGNED_FOR_NOBODY)
def test_a_signed_selection_that_names_no_user_is_refused(client, world, content):
    clerk = _user("clerk")
    client.force_login(clerk)
    payload = SIGNED_FOR_NOBODY[content](clerk, world["due"].pk)

    response = _confirm(client, world, _signed(payload, compress=True))

    assert response.status_code == 403
    assert not _handed_over(world)


@pytest.mark.parametrize("content", SIGNED_BAD_ORDERS)
def test_a_signed_selection_with_bad_orders_is_a_bad_request(client, world, content):
    clerk = _user("clerk")
    client.force_login(clerk)
    payload = {"user": str(clerk.pk)}
    if SIGNED_BAD_ORDERS[content] is not None:
        payload["orders"] = SIGNED_BAD_ORDERS[content]

    response = _confirm(client, world, _signed(payload, compress=True))

    assert response.status_code == 400
    assert not _handed_over(world)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "x" * 10_000,
        "eyJ1c2VyIjoiMSJ9:1tXyZ0:forged",
        signing.dumps({"user": "1", "orders": [1]}, salt="another.salt"),
    ],
)
def test_a_selection_that_is_not_signed_here_is_refused(client, world, token):
    client.force_login(_user("clerk"))

    response = _confirm(client, world, token)

    assert response.status_code == 403
    assert not _handed_over(world)


def test_a_signed_selection_that_is_not_json_is_a_bad_request(client, world):
    clerk = _user("clerk")
    client.force_login(clerk)
    not_json = signing.TimestampSigner(salt=selection.SALT).sign("not json")

    response = _confirm(client, world, not_json)

    assert response.status_code == 400
    assert not _handed_over(world)


def test_a_selection_signed_like_the_confirmation_page_hands_over(client, world):
    clerk = _user("clerk")
    client.force_login(clerk)
    payload = {"user": str(clerk.pk), "orders": [world["due"].pk]}

    response = _confirm(client, world, _signed(payload, compress=True))

    assert response.status_code == 302
    assert _handed_over(world)


def test_a_handover_page_of_an_inactive_clerk_is_refused(client, world):
    clerk = _user("clerk")
    client.force_login(clerk)
    clerk.is_active = False
    clerk.save()

    response = _file_download(client, world, clerk)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies["csrftoken"].value


@pytest.mark.parametrize(
    "view", ["confirmed action", "order page handover", "withdrawal"]
)
def test_posts_without_a_csrf_token_change_nothing(world, view):
    request, _status, changed = VIEWS[view]
    clerk = _user("clerk")

    response = request(_csrf_client(clerk), world, clerk)

    assert response.status_code == 403
    assert not changed(world)


def test_the_same_posts_with_a_csrf_token_go_through(world):
    clerk = _user("clerk")
    client = _csrf_client(clerk)
    order_page = reverse("admin:shop_order_inkasso", args=[world["due"].pk])
    withdraw_page = reverse("admin:inkasso_claim_withdraw", args=[world["claim"].pk])

    handover = client.post(
        order_page,
        {"encoding": "cp1252", "csrfmiddlewaretoken": _token(client, order_page)},
    )
    withdrawal = client.post(
        withdraw_page,
        {"reason": "Paid.", "csrfmiddlewaretoken": _token(client, withdraw_page)},
    )

    assert handover.status_code == 302
    assert _handed_over(world)
    assert withdrawal.status_code == 302
    assert _withdrawn(world)


DEBTOR = {
    "first_name": "Xaverius",
    "last_name": "Quetschkommode",
    "company": "Geheimfirma Zwiebelmann GmbH",
    "email": "xaverius.geheim@example.de",
    "phone": "+49 351 9876543",
}
ADDRESS = {
    "billing_street": "Verborgener Weg 77",
    "billing_postcode": "04109",
    "billing_city": "Nimmerstadt",
    "invoice_number": "R-VERTRAULICH-1",
}


def test_no_debtor_data_reaches_the_logs(client, caplog, db):
    caplog.set_level(logging.DEBUG)
    customer = Customer.objects.create(**DEBTOR)
    accepted = DueOrderFactory(
        customer=customer,
        billing_first_name=DEBTOR["first_name"],
        billing_last_name=DEBTOR["last_name"],
        billing_company=DEBTOR["company"],
        **ADDRESS,
    )
    refused = DueOrderFactory(
        customer=customer,
        billing_first_name=DEBTOR["first_name"],
        billing_last_name=DEBTOR["last_name"],
        billing_street="",
        invoice_number="R-VERTRAULICH-2",
    )
    clerk = _user("clerk")
    client.force_login(clerk)

    client.post(
        _confirm_url(),
        {
            "confirm": "yes",
            "selection": _selection(clerk, [accepted.pk, refused.pk]),
            "encoding": "cp1252",
        },
    )
    claim = Claim.objects.get(order=accepted)
    client.get(reverse("admin:inkasso_handover_download", args=[claim.handover_id]))
    client.post(
        reverse("admin:inkasso_claim_withdraw", args=[claim.pk]),
        {"reason": "Paid."},
    )
    client.force_login(_user("viewer"))
    client.get(reverse("admin:shop_order_inkasso", args=[accepted.pk]))

    assert Handover.objects.filter(pk=claim.handover_id).exists()
    refused.refresh_from_db()
    assert refused.status == OrderStatus.COLLECTION
    assert caplog.records, "the handover and the refused request are logged"
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for value in [*DEBTOR.values(), *ADDRESS.values(), "R-VERTRAULICH-2"]:
        assert value not in logged
