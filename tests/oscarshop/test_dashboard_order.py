"""The Inkasso panel on the dashboard's order page, and sending reminders there."""

import functools

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inkasso import sending, services
from inkasso.dunning_models import Letter
from inkasso.models import Claim, Handover

from .conftest import HANDOVER_PERMISSIONS
from .factories import create_order

pytestmark = pytest.mark.django_db

REMINDER_PERMISSIONS = [*HANDOVER_PERMISSIONS, "inkasso.send_reminders"]


@pytest.fixture
def dunning_client(client):
    from tests.users import UserFactory

    client.force_login(
        UserFactory(username="mahnwesen", permissions=REMINDER_PERMISSIONS)
    )
    return client


def order_page(client, order, **headers) -> str:
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_order_page_says_a_ready_order_can_be_handed_over(clerk_client):
    order = create_order()

    page = order_page(clerk_client, order)

    assert 'id="inkasso-panel"' in page
    assert "Ready for handover" in page
    assert "€119.00" in page
    assert reverse("inkasso_oscar:order-hand-over", args=[order.number]) in page


def test_the_order_page_says_what_blocks_an_order_and_what_to_do(clerk_client):
    order = create_order(mahnung=None)

    page = order_page(clerk_client, order)

    assert "Cannot be handed over yet" in page
    assert "No dunning letter (Mahnung) has been recorded." in page
    assert 'id="inkasso-hand-over"' not in page


def test_one_order_is_handed_over_from_its_page_after_the_confirmation(
    clerk_client, clerk
):
    order = create_order(status="Being processed")
    url = reverse("inkasso_oscar:order-hand-over", args=[order.number])

    confirmation = clerk_client.get(url).content.decode()
    assert f"Order {order.number} of Erika Müller: €119.00" in confirmation
    assert "sets the order's status to “Inkasso”" in confirmation
    assert not Handover.objects.exists()

    response = clerk_client.post(url, {"encoding": "cp1252", "confirm": "yes"})

    handover = Handover.objects.get()
    assert response["Location"] == reverse("inkasso_oscar:handover", args=[handover.pk])
    assert (handover.source, handover.created_by) == ("order_page", clerk)
    order.refresh_from_db()
    assert order.status == "Inkasso"
    page = order_page(clerk_client, order)
    assert "With mediafinanz since" in page
    assert "no file number yet" in page
    assert reverse("inkasso_oscar:handover-file", args=[handover.pk]) in page


def test_a_blocked_order_is_not_handed_over_from_its_page(clerk_client):
    order = create_order(mahnung=None)
    url = reverse("inkasso_oscar:order-hand-over", args=[order.number])

    response = clerk_client.post(url, {"encoding": "cp1252", "confirm": "yes"})

    assert response.status_code == 302
    assert not Handover.objects.exists()


def test_the_order_page_says_when_and_why_a_claim_was_withdrawn(clerk_client, clerk):
    order = create_order()
    result = services.hand_over(order_ids=[order.pk], source="admin", user=clerk)
    services.withdraw_claim(
        claim=result.handover.claims.get(), user=clerk, reason="Kunde hat bezahlt"
    )

    page = order_page(clerk_client, order)

    assert "Withdrawn from mediafinanz on" in page
    assert "Reason: Kunde hat bezahlt" in page
    assert Claim.objects.get().state == Claim.State.WITHDRAWN


def test_the_order_page_lists_the_letters_with_their_pdf(dunning_client):
    order = create_order(mahnung=None, status="Being processed")
    today = timezone.localdate()
    sending.send_letters([order.pk], today=today, channel="post")
    letter = Letter.objects.get()

    page = order_page(dunning_client, order)

    assert "Reminders and dunning letters" in page
    assert letter.level_name in page
    download = dunning_client.get(
        reverse("inkasso_oscar:letter-file", args=[letter.pk])
    )
    assert download.content == bytes(letter.pdf)


def test_the_reminders_page_lists_the_letters_due_and_sends_them(dunning_client):
    due = create_order(mahnung=None, status="Being processed")
    no_email = create_order(mahnung=None, status="Being processed", guest_email="")
    url = reverse("inkasso_oscar:reminders")

    page = dunning_client.get(url).content.decode()
    assert "1 order gets a letter now." in page
    assert due.number in page and no_email.number in page
    assert not Letter.objects.exists()

    assert 'name="previewed_channel" value="email"' in page
    response = dunning_client.post(
        url, {"channel": "email", "previewed_channel": "email", "confirm": "yes"}
    )

    assert response.status_code == 302
    assert list(Letter.objects.values_list("order_id", flat=True)) == [due.pk]
    assert len(mail.outbox) == 1


def test_the_reminders_page_says_how_many_more_it_does_not_list(
    dunning_client, monkeypatch
):
    # The page lists the first letters and refusals (1,000 each); it said
    # nothing of the others.
    monkeypatch.setattr(
        sending, "SendResult", functools.partial(sending.SendResult, keep=1)
    )
    for _ in range(3):
        create_order(mahnung=None, status="Being processed")
    for _ in range(2):
        create_order(mahnung=None, status="Being processed", guest_email="")

    page = dunning_client.get(reverse("inkasso_oscar:reminders")).content.decode()

    assert "3 orders get a letter now." in page
    assert "… and 2 more." in page  # letters
    assert "… and 1 more." in page  # orders without a letter


def test_another_channel_than_the_previews_shows_its_letters_before_any_is_sent(
    dunning_client,
):
    due = create_order(mahnung=None, status="Being processed")
    no_email = create_order(mahnung=None, status="Being processed", guest_email="")
    url = reverse("inkasso_oscar:reminders")

    response = dunning_client.post(
        url, {"channel": "post", "previewed_channel": "email", "confirm": "yes"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert not Letter.objects.exists()
    assert "2 orders get a letter now." in page
    assert due.number in page and no_email.number in page
    assert 'name="previewed_channel" value="post"' in page


def test_clerks_without_the_reminders_permission_neither_see_nor_open_the_page(
    clerk_client,
):
    index = clerk_client.get(reverse("dashboard:index")).content.decode()

    assert reverse("inkasso_oscar:reminders") not in index
    assert clerk_client.get(reverse("inkasso_oscar:reminders")).status_code == 403
    assert clerk_client.post(reverse("inkasso_oscar:reminders")).status_code == 403


def test_staff_without_the_permissions_see_no_panel(client):
    from tests.users import UserFactory

    client.force_login(
        UserFactory(username="lager", permissions=HANDOVER_PERMISSIONS[:2])
    )
    order = create_order()

    assert 'id="inkasso-panel"' not in order_page(client, order)
    url = reverse("inkasso_oscar:order-hand-over", args=[order.number])
    assert client.post(url).status_code == 403


def test_the_reminders_page_says_what_is_missing_before_letters_can_go_out(
    dunning_client, settings
):
    del settings.INKASSO_CREDITOR
    create_order(mahnung=None, status="Being processed")

    page = dunning_client.get(reverse("inkasso_oscar:reminders")).content.decode()

    assert "Set INKASSO_CREDITOR to the shop" in page
    assert 'name="confirm"' not in page
