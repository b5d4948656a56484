"""The dunning ledger: letters per order and level, dunning stops, and the handover."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from inkasso import dunning, selectors
from inkasso.exceptions import InkassoError
from inkasso.models import DunningStop, Letter
from shop.collection import ShopOrderAdapter
from tests.contract import HEADERS
from tests.factories import DueOrderFactory, days_ago


def record_letter(order, *, level, sent_on, deadline=None, status="sent", **fields):
    letter = Letter(
        order=order,
        level=level,
        is_mahnung=level > 0,
        sent_on=sent_on,
        deadline=deadline or sent_on + datetime.timedelta(days=10),
        amount=Decimal("99.80"),
        channel=Letter.Channel.EMAIL,
        language="de",
        status=status,
        **fields,
    )
    letter.set_pdf(b"%PDF-1.4 letter")
    letter.save()
    return letter


def check(order):
    return selectors.check_order(order.pk, today=timezone.localdate())


@pytest.mark.django_db
def test_an_order_gets_at_most_one_letter_per_level():
    order = DueOrderFactory()
    record_letter(order, level=1, sent_on=days_ago(30))

    with pytest.raises(IntegrityError), transaction.atomic():
        record_letter(order, level=1, sent_on=days_ago(20))


@pytest.mark.django_db
def test_a_failed_letter_leaves_room_for_the_next_try():
    order = DueOrderFactory()
    record_letter(order, level=1, sent_on=days_ago(30), status="failed")

    record_letter(order, level=1, sent_on=days_ago(29))

    assert order.inkasso_letters.filter(level=1).count() == 2


@pytest.mark.django_db
def test_a_letter_keeps_its_bytes_and_their_hash():
    letter = record_letter(DueOrderFactory(), level=0, sent_on=days_ago(3))

    stored = Letter.objects.get(pk=letter.pk)

    assert bytes(stored.pdf) == b"%PDF-1.4 letter"
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.4 letter").hexdigest()


@pytest.mark.django_db
def test_the_handover_takes_the_last_mahnung_from_the_ledger_when_the_shop_has_none():
    order = DueOrderFactory(letter=None)
    assert [p.code for p in check(order).problems if p.is_error] == ["no_mahnung"]

    record_letter(order, level=1, sent_on=days_ago(40), deadline=days_ago(26))
    record_letter(order, level=2, sent_on=days_ago(25), deadline=days_ago(11))

    claim = check(order)
    assert claim.errors == []
    assert claim.values[HEADERS.index("Mahndatum")] == f"{days_ago(25):%d.%m.%Y}"


class KeepingAdapter(ShopOrderAdapter):
    """A shop that keeps the claim data it reported once (a cache, say)."""

    kept: dict = {}

    def claims(self, queryset, *, today):
        for claim in super().claims(queryset, today=today):
            yield self.kept.setdefault(claim.order_id, claim)


@pytest.mark.django_db
def test_a_later_mahnung_counts_though_the_shop_keeps_its_claim_data(settings):
    # Filled into the shop's own object, the ledger's first Mahnung looked
    # like the shop's next time: the second one, its deadline still running,
    # was never seen, and the order was ready for handover.
    settings.INKASSO_ADAPTER = "tests.test_dunning_ledger.KeepingAdapter"
    KeepingAdapter.kept.clear()
    order = DueOrderFactory(letter=None)
    record_letter(order, level=1, sent_on=days_ago(40), deadline=days_ago(26))
    assert check(order).errors == []

    record_letter(order, level=2, sent_on=days_ago(5), deadline=days_ago(-5))

    claim = check(order)
    assert [p.code for p in claim.problems if p.is_error] == ["deadline_running"]
    assert claim.values[HEADERS.index("Mahndatum")] == f"{days_ago(5):%d.%m.%Y}"


@pytest.mark.django_db
def test_a_payment_reminder_is_not_a_mahnung_for_the_handover():
    order = DueOrderFactory(letter=None)
    record_letter(order, level=0, sent_on=days_ago(30))

    assert [p.code for p in check(order).problems if p.is_error] == ["no_mahnung"]


@pytest.mark.django_db
def test_a_failed_or_pending_mahnung_does_not_count():
    order = DueOrderFactory(letter=None)
    record_letter(order, level=1, sent_on=days_ago(40), status="failed")
    record_letter(order, level=2, sent_on=days_ago(30), status="pending")

    assert [p.code for p in check(order).problems if p.is_error] == ["no_mahnung"]


@pytest.mark.django_db
def test_the_ledger_deadline_that_runs_still_blocks_the_handover():
    order = DueOrderFactory(letter=None)
    record_letter(order, level=3, sent_on=days_ago(5), deadline=days_ago(-5))

    [problem] = [p for p in check(order).problems if p.is_error]
    assert problem.code == "deadline_running"


@pytest.mark.django_db
def test_the_shops_own_mahnung_wins_over_the_ledger():
    order = DueOrderFactory()  # The demo shop recorded a Mahnung 20 days ago.
    record_letter(order, level=1, sent_on=days_ago(50), deadline=days_ago(40))

    claim = check(order)
    assert claim.values[HEADERS.index("Mahndatum")] == f"{days_ago(20):%d.%m.%Y}"


@pytest.mark.django_db
def test_a_dunning_stop_refuses_the_handover_and_leaves_the_order_out_of_the_due():
    order = DueOrderFactory()
    stop = dunning.stop_dunning(order, reason=DunningStop.Reason.DISPUTED)

    assert order.pk not in selectors.due_order_ids(today=timezone.localdate())
    assert check(order).errors == [
        "A dunning stop (Mahnsperre) is set for the order: Claim disputed."
    ]

    dunning.lift_dunning_stop(stop)

    assert order.pk in selectors.due_order_ids(today=timezone.localdate())
    assert check(order).errors == []


@pytest.mark.django_db
def test_lifting_a_dunning_stop_is_recorded_with_who_and_when(clerk):
    order = DueOrderFactory()
    stop = dunning.stop_dunning(
        order, reason=DunningStop.Reason.PAYMENT_PLAN, note="3 Raten", user=clerk
    )

    dunning.lift_dunning_stop(stop, user=clerk)

    stop.refresh_from_db()
    assert (stop.created_by, stop.lifted_by) == (clerk, clerk)
    assert stop.lifted_at is not None and not stop.is_active
    with pytest.raises(InkassoError):
        dunning.lift_dunning_stop(stop, user=clerk)


@pytest.mark.django_db
def test_an_order_has_one_active_dunning_stop_at_a_time():
    order = DueOrderFactory()
    dunning.stop_dunning(order, reason=DunningStop.Reason.DISPUTED)

    with pytest.raises(InkassoError, match="already has a dunning stop"):
        dunning.stop_dunning(order, reason=DunningStop.Reason.OTHER)
