"""The handover in an Oscar shop: command, Django admin, statuses through Oscar."""

import hashlib

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.management import ManagementUtility
from django.urls import reverse
from django.utils import timezone

from inkasso.models import Claim, Handover
from inkasso.selectors import changed_claims, due_order_ids, handover_file
from inkasso.services import hand_over, withdraw_claim
from tests.contract import HEADERS

from .factories import create_order

CHANGELIST = "admin:order_order_changelist"
ACTION = "hand_over_to_mediafinanz"
Order = apps.get_model("order", "Order")


def rows_of(data: bytes) -> list[list[str]]:
    lines = data.decode("cp1252").split("\r\n")
    assert lines[-1] == ""
    return [line.split(";") for line in lines[:-1]]


def run_command(*args: str) -> int:
    """Run ``manage.py inkasso_export`` as a shell would; return its exit status."""
    try:
        ManagementUtility(["manage.py", "inkasso_export", *args]).execute()
    except SystemExit as exit:
        return exit.code
    return 0


def statuses(order) -> list[tuple[str, str]]:
    return list(
        order.status_changes.order_by("pk").values_list("old_status", "new_status")
    )


@pytest.mark.django_db(transaction=True)
def test_the_command_hands_over_the_due_orders_and_lists_the_refused(tmp_path, capsys):
    due = [create_order(), create_order()]
    refused = create_order(mahnung=None)
    create_order(status="Being processed")  # not due
    output = tmp_path / "handover.csv"

    status = run_command("-o", str(output))

    handover = Handover.objects.get()
    err = capsys.readouterr().err
    assert status == 1
    assert (
        f"Refused order {refused.number}: "
        "No dunning letter (Mahnung) has been recorded." in err
    )
    assert sorted(handover.claims.values_list("order_id", flat=True)) == sorted(
        o.pk for o in due
    )
    rows = rows_of(output.read_bytes())
    assert rows[0] == list(HEADERS)
    assert sorted(row[12] for row in rows[1:]) == sorted(o.number for o in due)
    assert due_order_ids(today=timezone.localdate()) == [refused.pk]


@pytest.mark.django_db
def test_the_admin_action_goes_through_the_pipeline_and_refuses_what_it_forbids(
    clerk_client,
):
    good = create_order(status="Being processed")
    forbidden = create_order(status="Pending")
    url = reverse(CHANGELIST)

    confirmation = clerk_client.post(
        url, {"action": ACTION, "_selected_action": [good.pk, forbidden.pk]}
    )

    assert confirmation.status_code == 200
    assert confirmation.context["accepted_count"] == 1
    [refused] = confirmation.context["refused"]
    assert refused.order_id == forbidden.pk
    assert "does not allow the status “Inkasso” after “Pending”" in (
        confirmation.content.decode()
    )

    response = clerk_client.post(
        confirmation.context["confirm_url"],
        {
            "selection": confirmation.context["selection"],
            "confirm": "yes",
            "encoding": "cp1252",
        },
    )

    handover = Handover.objects.get()
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages[-1].startswith("1 claim was handed over to mediafinanz.")
    good.refresh_from_db()
    forbidden.refresh_from_db()
    assert (good.status, forbidden.status) == ("Inkasso", "Pending")
    # Through Order.set_status(): Oscar's status history has the change.
    assert statuses(good) == [("Being processed", "Inkasso")]
    assert statuses(forbidden) == []
    data = b"".join(handover_file(handover))
    assert hashlib.sha256(data).hexdigest() == handover.sha256
    header, row = rows_of(data)
    assert row[12:14] == [good.number, "119,00"]


@pytest.mark.django_db
def test_the_order_list_says_which_due_orders_are_ready_or_blocked(clerk_client):
    create_order()
    create_order(mahnung=None)

    page = clerk_client.get(reverse(CHANGELIST)).content.decode()

    assert 'class="inkasso-state inkasso-ready">Ready for handover' in page
    assert "No dunning letter (Mahnung) has been recorded." in page
    assert "?collection=ready" in page  # the filter


@pytest.mark.django_db
def test_the_handover_sends_oscars_status_signal(clerk):
    from oscar.apps.order.signals import order_status_changed

    order = create_order(status="Being processed")
    seen = []

    def receiver(sender, order, old_status, new_status, **kwargs):
        seen.append((order.number, old_status, new_status))

    order_status_changed.connect(receiver)
    try:
        hand_over(order_ids=[order.pk], source=Handover.Source.ADMIN, user=clerk)
    finally:
        order_status_changed.disconnect(receiver)

    assert seen == [(order.number, "Being processed", "Inkasso")]


@pytest.mark.django_db
def test_a_withdrawn_claim_returns_the_order_through_the_pipeline(clerk):
    order = create_order()
    hand_over(order_ids=[order.pk], source=Handover.Source.ADMIN, user=clerk)
    claim = Claim.objects.get()

    withdraw_claim(claim=claim, user=clerk, reason="Paid by the customer's bank.")

    order.refresh_from_db()
    assert order.status == "Being processed"
    assert statuses(order)[-1] == ("Inkasso", "Being processed")
    # Not due again by itself, not even when the shop sets "Inkasso" again.
    order.set_status("Inkasso")
    assert due_order_ids(today=timezone.localdate()) == []


@pytest.mark.django_db
def test_completing_or_cancelling_an_order_with_an_open_claim_flags_the_claim(clerk):
    completed, cancelled, untouched = (create_order() for _ in range(3))
    hand_over(
        order_ids=[completed.pk, cancelled.pk, untouched.pk],
        source=Handover.Source.ADMIN,
        user=clerk,
    )

    completed.set_status("Complete")
    cancelled.set_status("Cancelled")

    flagged = set(changed_claims().values_list("order_id", flat=True))
    assert flagged == {completed.pk, cancelled.pk}


@pytest.mark.django_db
def test_a_status_changed_back_after_completion_stays_flagged(clerk, settings):
    order = create_order()
    hand_over(order_ids=[order.pk], source=Handover.Source.ADMIN, user=clerk)
    Order.pipeline["Complete"] = ("Inkasso",)
    try:
        order.set_status("Complete")
        order.set_status("Inkasso")
    finally:
        Order.pipeline["Complete"] = ()

    assert list(changed_claims().values_list("order_id", flat=True)) == [order.pk]
