"""A ledger write that waits too long for a lock gives up with one clear sentence.

A second, real connection holds the lock: on PostgreSQL a row lock
(``SELECT ... FOR UPDATE``) on the order or claim, on SQLite the write lock of
the database file (``BEGIN IMMEDIATE``). The service waits
``INKASSO_LOCK_TIMEOUT``, raises ``DatabaseBusy``, records nothing, and goes
through once the lock is released. No mocks: the timeouts are the databases'.
"""

import contextlib
import datetime
import sqlite3
import threading
import time
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone

from inkasso import selectors, services
from inkasso.exceptions import DatabaseBusy
from inkasso.models import Claim, DirectPayment, Handover
from shop.collection import ShopOrderAdapter
from tests.factories import DueOrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCK_TIMEOUT = 0.5
# Far below a wait without end, far above the timeout on a slow machine.
GIVES_UP_WITHIN = 10
HANDOVER_BUSY = (
    "Another handover is being recorded right now; nothing was handed over. "
    "Try again in a minute."
)
LEDGER_BUSY = (
    "Another change is being recorded right now; nothing was recorded. "
    "Try again in a minute."
)


@pytest.fixture(autouse=True)
def database_file(tmp_path, django_db_blocker):
    """Run the test on a database that several connections can lock.

    pytest-django's SQLite test database lives in memory unless
    ``SQLITE_TEST_NAME`` names a file, and connections to it share one cache
    with table locks that never wait. The test then runs on a file copy.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip("Lock timeouts are handled on SQLite and PostgreSQL.")
    if connection.vendor == "postgresql" or not connection.is_in_memory_db():
        yield
        return
    memory = connections["default"]
    path = tmp_path / "test.sqlite3"
    with django_db_blocker.unblock(), sqlite3.connect(path) as target:
        memory.ensure_connection()
        memory.connection.backup(target)
    file_settings = {**memory.settings_dict, "NAME": str(path)}
    # Threads open their own connection from connections.settings.
    original_settings = connections.settings["default"]
    connections.settings["default"] = file_settings
    connections["default"] = type(memory)(file_settings, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = memory
        connections.settings["default"] = original_settings


@pytest.fixture(autouse=True)
def short_lock_timeout(settings):
    settings.INKASSO_LOCK_TIMEOUT = LOCK_TIMEOUT


@contextlib.contextmanager
def lock_held_elsewhere(row):
    """Hold ``row`` locked from a second connection while the block runs.

    On SQLite that is the write lock of the whole database file. The yielded
    function releases the lock early. It is released after ``GIVES_UP_WITHIN``
    seconds anyway, so that a service that would wait without end fails the
    test instead of hanging it.
    """
    other = connection.get_new_connection(connection.get_connection_params())
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(row._meta.db_table)
        other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [row.pk])
    else:
        other.execute("BEGIN IMMEDIATE")
    watchdog = threading.Timer(GIVES_UP_WITHIN, other.rollback)
    watchdog.start()
    try:
        yield other.rollback
    finally:
        watchdog.cancel()
        other.rollback()
        other.close()


def timed(call):
    """Return what ``call`` raised and how many seconds it took to raise it."""
    started = time.monotonic()
    with pytest.raises(DatabaseBusy) as raised:
        call()
    return str(raised.value), time.monotonic() - started


def hand_over(order, user=None):
    return services.hand_over(
        order_ids=[order.pk], source="admin" if user else "command", user=user
    )


def test_a_handover_waiting_for_a_lock_gives_up_after_the_timeout_and_records_nothing():
    order = DueOrderFactory()

    with lock_held_elsewhere(order):
        message, seconds = timed(lambda: hand_over(order))

    assert message == HANDOVER_BUSY
    assert LOCK_TIMEOUT <= seconds < GIVES_UP_WITHIN
    assert not Handover.objects.exists()
    assert not Claim.objects.exists()
    assert order.pk in selectors.due_order_ids(today=timezone.localdate())


def test_a_handover_goes_through_once_the_lock_is_released():
    order = DueOrderFactory()
    with lock_held_elsewhere(order):
        timed(lambda: hand_over(order))

    result = hand_over(order)

    assert result.count == 1
    assert Claim.objects.get().order_id == order.pk


def test_a_handover_waits_for_a_lock_that_is_released_within_the_timeout(settings):
    settings.INKASSO_LOCK_TIMEOUT = GIVES_UP_WITHIN
    order = DueOrderFactory()

    with lock_held_elsewhere(order) as release:
        threading.Timer(LOCK_TIMEOUT, release).start()
        started = time.monotonic()
        result = hand_over(order)

    assert result.count == 1
    assert LOCK_TIMEOUT <= time.monotonic() - started < GIVES_UP_WITHIN


def test_the_german_clerk_reads_the_sentence_in_german(settings):
    settings.LANGUAGE_CODE = "de"
    order = DueOrderFactory()

    with lock_held_elsewhere(order):
        message, _seconds = timed(lambda: hand_over(order))

    assert message == (
        "Gerade wird eine andere Übergabe gespeichert; es wurde nichts "
        "übergeben. Bitte versuchen Sie es in einer Minute noch einmal."
    )


def _claim():
    return hand_over(DueOrderFactory()).handover.claims.get()


def _withdraw(claim):
    return services.withdraw_claim(claim=claim, user=None, reason="Paid directly.")


def _record_file_number(claim):
    return services.record_file_number(
        claim=claim, file_number="12345678901", user=None
    )


def _record_direct_payment(claim):
    return services.record_direct_payment(
        claim=claim,
        amount=Decimal("5.00"),
        received_on=timezone.localdate() - datetime.timedelta(days=1),
        user=None,
    )


def _ledger(claim):
    """Everything the claim services may change, to compare before and after."""
    claim.refresh_from_db()
    return (
        claim.state,
        claim.file_number,
        list(claim.direct_payments.values_list("amount", "reported_at")),
    )


@pytest.mark.parametrize(
    "change", [_withdraw, _record_file_number, _record_direct_payment]
)
def test_a_change_to_a_locked_claim_gives_up_records_nothing_and_goes_through_later(
    change,
):
    claim = _claim()
    before = _ledger(claim)

    with lock_held_elsewhere(claim):
        message, seconds = timed(lambda: change(claim))

    assert message == LEDGER_BUSY
    assert LOCK_TIMEOUT <= seconds < GIVES_UP_WITHIN
    assert _ledger(claim) == before
    change(claim)
    assert _ledger(claim) != before


def test_marking_a_locked_payment_reported_gives_up_and_goes_through_later():
    claim = _claim()
    payment = _record_direct_payment(claim)

    def mark():
        return services.mark_direct_payments_reported(payments=[payment], user=None)

    with lock_held_elsewhere(payment):
        message, seconds = timed(mark)

    assert message == LEDGER_BUSY
    assert LOCK_TIMEOUT <= seconds < GIVES_UP_WITHIN
    assert DirectPayment.objects.get().reported_at is None
    assert mark() == 1


class FailingAdapter(ShopOrderAdapter):
    """Marks the orders with a query that fails for a reason other than a lock."""

    def mark_handed_over(self, order_ids, *, handover):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = 1")
                cursor.execute("SELECT pg_sleep(1)")
            else:
                cursor.execute("SELECT * FROM no_such_table")


def test_other_database_errors_are_not_mistaken_for_a_busy_database(settings):
    settings.INKASSO_ADAPTER = "tests.test_database_busy.FailingAdapter"
    order = DueOrderFactory()

    with pytest.raises(OperationalError) as raised:
        hand_over(order)

    assert not isinstance(raised.value, DatabaseBusy)
    assert not Handover.objects.exists()


def test_an_admin_confirmation_while_the_orders_are_locked_shows_the_sentence(
    clerk_client,
):
    order = DueOrderFactory()
    changelist = reverse("admin:shop_order_changelist")
    confirmation = clerk_client.post(
        changelist,
        {
            "action": "hand_over_to_mediafinanz",
            ACTION_CHECKBOX_NAME: [order.pk],
            "index": 0,
        },
    )
    assert confirmation.status_code == 200

    with lock_held_elsewhere(order):
        response = clerk_client.post(
            confirmation.context["confirm_url"],
            {
                "selection": confirmation.context["selection"],
                "confirm": "yes",
                "encoding": "cp1252",
            },
        )

    # The confirmation again, with the sentence: the clerk can simply retry.
    assert response.status_code == 200
    assert response.context["selection"]
    assert [str(m) for m in response.context["messages"]] == [HANDOVER_BUSY]
    assert not Handover.objects.exists()
    assert order.pk in selectors.due_order_ids(today=timezone.localdate())
