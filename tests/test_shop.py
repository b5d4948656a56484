"""The demo shop: money, overdue logic, demo data and the order admin."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inkasso.dunning_models import NO_COPY
from inkasso.models import Letter
from shop.demo import BROKEN, STAGES, create_demo_data
from shop.models import Order, OrderLine, OrderStatus, Payment
from shop.selectors import days_overdue, orders_with_balance, overdue_q
from tests.factories import (
    DunningLetterFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def annotated(order):
    return orders_with_balance().get(pk=order.pk)


def test_open_amount_is_total_minus_payments_with_partial_payments_and_refunds():
    order = OrderFactory()
    OrderLineFactory(order=order, quantity=3, unit_price=Decimal("19.99"))
    OrderLineFactory(order=order, quantity=1, unit_price=Decimal("0.03"))
    PaymentFactory(order=order, amount=Decimal("10.00"))
    PaymentFactory(order=order, amount=Decimal("20.01"))
    PaymentFactory(order=order, amount=Decimal("-5.00"))
    order = annotated(order)
    assert order.total == Decimal("60.00")
    assert order.paid == Decimal("25.01")
    assert order.open_amount == Decimal("34.99")
    assert isinstance(order.open_amount, Decimal)


def test_an_order_without_lines_or_payments_is_zero_not_null():
    order = annotated(OrderFactory())
    assert (order.total, order.paid, order.open_amount) == (0, 0, 0)


def test_last_dunning_letter_is_the_latest_sent():
    order = OrderFactory()
    DunningLetterFactory(order=order, level=0, sent_on=datetime.date(2026, 10, 1))
    DunningLetterFactory(order=order, level=2, sent_on=datetime.date(2026, 11, 1))
    DunningLetterFactory(order=order, level=1, sent_on=datetime.date(2026, 10, 15))
    order = annotated(order)
    assert order.last_dunning_level == 2
    assert order.last_dunning_sent_on == datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("due", "status", "paid", "expected"),
    [
        (datetime.date(2026, 11, 27), OrderStatus.SHIPPED, "0", 1),
        (datetime.date(2026, 11, 28), OrderStatus.SHIPPED, "0", None),
        (datetime.date(2026, 10, 29), OrderStatus.COLLECTION, "50", 30),
        (datetime.date(2026, 10, 29), OrderStatus.SHIPPED, "100", None),
        (datetime.date(2026, 10, 29), OrderStatus.CANCELLED, "0", None),
        (None, OrderStatus.OPEN, "0", None),
    ],
)
def test_overdue_depends_on_today_due_date_status_and_open_amount(
    due, status, paid, expected
):
    order = OrderFactory(due_date=due, status=status)
    OrderLineFactory(order=order, quantity=1, unit_price=Decimal("100.00"))
    if paid != "0":
        PaymentFactory(order=order, amount=Decimal(paid))
    assert days_overdue(annotated(order), today=TODAY) == expected
    is_overdue = (
        orders_with_balance().filter(overdue_q(today=TODAY), pk=order.pk).exists()
    )
    assert is_overdue == (expected is not None)


def test_seed_demo_creates_every_stage_deterministically():
    def snapshot():
        return [
            list(
                Order.objects.order_by("number").values_list(
                    "number",
                    "status",
                    "payment_method",
                    "currency",
                    "billing_last_name",
                    "billing_street",
                    "billing_country",
                    "due_date",
                    "invoice_number",
                )
            ),
            list(
                OrderLine.objects.order_by("order__number", "id").values_list(
                    "order__number", "product_name", "quantity", "unit_price"
                )
            ),
            list(
                Payment.objects.order_by("order__number", "id").values_list(
                    "order__number", "amount"
                )
            ),
            list(
                Letter.objects.order_by("order__number", "level").values_list(
                    "order__number", "level", "sent_on", "deadline", "amount"
                )
            ),
        ]

    out = StringIO()
    call_command(
        "seed_demo",
        "--orders",
        "400",
        "--seed",
        "3",
        "--today",
        "2026-11-28",
        stdout=out,
        stderr=StringIO(),
    )
    first = snapshot()
    assert Order.objects.count() == 400
    assert "Login: clerk / clerk" in out.getvalue()
    Letter.objects.all().delete()
    Order.objects.all().delete()
    call_command(
        "seed_demo",
        "--orders",
        "400",
        "--seed",
        "3",
        "--today",
        "2026-11-28",
        "--no-users",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    # Order numbers continue after the deleted ones, so compare without them.
    second = snapshot()
    assert [row[1:] for row in first[0]] == [row[1:] for row in second[0]]
    assert [row[1:] for row in first[1]] == [row[1:] for row in second[1]]
    assert [row[1:] for row in first[2]] == [row[1:] for row in second[2]]
    assert [row[1:] for row in first[3]] == [row[1:] for row in second[3]]

    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses == set(OrderStatus.values) - {OrderStatus.OPEN}
    assert Order.objects.filter(currency="CHF").exists()
    assert Order.objects.filter(billing_street="").exists()
    assert Order.objects.filter(billing_country="PL").exists()
    assert Order.objects.filter(billing_country__in=["AT", "CH"]).exists()
    assert Order.objects.exclude(billing_company="").exists()
    # The letters are django-inkasso's, with their PDFs, as if sent then.
    levels = set(Letter.objects.values_list("level", flat=True))
    assert levels == {0, 1, 2, 3}
    assert not Letter.objects.exclude(status="sent").exists()
    assert all(
        bytes(pdf).startswith(b"%PDF-")
        for pdf in Letter.objects.values_list("pdf", flat=True)
    )
    assert len(STAGES) + len(BROKEN) == 13


def test_seed_demo_with_a_stage_puts_every_order_there():
    create_demo_data(orders=300, seed=1, today=TODAY, stage="collection")
    assert set(Order.objects.values_list("status", flat=True)) == {
        OrderStatus.COLLECTION
    }


def test_seed_demo_without_letter_copies_records_the_same_letters_unrendered():
    """The benchmark's seed: the same letters, days and deadlines, without PDFs."""

    def letters():
        return list(
            Letter.objects.order_by("order_id", "level").values_list(
                "order_id", "level", "is_mahnung", "sent_on", "deadline", "amount"
            )
        )

    create_demo_data(orders=20, seed=3, today=TODAY, stage="collection")
    rendered = letters()
    assert not Letter.objects.filter(sha256=NO_COPY).exists()
    Letter.objects.all().delete()
    Order.objects.all().delete()

    create_demo_data(
        orders=20, seed=3, today=TODAY, stage="collection", letter_copies=False
    )
    unrendered = letters()
    ids = {order_id for order_id, *_ in unrendered}
    first = min(ids) - min(order_id for order_id, *_ in rendered)
    assert [(o - first, *rest) for o, *rest in unrendered] == rendered
    assert set(Letter.objects.values_list("sha256", "text")) == {(NO_COPY, "")}


