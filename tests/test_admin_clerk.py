"""What a clerk sees and records in the admin, before and after the handover."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inkasso import display, services
from inkasso.models import Claim, DirectPayment, Handover
from tests.factories import DueOrderFactory, OrderFactory, days_ago
from tests.users import UserFactory

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:shop_order_changelist")


def hand_over(*orders, user=None) -> Handover:
    result = services.hand_over(
        order_ids=[order.pk for order in orders], source="admin", user=user
    )
    return result.handover


def claim_form(claim, **changes) -> dict:
    """Return the POST data of the claim's change form, as the browser sends it."""
    return {
        "file_number": claim.file_number,
        "direct_payments-TOTAL_FORMS": "0",
        "direct_payments-INITIAL_FORMS": "0",
        "direct_payments-MIN_NUM_FORMS": "0",
        "direct_payments-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_the_order_list_shows_ready_blocked_and_why_and_with_mediafinanz(
    clerk_client,
):
    ready = DueOrderFactory()
    blocked = DueOrderFactory(billing_city="")
    handed_over = DueOrderFactory()
    claim = hand_over(handed_over).claims.get()
    services.record_file_number(claim=claim, file_number="12345678901", user=None)
    OrderFactory()

    page = clerk_client.get(ORDERS).content.decode()

    assert page.count('class="inkasso-state inkasso-ready"') == 1
    assert page.count('class="inkasso-state inkasso-blocked"') == 1
    assert "<li>The city is missing.</li>" in page
    assert "file number 12345678901" in page
    assert reverse("admin:inkasso_claim_change", args=[claim.pk]) in page
    for order in (ready, blocked, handed_over):
        assert order.number in page


def test_the_order_list_needs_no_query_per_order(clerk_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clerk_client.get(ORDERS).status_code == 200
        return len(captured)

    DueOrderFactory.create_batch(2)
    DueOrderFactory(billing_city="")
    hand_over(DueOrderFactory())
    few = queries()
    DueOrderFactory.create_batch(20)
    DueOrderFactory.create_batch(5, billing_city="")
    hand_over(*DueOrderFactory.create_batch(5))

    assert queries() == few


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("due", {"ready", "blocked"}),
        ("ready", {"ready"}),
        ("blocked", {"blocked"}),
        ("handed_over", {"numbered", "unnumbered"}),
        ("no_file_number", {"unnumbered"}),
    ],
)
def test_the_collection_filter_finds_due_ready_blocked_and_handed_over_orders(
    clerk_client, value, expected
):
    orders = {
        "ready": DueOrderFactory(),
        "blocked": DueOrderFactory(billing_postcode="1234"),
        "numbered": DueOrderFactory(),
        "unnumbered": DueOrderFactory(),
        "not_due": OrderFactory(),
    }
    handover = hand_over(orders["numbered"], orders["unnumbered"])
    services.record_file_number(
        claim=handover.claims.get(order=orders["numbered"]),
        file_number="10000000001",
        user=None,
    )

    response = clerk_client.get(ORDERS, {"collection": value})

    shown = {order.pk for order in response.context["cl"].result_list}
    assert shown == {orders[name].pk for name in expected}


def test_the_handover_overview_counts_open_claims_amounts_and_months(
    clerk_client, clerk
):
    first = hand_over(*DueOrderFactory.create_batch(2), user=clerk)
    second = hand_over(DueOrderFactory(), user=clerk)
    Handover.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=70)
    )
    withdrawn = second.claims.get()
    services.withdraw_claim(claim=withdrawn, user=clerk, reason="Kunde hat bezahlt")
    DueOrderFactory()
    DueOrderFactory(billing_city="")
    claim = first.claims.first()
    services.record_file_number(claim=claim, file_number="12345678901", user=clerk)
    services.record_direct_payment(
        claim=claim, amount=Decimal("20.00"), received_on=days_ago(1), user=clerk
    )

    response = clerk_client.get(reverse("admin:inkasso_handover_changelist"))

    overview = response.context["overview"]
    open_amount = sum(c.amount for c in first.claims.all())
    # The withdrawn claim's order is not due again by itself.
    assert overview["due_count"] == 2
    assert overview["open_count"] == 2
    assert overview["open_amount"] == open_amount
    assert overview["without_file_number"] == 1
    assert overview["unreported_count"] == 1
    assert overview["unreported_amount"] == Decimal("20.00")
    assert [(m["handovers"], m["claims"]) for m in overview["per_month"]] == [
        (1, 1),
        (1, 2),
    ]
    page = response.content.decode()
    assert 'id="inkasso-open-count"' in page
    assert display.money(open_amount) in page


@pytest.mark.parametrize(
    ("file_number", "message"),
    [
        ("1234567890", "exactly 11 digits"),
        ("1234567890a", "exactly 11 digits"),
        ("123456789012", "exactly 11 digits"),
    ],
)
def test_a_file_number_that_is_not_11_digits_is_refused(
    clerk_client, file_number, message
):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    response = clerk_client.post(url, claim_form(claim, file_number=file_number))

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["file_number"])
    claim.refresh_from_db()
    assert claim.file_number == ""
    assert claim.file_number_recorded_at is None


def test_the_file_number_is_recorded_with_who_and_when(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])
    before = timezone.now()

    response = clerk_client.post(url, claim_form(claim, file_number=" 12345678901 "))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.file_number == "12345678901"
    assert claim.file_number_recorded_by == clerk
    assert claim.file_number_recorded_at >= before
    page = clerk_client.get(url).content.decode()
    assert f"by {clerk.username}" in page


