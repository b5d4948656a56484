"""The reminders in the admin: the send action, the order page, the ledger, who may."""

import datetime
import functools
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inkasso import display, sending
from inkasso.models import DunningStop, Letter
from tests.factories import DueOrderFactory
from tests.users import UserFactory

CHANGELIST = reverse("admin:shop_order_changelist")
SENDER_PERMISSIONS = ["shop.view_order", "shop.change_order", "inkasso.send_reminders"]


def overdue_order(**fields):
    fields.setdefault("due_date", timezone.localdate() - datetime.timedelta(days=10))
    return DueOrderFactory(letter=None, status="shipped", **fields)


@pytest.fixture
def sender_client(client, db):
    client.force_login(UserFactory(username="sender", permissions=SENDER_PERMISSIONS))
    return client


def action(client, orders, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": "send_reminders",
            "_selected_action": [order.pk for order in orders],
            **extra,
        },
    )


def confirm(client, orders, channel):
    """Confirm the letters the preview showed for ``channel``."""
    return action(
        client, orders, confirm="yes", channel=channel, previewed_channel=channel
    )


@pytest.mark.django_db
def test_the_confirmation_page_says_which_letter_each_order_gets_and_why_not(
    sender_client,
):
    due = overdue_order()
    no_email = overdue_order(customer__email="")

    response = action(sender_client, [due, no_email])

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 order gets a letter now." in page
    assert "Payment reminder" in page
    assert "There is no e-mail address to send the letter to." in page
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_the_confirmation_page_says_why_each_picked_order_gets_no_letter_today(
    sender_client,
):
    stopped = overdue_order()
    DunningStop.objects.create(order=stopped, reason=DunningStop.Reason.DISPUTED)
    not_yet_due = overdue_order(due_date=timezone.localdate())

    response = action(sender_client, [stopped, not_yet_due])

    page = response.content.decode()
    assert "None of the selected orders gets a letter now." in page
    refused = page[page.index('id="refused"') :]
    assert stopped.number in refused and not_yet_due.number in refused
    for item in response.context["preview"].waiting:
        assert item.reasons and all(reason in refused for reason in item.reasons)


@pytest.mark.django_db
def test_the_confirmation_page_counts_every_letter_and_shows_money_as_the_admin_does(
    sender_client, monkeypatch
):
    # The page listed the first 200 letters and said "200 orders get a letter"
    # for more; amounts read "12.50 EUR" beside the admin's "€12.50".
    monkeypatch.setattr(
        sending, "SendResult", functools.partial(sending.SendResult, keep=1)
    )
    due = [overdue_order() for _ in range(3)]
    no_email = [overdue_order(customer__email="") for _ in range(2)]

    response = action(sender_client, [*due, *no_email])

    page = response.content.decode()
    assert "3 orders get a letter now." in page
    assert "… and 2 more." in page  # letters
    assert "… and 1 more." in page  # orders without a letter
    [shown] = response.context["preview"].due
    assert display.money(shown.amount) in page
    assert " EUR" not in page


@pytest.mark.django_db
def test_the_action_says_what_is_missing_before_it_asks_to_confirm(
    sender_client, settings
):
    # The preview showed letters that "Yes, send" then refused to send.
    del settings.INKASSO_CREDITOR
    order = overdue_order()

    response = action(sender_client, [order])

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Set INKASSO_CREDITOR to the shop")


@pytest.mark.django_db
def test_confirming_sends_and_records_the_letters(sender_client):
    order = overdue_order()

    response = action(
        sender_client,
        [order],
        confirm="yes",
        channel="email",
        previewed_channel="email",
    )

    assert response.status_code == 302
    letter = Letter.objects.get(order=order)
    assert letter.status == "sent" and letter.sent_by.username == "sender"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_postal_letters_come_back_as_one_pdf(sender_client):
    orders = [overdue_order(), overdue_order()]

    response = action(
        sender_client, orders, confirm="yes", channel="post", previewed_channel="post"
    )

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert Letter.objects.filter(channel="post", status="sent").count() == 2


@pytest.mark.django_db
def test_the_order_page_shows_the_history_with_downloads_and_the_next_step(
    sender_client,
):
    order = overdue_order()
    action(
        sender_client,
        [order],
        confirm="yes",
        channel="email",
        previewed_channel="email",
    )
    letter = Letter.objects.get(order=order)

    page = sender_client.get(
        reverse("admin:shop_order_change", args=[order.pk])
    ).content.decode()

    assert "Reminders and dunning letters" in page
    assert reverse("admin:inkasso_letter_download", args=[letter.pk]) in page
    assert "The payment deadline of the last dunning letter has not passed yet" in page


@pytest.mark.django_db
def test_a_download_is_the_recorded_letter_byte_for_byte(sender_client):
    order = overdue_order()
    action(
        sender_client,
        [order],
        confirm="yes",
        channel="email",
        previewed_channel="email",
    )
    letter = Letter.objects.get(order=order)

    response = sender_client.get(
        reverse("admin:inkasso_letter_download", args=[letter.pk])
    )

    assert response.content == bytes(letter.pdf)


@pytest.mark.django_db
def test_staff_without_the_permission_neither_see_nor_run_the_action(
    client, staff_without_permission
):
    client.force_login(staff_without_permission)
    order = overdue_order()

    changelist = client.get(CHANGELIST).content.decode()
    response = action(
        client, [order], confirm="yes", channel="email", previewed_channel="email"
    )

    assert "send_reminders" not in changelist
    assert response.status_code in (200, 302)
    assert Letter.objects.count() == 0
    letter_list = client.get(reverse("admin:inkasso_letter_changelist"))
    assert letter_list.status_code == 403


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_download_letters(
    client, staff_without_permission, sender_client
):
    order = overdue_order()
    action(
        sender_client,
        [order],
        confirm="yes",
        channel="email",
        previewed_channel="email",
    )
    letter = Letter.objects.get(order=order)
    client.force_login(staff_without_permission)

    response = client.get(reverse("admin:inkasso_letter_download", args=[letter.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_dunning_stop_is_set_and_lifted_in_the_admin(sender_client):
    order = overdue_order()

    sender_client.post(
        reverse("admin:inkasso_dunningstop_add"),
        {"order": order.pk, "reason": "disputed", "note": "Ware beschädigt"},
    )
    again = sender_client.post(
        reverse("admin:inkasso_dunningstop_add"),
        {"order": order.pk, "reason": "other"},
    )

    stop = DunningStop.objects.get()
    assert stop.created_by.username == "sender" and stop.is_active
    assert "already has a dunning stop" in again.content.decode()

    sender_client.post(
        reverse("admin:inkasso_dunningstop_changelist"),
        {"action": "lift_stops", "_selected_action": [stop.pk]},
    )

    stop.refresh_from_db()
    assert not stop.is_active and stop.lifted_by.username == "sender"


@pytest.mark.django_db
def test_the_demo_clerk_may_send_reminders_and_hand_over():
    call_command("seed_demo", "--orders", "0", stderr=io.StringIO())

    clerk = get_user_model().objects.get(username="clerk")
    assert clerk.has_perm("inkasso.send_reminders")
    assert clerk.has_perm("inkasso.hand_over")


@pytest.mark.django_db
def test_another_channel_than_the_previews_shows_its_letters_before_any_is_sent(
    sender_client,
):
    order = overdue_order()

    response = action(
        sender_client, [order], confirm="yes", channel="post", previewed_channel="email"
    )

    assert response.status_code == 200
    assert not Letter.objects.exists()
    assert 'name="previewed_channel" value="post"' in response.text
