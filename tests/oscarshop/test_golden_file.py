"""The Oscar shop's handover file, byte for byte, against a golden file."""

import datetime
import os
from pathlib import Path

import pytest

from inkasso.models import Handover
from inkasso.selectors import handover_file
from inkasso.services import hand_over

from .factories import AustrianAddressFactory, BillingAddressFactory, create_order

GOLDEN = Path(__file__).parent / "golden" / "handover-cp1252.csv"
TODAY = datetime.date(2026, 11, 20)


def d(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


@pytest.mark.django_db
def test_the_file_of_an_oscar_shop_matches_the_golden_file():
    dates = {
        "placed": d("2026-09-01"),
        "delivered": d("2026-09-03"),
        "mahnung": d("2026-10-20"),
    }
    orders = [
        create_order(number="100001", guest_email="kaethe@example.de", **dates),
        create_order(
            number="100002",
            guest_email="franz@example.at",
            billing_address=AustrianAddressFactory(),
            debited="50.00",
            refunded="10.00",
            **dates,
        ),
        create_order(
            number="100003",
            guest_email="ms@example.de",
            billing_address=BillingAddressFactory(title="Ms", first_name="Sıla"),
            payment="prepayment",
            placed=d("2026-09-01"),
            delivered=None,
            mahnung=d("2026-10-20"),
            lines=[(1, "Espressomaschine „Bar“")],
        ),
    ]

    result = hand_over(
        order_ids=[o.pk for o in orders], source=Handover.Source.COMMAND, today=TODAY
    )

    assert result.report.refused == []
    data = b"".join(handover_file(result.handover))
    if os.environ.get("INKASSO_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()
