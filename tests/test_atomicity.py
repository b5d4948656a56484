"""A handover is all or nothing."""

import pytest
from django.test import override_settings

from inkasso.models import Claim, Handover, HandoverFilePart
from inkasso.services import hand_over
from shop.collection import ShopOrderAdapter
from shop.models import Order, OrderStatus
from tests.factories import DueOrderFactory

pytestmark = pytest.mark.django_db


class AdapterThatFailsOnTheSecondChunk(ShopOrderAdapter):
    """The real demo adapter, except that the shop breaks after the first chunk."""

    calls = 0

    def mark_handed_over(self, order_ids, *, handover):
        type(self).calls += 1
        if type(self).calls == 2:
            raise RuntimeError("the shop's database went away")
        super().mark_handed_over(order_ids, handover=handover)


@override_settings(
    INKASSO_ADAPTER="tests.test_atomicity.AdapterThatFailsOnTheSecondChunk",
    INKASSO_CHUNK_SIZE=2,
)
def test_a_failure_in_the_middle_leaves_no_trace():
    AdapterThatFailsOnTheSecondChunk.calls = 0
    orders = DueOrderFactory.create_batch(5, status=OrderStatus.SHIPPED)
    with pytest.raises(RuntimeError, match="went away"):
        hand_over(order_ids=[o.pk for o in orders], source="command")
    assert AdapterThatFailsOnTheSecondChunk.calls == 2
    assert Handover.objects.count() == 0
    assert Claim.objects.count() == 0
    assert HandoverFilePart.objects.count() == 0
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.SHIPPED}


def test_a_handover_where_every_order_is_refused_records_nothing():
    order = DueOrderFactory(letter=None)
    result = hand_over(order_ids=[order.pk], source="command")
    assert result.handover is None
    assert [claim.label for claim in result.refused] == [order.number]
    assert Handover.objects.count() == 0
    assert HandoverFilePart.objects.count() == 0


def test_the_database_allows_one_open_claim_per_order_only():
    from django.db import IntegrityError, transaction

    order = DueOrderFactory()
    handover = hand_over(order_ids=[order.pk], source="command").handover
    claim = Claim.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            handover=handover,
            order=order,
            row_number=2,
            invoice_number=claim.invoice_number,
            amount=claim.amount,
            line=claim.line,
        )
    claim.state = Claim.State.WITHDRAWN
    claim.save()
    Claim.objects.create(
        handover=handover,
        order=order,
        row_number=2,
        invoice_number=claim.invoice_number,
        amount=claim.amount,
        line=claim.line,
    )
