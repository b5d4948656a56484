"""Ledger writes that wait for a lock a limited time, then give up in one sentence.

Every service that writes the ledger runs in :func:`ledger_transaction`; a
handover locks its orders first with :func:`lock_orders`.
"""

import contextlib
import logging

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext_lazy

from .adapters import get_order_model
from .conf import app_settings
from .exceptions import DatabaseBusy
from .selectors import batched

# Under the services' name, as before this module was split off from them.
logger = logging.getLogger("inkasso.services")

HANDOVER_BUSY = gettext_lazy(
    "Another handover is being recorded right now; nothing was handed over. "
    "Try again in a minute."
)
LEDGER_BUSY = gettext_lazy(
    "Another change is being recorded right now; nothing was recorded. "
    "Try again in a minute."
)


def _waited_too_long(exc: OperationalError) -> bool:
    """Whether the database gave up waiting for a lock, and nothing else failed."""
    # SQLite: SQLITE_BUSY (5, "database is locked"), maybe as an extended code.
    # PostgreSQL: lock_not_available; psycopg 3 names it sqlstate, psycopg2 pgcode.
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return getattr(cause, "sqlite_errorcode", 0) & 0xFF == 5 or code == "55P03"


@contextlib.contextmanager
def _sqlite_busy_timeout(milliseconds: int):
    """On SQLite, wait at most this long for the write lock within the block."""
    if connection.vendor != "sqlite":
        yield
        return
    # The busy timeout belongs to the connection and outlives the transaction,
    # so the host's DATABASES OPTIONS "timeout" is put back afterwards.
    connection.ensure_connection()
    sqlite = connection.connection
    previous = sqlite.execute("PRAGMA busy_timeout").fetchone()[0]
    sqlite.execute(f"PRAGMA busy_timeout = {milliseconds:d}")
    try:
        yield
    finally:
        if connection.connection is sqlite:
            sqlite.execute(f"PRAGMA busy_timeout = {previous:d}")


@contextlib.contextmanager
def ledger_transaction(busy_message):
    """Run the block in one transaction that waits for locks a limited time.

    Whoever comes second to a lock (a handover of thousands of orders holds
    its locks for seconds) waits up to ``INKASSO_LOCK_TIMEOUT`` and then gets
    :class:`DatabaseBusy` with ``busy_message``, and nothing is recorded.
    """
    milliseconds = max(1, round(app_settings.LOCK_TIMEOUT * 1000))
    try:
        with _sqlite_busy_timeout(milliseconds), transaction.atomic():
            if connection.vendor == "postgresql":
                # Like SET LOCAL: it ends with the (outermost) transaction.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        [f"{milliseconds}ms"],
                    )
            yield
    except OperationalError as exc:
        if not _waited_too_long(exc):
            raise
        logger.warning("Gave up waiting for a lock after %d ms: %s", milliseconds, exc)
        raise DatabaseBusy(str(busy_message)) from exc


def lock_orders(order_ids: list) -> None:
    """Lock the orders' rows until the transaction ends, in key order.

    Two clerks (or a clerk and cron) handing over the same orders, or sending
    them letters: the second waits here until the first commits, then sees
    what it recorded. Locking in key order keeps concurrent runs free of
    deadlocks.
    """
    if not connection.features.has_select_for_update:
        return
    model = get_order_model()
    for chunk in batched(order_ids, app_settings.CHUNK_SIZE):
        list(
            model._default_manager.filter(pk__in=chunk)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