def test_a_direct_payment_is_recorded_with_who_and_when(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])
    received_on = days_ago(3)

    response = clerk_client.post(
        url,
        claim_form(
            claim,
            **{
                "direct_payments-TOTAL_FORMS": "1",
                "direct_payments-0-received_on": received_on.isoformat(),
                "direct_payments-0-amount": "25.50",
            },
        ),
    )

    assert response.status_code == 302
    payment = DirectPayment.objects.get()
    assert payment.claim == claim
    assert payment.amount == Decimal("25.50")
    assert payment.received_on == received_on
    assert payment.recorded_by == clerk
    assert payment.recorded_at is not None
    assert payment.reported_at is None


@pytest.mark.parametrize(
    ("amount", "received_on", "message"),
    [
        ("0", days_ago(1), "must be above zero"),
        ("10.00", days_ago(-1), "cannot be in the future"),
    ],
)
def test_a_direct_payment_of_nothing_or_from_the_future_is_refused(
    clerk_client, amount, received_on, message
):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    response = clerk_client.post(
        url,
        claim_form(
            claim,
            **{
                "direct_payments-TOTAL_FORMS": "1",
                "direct_payments-0-received_on": received_on.isoformat(),
                "direct_payments-0-amount": amount,
            },
        ),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DirectPayment.objects.exists()


def test_direct_payments_are_listed_for_reporting_and_marked_as_reported(
    clerk_client, clerk
):
    claims = list(hand_over(*DueOrderFactory.create_batch(2)).claims.all())
    services.record_file_number(claim=claims[0], file_number="12345678901", user=clerk)
    reported, pending = (
        services.record_direct_payment(
            claim=claim, amount=Decimal("5.00"), received_on=days_ago(2), user=clerk
        )
        for claim in claims
    )
    colleague = UserFactory(username="colleague")
    services.mark_direct_payments_reported(payments=[reported], user=colleague)
    reported.refresh_from_db()
    first_report = reported.reported_at
    url = reverse("admin:inkasso_directpayment_changelist")

    listed = clerk_client.get(url, {"reported": "no"})

    assert [p.pk for p in listed.context["cl"].result_list] == [pending.pk]
    assert "12345678901" in clerk_client.get(url).content.decode()

    response = clerk_client.post(
        url,
        {
            "action": "mark_reported",
            ACTION_CHECKBOX_NAME: [reported.pk, pending.pk],
            "index": 0,
        },
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    reported.refresh_from_db()
    assert pending.reported_at is not None
    assert pending.reported_by == clerk
    assert (reported.reported_at, reported.reported_by) == (first_report, colleague)


def test_a_withdrawal_is_recorded_with_who_when_and_why(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_withdraw", args=[claim.pk])

    response = clerk_client.post(url, {"reason": "Schuldner hat direkt bezahlt"})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN
    assert claim.withdrawn_by == clerk
    assert claim.withdrawn_at is not None
    assert claim.withdrawal_reason == "Schuldner hat direkt bezahlt"


def test_a_refused_order_is_named_with_a_link_to_fix_it(clerk_client):
    order = DueOrderFactory(billing_street="")
    url = reverse("admin:shop_order_inkasso", args=[order.pk])

    response = clerk_client.post(url, {"encoding": "cp1252"}, follow=True)

    page = response.content.decode()
    assert (
        f"Order {order.number} was not handed over: "
        "The street and house number is missing." in page
    )
    assert reverse("admin:shop_order_change", args=[order.pk]) in page
    assert not Handover.objects.exists()


def test_staff_without_the_permission_see_no_link_to_the_claim(
    client, staff_without_permission
):
    claim = hand_over(DueOrderFactory()).claims.get()
    client.force_login(staff_without_permission)

    page = client.get(ORDERS).content.decode()

    assert "With mediafinanz" in page
    assert reverse("admin:inkasso_claim_change", args=[claim.pk]) not in page


def test_the_start_page_tells_a_clerk_what_is_due(
    clerk_client, client, staff_without_permission
):
    DueOrderFactory.create_batch(2)
    DueOrderFactory(billing_city="")
    OrderFactory()

    page = clerk_client.get(reverse("admin:index")).content.decode()

    assert "3 orders are due for handover." in page
    assert f"{ORDERS}?collection=ready" in page
    client.force_login(staff_without_permission)
    assert (
        'id="inkasso-index"' not in client.get(reverse("admin:index")).content.decode()
    )


def test_many_refused_orders_are_named_up_to_20_and_counted_after_that(clerk_client):
    orders = [DueOrderFactory(), *DueOrderFactory.create_batch(25, billing_city="")]
    confirmation = clerk_client.post(
        ORDERS,
        {
            "action": "hand_over_to_mediafinanz",
            ACTION_CHECKBOX_NAME: [order.pk for order in orders],
            "index": 0,
        },
    )

    response = clerk_client.post(
        confirmation.context["confirm_url"],
        {
            "selection": confirmation.context["selection"],
            "confirm": "yes",
            "encoding": "cp1252",
        },
        follow=True,
    )

    texts = [str(message) for message in response.context["messages"]]
    assert sum("was not handed over: The city is missing." in t for t in texts) == 20
    assert "5 more orders were not handed over." in texts
    assert "1 claim was handed over to mediafinanz." in " ".join(texts)
