"""The number of SQL queries does not grow with the number of orders.

Each test does the same thing for 10 and for 1,000 orders and compares the
queries. Two things may legitimately add queries:

- chunks: orders are read, checked and written ``INKASSO_CHUNK_SIZE`` (2,000)
  at a time, a fixed handful of queries per chunk. The claims of a chunk go in
  with Django's ``bulk_create``, which SQLite's limit of 999 parameters per
  statement splits into batches; the handover tests therefore use chunks of
  50, one INSERT each, and count the queries per chunk;
- file parts: the file is stored in parts of 1 MiB, one INSERT per part;
  1,000 claims are about 200 kB.
"""

import hashlib
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inkasso import file_parts, selectors, services
from inkasso.models import Claim
from shop.demo import create_demo_data
from shop.models import Order
from tests.contract import HEADERS
from tests.factories import DueOrderFactory
from tests.users import UserFactory

pytestmark = pytest.mark.django_db

SIZES = [10, 1000]
CHUNK = 50


def _due_orders(count):
    """Add ``count`` orders due for handover and return their pks."""
    last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    create_demo_data(
        orders=count, seed=11, today=timezone.localdate(), stage="collection"
    )
    return list(
        Order.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
    )


def _queries(action):
    with CaptureQueriesContext(connection) as context:
        action()
    return [query["sql"] for query in context.captured_queries]


def _kinds(queries):
    """Name each query by its verb and table, so a failure says what grew."""
    kinds = []
    for sql in queries:
        words = sql.replace('"', "").split()
        if words[1] == "times:":  # executemany: "N times: INSERT ..."
            words = words[2:]
        table = next(
            (
                w.split(".")[0]
                for w in words
                if w.startswith(("shop_", "inkasso_", "auth_", "django_"))
            ),
            "",
        )
        kinds.append(f"{words[0]} {table}".strip())
    return kinds


def _per_size(action):
    """Return the query kinds of ``action`` for 10 and then 1,000 new orders."""
    kinds = {}
    for size in SIZES:
        order_ids = _due_orders(size)
        kinds[size] = _kinds(_queries(lambda order_ids=order_ids: action(order_ids)))
    return kinds


