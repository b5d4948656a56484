"""The shop's own dunning letters move into django-inkasso's dunning ledger.

The demo shop keeps no letters of its own any more: django-inkasso sends and
records them. Every letter the shop recorded becomes a sent letter of the
ledger, with what the shop knew: order, level, day, deadline and fee. The
amount asked is what was open on that day. The shop kept no copy of its
letters, so the ledger's record has none either (an empty PDF; the order
page says so). A letter without a deadline gets the one the handover assumed
for it (INKASSO_DUNNING_GRACE_DAYS after it went out). Where the shop recorded
one level twice for an order, the later letter is kept: the ledger holds one
letter per order and level, and the handover counted the later one.
"""

import datetime
import hashlib
from decimal import Decimal

from django.db import migrations

from inkasso.conf import app_settings

NOTE = (
    "Recorded by the shop before django-inkasso sent its letters; "
    "no copy of the letter was kept."
)
#: The shop's levels: 0 was the payment reminder, the others real Mahnungen.
NAMES = {
    0: "Zahlungserinnerung",
    1: "1. Mahnung",
    2: "2. Mahnung",
    3: "Letzte Mahnung",
}


def to_ledger(apps, schema_editor):
    DunningLetter = apps.get_model("shop", "DunningLetter")
    OrderLine = apps.get_model("shop", "OrderLine")
    Payment = apps.get_model("shop", "Payment")
    Letter = apps.get_model("inkasso", "Letter")
    if app_settings.ORDER_MODEL != "shop.Order":
        return  # The ledger belongs to another order model: nothing to move.
    latest = {}
    for letter in DunningLetter.objects.order_by("sent_on", "id").iterator():
        latest[(letter.order_id, letter.level)] = letter
    if not latest:
        return
    order_ids = {order_id for order_id, _level in latest}
    totals, payments = {}, {}
    for line in OrderLine.objects.filter(order_id__in=order_ids).iterator():
        totals[line.order_id] = (
            totals.get(line.order_id, Decimal("0.00"))
            + line.quantity * line.unit_price
        )
    for payment in Payment.objects.filter(order_id__in=order_ids).iterator():
        payments.setdefault(payment.order_id, []).append(payment)
    grace = datetime.timedelta(days=app_settings.DUNNING_GRACE_DAYS)
    empty = hashlib.sha256(b"").hexdigest()
    records = []
    for (order_id, level), letter in sorted(latest.items()):
        paid = sum(
            (
                payment.amount
                for payment in payments.get(order_id, [])
                if payment.received_on <= letter.sent_on
            ),
            Decimal("0.00"),
        )
        records.append(
            Letter(
                order_id=order_id,
                level=level,
                is_mahnung=level > 0,
                sent_on=letter.sent_on,
                deadline=letter.deadline or letter.sent_on + grace,
                fee=letter.fee,
                amount=totals.get(order_id, Decimal("0.00")) - paid,
                channel="post",
                email="",
                language="de",
                subject=NAMES.get(level, f"Stufe {level}"),
                text=NOTE,
                pdf=b"",
                sha256=empty,
                status="sent",
            )
        )
    Letter.objects.bulk_create(records, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0002_dunning_letter_last_letter_index"),
        ("inkasso", "0006_dunning_letters_and_stops"),
    ]

    operations = [
        migrations.RunPython(to_ledger, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="DunningLetter"),
    ]