@pytest.mark.parametrize("count", [20, 120])
def test_order_changelist_needs_no_query_per_row(
    admin_client, django_assert_max_num_queries, count
):
    create_demo_data(orders=count, seed=2, today=TODAY)
    # 14, and the dunning ledger: its stops, and its letters for orders
    # without a Mahnung of the shop's own.
    with django_assert_max_num_queries(16):
        response = admin_client.get(reverse("admin:shop_order_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize(
    "query",
    [
        "overdue=yes",
        "dunning=3",
        "dunning=none",
        "collection=due",
        "collection=handed_over",
        "q=Müller",
    ],
)
def test_order_changelist_filters_render(admin_client, query):
    create_demo_data(orders=60, seed=2, today=TODAY)
    response = admin_client.get(reverse("admin:shop_order_changelist") + "?" + query)
    assert response.status_code == 200


def test_order_change_form_renders_with_a_bounded_number_of_queries(admin_client):
    """More lines and letters cost no more queries: no query per line or letter.

    The page runs the handover checks and the dunning schedule once each, so its
    count is a constant (about two dozen); what must not happen is growth.
    """

    def queries_for(lines: int, letters: int) -> int:
        order = OrderFactory()
        OrderLineFactory.create_batch(lines, order=order)
        for level in range(letters):
            DunningLetterFactory(order=order, level=level)
        url = reverse("admin:shop_order_change", args=[order.pk])
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(context)

    queries_for(lines=1, letters=1)  # warms Django's content-type cache
    small = queries_for(lines=1, letters=1)
    assert queries_for(lines=8, letters=3) == small
    assert small <= 30


def test_status_action_puts_orders_into_debt_collection(admin_client):
    orders = OrderFactory.create_batch(3)
    untouched = OrderFactory()
    response = admin_client.post(
        reverse("admin:shop_order_changelist"),
        {
            "action": "mark_for_collection",
            "_selected_action": [o.pk for o in orders],
            "index": 0,
        },
        follow=True,
    )
    assert "3 orders were put into debt collection." in [
        str(m) for m in response.context["messages"]
    ]
    assert Order.objects.filter(status=OrderStatus.COLLECTION).count() == 3
    untouched.refresh_from_db()
    assert untouched.status == OrderStatus.SHIPPED


def test_seed_demo_if_empty_adds_nothing_to_a_shop_with_orders():
    call_command(
        "seed_demo", "--orders", "30", "--if-empty", "--no-users", stderr=StringIO()
    )
    assert Order.objects.count() == 30
    err = StringIO()
    call_command(
        "seed_demo", "--orders", "30", "--if-empty", stderr=err, stdout=StringIO()
    )
    assert Order.objects.count() == 30
    assert "none were added" in err.getvalue()
