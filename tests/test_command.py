"""``manage.py inkasso_export``: the cron path of the handover."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from inkasso.models import Claim, Handover
from inkasso.selectors import handover_file
from shop.models import Order, OrderStatus
from tests.factories import DueOrderFactory

pytestmark = pytest.mark.django_db


def export(*args):
    stdout, stderr = io.BytesIO(), io.StringIO()
    call_command("inkasso_export", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_command_hands_over_every_due_order_to_stdout():
    orders = DueOrderFactory.create_batch(3)
    DueOrderFactory(status=OrderStatus.SHIPPED)  # not put into collection by a clerk
    data, messages = export()
    handover = Handover.objects.get()
    assert handover.source == Handover.Source.COMMAND
    assert handover.created_by is None
    assert data == b"".join(handover_file(handover))
    rows = list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))
    assert len(rows) == 4
    assert sorted(r[12] for r in rows[1:]) == sorted(o.invoice_number for o in orders)
    assert f"Handover {handover.pk}: 3 claims" in messages


def test_command_with_nothing_due_writes_no_file_and_exits_zero():
    DueOrderFactory(status=OrderStatus.SHIPPED)
    data, messages = export()
    assert data == b""
    assert messages == "No orders are due for handover.\n"
    assert Handover.objects.count() == 0


def test_orders_with_an_open_claim_are_no_longer_due():
    DueOrderFactory()
    export()
    data, messages = export()
    assert data == b""
    assert messages == "No orders are due for handover.\n"


def test_dry_run_reports_and_records_nothing(tmp_path):
    DueOrderFactory()
    broken = DueOrderFactory(letter=None)
    output = tmp_path / "file.csv"
    data, messages = export("--dry-run", "-o", str(output))
    assert data == b""
    assert not output.exists()
    assert Handover.objects.count() == 0
    assert Claim.objects.count() == 0
    assert (
        f"Refused order {broken.number}: No dunning letter (Mahnung) has been recorded."
        in messages
    )
    assert (
        "Dry run: 1 orders would be handed over, 1 refused. Nothing was recorded."
        in messages
    )


def test_partial_refusal_hands_over_the_rest_and_exits_non_zero(tmp_path):
    good = DueOrderFactory()
    broken = DueOrderFactory(currency="USD")
    output = tmp_path / "file.csv"
    stderr = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("inkasso_export", "-o", str(output), stderr=stderr)
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == "1 of 2 due orders were refused."
    assert (
        f"Refused order {broken.number}: The currency is USD; only EUR claims can "
        "be handed over, so this order has to be collected another way."
        in stderr.getvalue()
    )
    assert list(Claim.objects.values_list("order_id", flat=True)) == [good.pk]
    assert output.read_bytes() == b"".join(handover_file(Handover.objects.get()))


def test_handover_option_writes_an_earlier_file_byte_for_byte(tmp_path):
    DueOrderFactory.create_batch(2)
    first, _messages = export()
    handover = Handover.objects.get()
    again, _ = export("--handover", str(handover.pk))
    assert again == first
    output = tmp_path / "again.csv"
    export("--handover", str(handover.pk), "--output", str(output))
    assert output.read_bytes() == first
    with pytest.raises(CommandError, match="There is no handover 999."):
        export("--handover", "999")


def test_unwritable_output_is_a_clear_error_and_the_handover_stays_retrievable(
    tmp_path,
):
    DueOrderFactory()
    target = tmp_path / "missing-directory" / "file.csv"
    with pytest.raises(CommandError) as excinfo:
        export("-o", str(target))
    handover = Handover.objects.get()
    assert str(excinfo.value) == (
        f"Cannot write {target}: No such file or directory. The handover is "
        f"recorded; write it again with --handover {handover.pk}."
    )
    assert Order.objects.get().status == OrderStatus.COLLECTION
    data, _ = export("--handover", str(handover.pk))
    assert data == b"".join(handover_file(handover))
    assert len(data) == handover.file_size


def test_encoding_option_writes_utf8_with_bom():
    DueOrderFactory(billing_last_name="Łukasiewicz")
    data, _ = export("--encoding", "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Łukasiewicz" in data.decode("utf-8-sig")
    assert Handover.objects.get().encoding == "utf-8-sig"


def test_an_unusable_encoding_is_refused_before_anything_is_recorded():
    DueOrderFactory()
    with pytest.raises(CommandError, match="cannot be used: unknown encoding"):
        export("--encoding", "klingon")
    with pytest.raises(CommandError, match="cannot be used: not ASCII-compatible"):
        export("--encoding", "utf-16")
    assert Handover.objects.count() == 0
