"""Overlapping handovers on PostgreSQL, with real parallel connections.

Two clerks, or a clerk and the cron command, handing over overlapping orders at
the same moment: every order is handed over once, nobody deadlocks, and the one
that comes second refuses the orders the first took, saying so.

Each thread opens its own database connection; the orders are committed
(``transaction=True``) so that every connection sees them.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone, translation

from inkasso.models import Claim, Handover
from inkasso.services import hand_over, withdraw_claim
from shop.demo import create_demo_data
from shop.models import Order, OrderStatus
from tests.users import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers on one file; row locks and parallel "
        "connections need PostgreSQL (bash .ci/with-postgres ...)",
    ),
]

ALREADY_CLAIMED = "The order already has a claim with mediafinanz"
TIMEOUT = 60


def _due_orders(count):
    create_demo_data(
        orders=count, seed=7, today=timezone.localdate(), stage="collection"
    )
    return list(Order.objects.order_by("pk").values_list("pk", flat=True))


def _in_parallel(*calls):
    """Run the calls in threads released at the same moment; return their outcome.

    An outcome is the call's return value or the exception it raised.
    """
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            with translation.override("en"):
                barrier.wait(timeout=TIMEOUT)
                return call()
        except Exception as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=TIMEOUT) for future in futures]


def _handover(order_ids, user=None):
    return lambda: hand_over(
        order_ids=order_ids,
        source="admin" if user else "command",
        user=user,
    )


def _assert_each_order_claimed_once(order_ids):
    claimed = list(
        Claim.objects.filter(order_id__in=order_ids).values_list("order_id", flat=True)
    )
    assert sorted(claimed) == sorted(order_ids)


def test_two_clerks_handing_over_overlapping_orders_hand_each_order_over_once():
    orders = _due_orders(600)
    first, second = orders[:400], orders[200:]
    clerks = [UserFactory(username=name) for name in ("anna", "bernd")]

    outcomes = _in_parallel(
        _handover(first, clerks[0]), _handover(list(reversed(second)), clerks[1])
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    _assert_each_order_claimed_once(orders)
    assert Handover.objects.count() == 2
    winner, loser = sorted(outcomes, key=lambda result: result.handover.pk)
    overlap = set(first) & set(second)
    assert {claim.order_id for claim in loser.refused} == overlap
    assert winner.refused == []
    for claim in loser.refused:
        assert claim.errors == [f"{ALREADY_CLAIMED} (handover {winner.handover.pk})."]
    assert winner.count + loser.count == len(orders)


def test_the_same_orders_handed_over_twice_at_once_go_over_once():
    orders = _due_orders(300)

    outcomes = _in_parallel(_handover(orders), _handover(orders))

    _assert_each_order_claimed_once(orders)
    assert Handover.objects.count() == 1
    [winner] = [o for o in outcomes if o.handover is not None]
    [loser] = [o for o in outcomes if o.handover is None]
    assert winner.count == len(orders)
    assert len(loser.refused) == len(orders)
    assert all(ALREADY_CLAIMED in claim.errors[0] for claim in loser.refused)


def test_many_overlapping_handovers_never_deadlock():
    orders = _due_orders(400)
    # Each of four handovers takes every second order of a different window,
    # listed in a different order: without locking in pk order these would
    # wait for each other in a circle.
    selections = [
        orders[0:300:2] + orders[300:400],
        list(reversed(orders[100:400])),
        orders[50:350][::-1][::2] + orders[0:50],
        orders[::3],
    ]

    outcomes = _in_parallel(*[_handover(selection) for selection in selections])

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors
    selected = sorted(set().union(*selections))
    _assert_each_order_claimed_once(selected)
    handed_over = sum(outcome.count for outcome in outcomes)
    assert handed_over == len(selected)
    refused = sum(len(outcome.refused) for outcome in outcomes)
    assert refused == sum(len(set(s)) for s in selections) - len(selected)


def test_the_cron_command_and_a_clerk_at_once_hand_each_order_over_once(tmp_path):
    orders = _due_orders(500)
    clerk = UserFactory(username="clerk")
    chosen = orders[100:300]

    def command():
        call_command("inkasso_export", output=str(tmp_path / "cron.csv"))
        return "command handed over everything it found"

    outcomes = _in_parallel(command, _handover(chosen, clerk))

    _assert_each_order_claimed_once(orders)
    assert set(Order.objects.values_list("status", flat=True)) == {
        OrderStatus.COLLECTION
    }
    command_outcome, clerk_outcome = outcomes
    assert not isinstance(clerk_outcome, Exception), clerk_outcome
    # Orders the clerk handed over after the command listed them as due are
    # not the command's refusals: it says so in one line and exits with 0.
    assert command_outcome == "command handed over everything it found"
    if clerk_outcome.handover is None:
        # The command came first: the clerk's orders were all taken already.
        assert len(clerk_outcome.refused) == len(chosen)
    else:
        assert clerk_outcome.count == len(chosen)


def test_a_withdrawal_and_a_new_handover_at_once_leave_one_active_claim_at_most():
    [order_id] = _due_orders(1)
    first = hand_over(order_ids=[order_id], source="command")
    claim = first.handover.claims.get()
    clerk = UserFactory(username="clerk")

    outcomes = _in_parallel(
        lambda: withdraw_claim(claim=claim, user=clerk, reason="Paid directly."),
        _handover([order_id], clerk),
    )

    withdrawn, second = outcomes
    assert not isinstance(withdrawn, Exception), withdrawn
    assert not isinstance(second, Exception), second
    active = Claim.objects.filter(order_id=order_id).exclude(
        state=Claim.State.WITHDRAWN
    )
    # Either the handover saw the withdrawal and handed the order over again,
    # or it came first and refused it; never two active claims.
    assert active.count() == (1 if second.handover else 0)