@override_settings(INKASSO_CHUNK_SIZE=CHUNK)
def test_a_handover_adds_a_fixed_number_of_queries_per_chunk_only():
    results = {}

    def hand_over(order_ids):
        results[len(order_ids)] = services.hand_over(
            order_ids=order_ids, source="command"
        )

    kinds = _per_size(hand_over)

    assert [results[size].count for size in SIZES] == SIZES
    extra = Counter(kinds[1000])
    extra.subtract(kinds[10])
    more_chunks = 1000 // CHUNK - 1
    # Each more chunk, the same few queries: (lock the orders on PostgreSQL,)
    # read the orders, their lines, their last Mahnungen in the dunning
    # ledger (the demo shop keeps no letters), the claims they and their
    # invoice numbers have, their dunning stops; insert the claims; mark the
    # orders.
    assert all(count % more_chunks == 0 for count in extra.values()), extra
    per_chunk = {kind: count // more_chunks for kind, count in extra.items() if count}
    assert per_chunk["INSERT inkasso_claim"] == 1
    assert sum(per_chunk.values()) <= 10, per_chunk
    assert len(kinds[10]) <= 16, kinds[10]


def test_checking_orders_needs_as_many_queries_for_1000_orders_as_for_10():
    today = timezone.localdate()

    def check(order_ids):
        claims = [
            claim
            for chunk in selectors.checked_claims(order_ids=order_ids, today=today)
            for claim in chunk
        ]
        assert len(claims) == len(order_ids)

    kinds = _per_size(check)

    assert kinds[10] == kinds[1000]
    # The orders, their lines, and the ledger: the last Mahnungen of the
    # dunning ledger (the demo shop keeps no letters of its own), open and
    # withdrawn claims of the orders, open claims of their invoice numbers,
    # dunning stops.
    assert len(kinds[1000]) == 7, kinds[1000]


def test_the_confirmation_page_needs_as_many_queries_for_1000_orders_as_for_10(
    client,
):
    clerk = UserFactory(
        username="clerk",
        permissions=["shop.view_order", "shop.change_order", "inkasso.hand_over"],
    )
    client.force_login(clerk)

    def confirmation_page(order_ids):
        # More than 1,000 form fields are refused (DATA_UPLOAD_MAX_NUMBER_FIELDS),
        # so a clerk hands over many orders with "select all" on the changelist.
        response = client.post(
            reverse("admin:shop_order_changelist"),
            {
                "action": "hand_over_to_mediafinanz",
                "_selected_action": order_ids[:1],
                "select_across": "1",
            },
        )
        assert response.status_code == 200
        assert response.context["accepted_count"] == Order.objects.count()

    kinds = _per_size(confirmation_page)

    assert kinds[10] == kinds[1000]


def test_the_order_changelist_needs_as_many_queries_for_1000_orders_as_for_10(
    client,
):
    client.force_login(
        UserFactory(
            username="clerk",
            permissions=["shop.view_order", "shop.change_order", "inkasso.hand_over"],
        )
    )

    def changelist(order_ids):
        response = client.get(reverse("admin:shop_order_changelist"))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == min(
            Order.objects.count(), 100
        )

    def some_handed_over(size):
        # Some orders handed over, so every kind of row is on the page.
        order_ids = _due_orders(size)
        services.hand_over(order_ids=order_ids[::3], source="command")
        return order_ids

    kinds = {}
    for size in SIZES:
        order_ids = some_handed_over(size)
        kinds[size] = _kinds(
            _queries(lambda order_ids=order_ids: changelist(order_ids))
        )

    assert kinds[10] == kinds[1000]


@override_settings(INKASSO_CHUNK_SIZE=50)
def test_the_file_download_streams_the_parts_one_by_one(client, monkeypatch):
    # Small parts and chunks, so that 1,000 claims make many parts.
    monkeypatch.setattr(file_parts, "PART_SIZE", 16 * 1024)
    client.force_login(UserFactory(username="clerk", permissions=["inkasso.hand_over"]))
    handover = services.hand_over(
        order_ids=_due_orders(1000), source="command"
    ).handover
    parts = handover.file_parts.count()
    assert parts > 5

    with CaptureQueriesContext(connection) as context:
        response = client.get(
            reverse("admin:inkasso_handover_download", args=[handover.pk])
        )
        before_reading = len(context.captured_queries)
        chunks = list(response.streaming_content)

    assert response.streaming
    assert len(chunks) == parts
    assert max(len(chunk) for chunk in chunks) < 2 * 16 * 1024
    body = b"".join(chunks)
    assert len(body) == handover.file_size == int(response["Content-Length"])
    assert hashlib.sha256(body).hexdigest() == handover.sha256
    # The parts are read while the response is sent, by one query (with a
    # server-side cursor on PostgreSQL).
    reading = _kinds(q["sql"] for q in context.captured_queries[before_reading:])
    assert reading in (
        ["SELECT inkasso_handoverfilepart"],
        ["DECLARE inkasso_handoverfilepart"],
    )


def test_a_handover_result_names_warned_and_refused_orders_without_their_rows():
    # Kept for the report only: every warned row kept here would make the
    # memory of a handover grow with its size (all debtors abroad: all rows).
    warned = DueOrderFactory(billing_country="AT", billing_postcode="1010")
    refused = DueOrderFactory(billing_street="")

    result = services.hand_over(order_ids=[warned.pk, refused.pk], source="command")

    [claim] = result.warned
    assert (claim.order_id, claim.label, claim.values) == (warned.pk, warned.number, [])
    assert claim.warnings
    [claim] = result.refused
    assert (claim.order_id, claim.values) == (refused.pk, [])
    assert claim.errors
    assert Claim.objects.get(order=warned).values[HEADERS.index("Land")] == "AT"


def _overdue_orders(count):
    """Add ``count`` overdue orders without letters and return their pks."""
    last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    create_demo_data(orders=count, seed=11, today=timezone.localdate(), stage="overdue")
    return list(
        Order.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
    )


def _per_size_overdue(action):
    kinds = {}
    for size in SIZES:
        order_ids = _overdue_orders(size)
        kinds[size] = _kinds(_queries(lambda order_ids=order_ids: action(order_ids)))
    return kinds


def test_the_reminder_confirmation_page_needs_as_many_queries_for_1000_orders_as_for_10(
    client,
):
    client.force_login(
        UserFactory(
            username="sender",
            permissions=["shop.view_order", "inkasso.send_reminders"],
        )
    )

    def confirmation_page(order_ids):
        response = client.post(
            reverse("admin:shop_order_changelist"),
            {
                "action": "send_reminders",
                "_selected_action": order_ids[:1],
                "select_across": "1",
            },
        )
        assert response.status_code == 200
        assert "admin/inkasso/send_reminders_confirmation.html" in [
            template.name for template in response.templates
        ]
        assert len(response.context["order_ids"]) == Order.objects.count()
        assert response.context["preview"].due

    kinds = _per_size_overdue(confirmation_page)

    assert kinds[10] == kinds[1000]


def test_a_reminder_dry_run_needs_as_many_queries_for_1000_orders_as_for_10():
    def dry_run(order_ids):
        stderr = io.StringIO()
        try:
            call_command("inkasso_remind", "--dry-run", stderr=stderr)
        except CommandError as exc:  # Orders without an e-mail address.
            assert exc.returncode == 1
        assert "Nothing was recorded." in stderr.getvalue()

    kinds = _per_size_overdue(dry_run)

    assert kinds[10] == kinds[1000]
    assert not any(kind.startswith(("INSERT", "UPDATE")) for kind in kinds[1000])
