"""``manage.py inkasso_export``: the cron path of the handover.

Exit statuses: 0 done, 1 done but some orders refused, 2 could not run.
The faults of real processes (full disk, closed pipe, kill, two runs at once)
are in ``test_command_faults.py``.
"""

import csv
import io
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone, translation

from inkasso import selectors, services
from inkasso.exceptions import DatabaseBusy
from inkasso.models import Claim, Handover
from inkasso.selectors import handover_file
from inkasso.services import hand_over
from shop.models import Order, OrderStatus
from tests.factories import DueOrderFactory, DunningLevel

pytestmark = pytest.mark.django_db


def export(*args):
    stdout, stderr = io.BytesIO(), io.StringIO()
    call_command("inkasso_export", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def failing_export(*args):
    """Run the command, expect it to fail; return the error and the messages."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("inkasso_export", *args, stdout=io.BytesIO(), stderr=stderr)
    return excinfo.value, stderr.getvalue()


def test_command_hands_over_every_due_order_to_stdout():
    orders = DueOrderFactory.create_batch(3)
    # Not put into collection by a clerk, its dunning not finished either (a
    # last letter that ran out would make it due: HAND_OVER_AFTER_LAST_LETTER).
    DueOrderFactory(status=OrderStatus.SHIPPED, letter__level=DunningLevel.FIRST)
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
    DueOrderFactory(status=OrderStatus.SHIPPED, letter__level=DunningLevel.FIRST)
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


def test_dry_run_reports_records_nothing_and_exits_as_the_handover_would(tmp_path):
    DueOrderFactory()
    broken = DueOrderFactory(letter=None)
    output = tmp_path / "file.csv"

    error, messages = failing_export("--dry-run", "-o", str(output))

    assert error.returncode == 1
    assert str(error) == "1 of 2 due orders would be refused."
    assert messages == (
        f"Refused order {broken.number}: No dunning letter (Mahnung) has been "
        "recorded.\n"
        "Dry run: 1 order would be handed over, 1 refused. Nothing was recorded.\n"
    )
    assert not output.exists()
    assert Handover.objects.count() == 0
    assert Claim.objects.count() == 0


def test_a_dry_run_without_refusals_exits_zero():
    DueOrderFactory.create_batch(2)
    data, messages = export("--dry-run")
    assert data == b""
    assert messages == (
        "Dry run: 2 orders would be handed over, 0 refused. Nothing was recorded.\n"
    )


def test_a_german_shop_reads_the_whole_report_in_german(tmp_path):
    # With LANGUAGE_CODE "de", the reasons were German and the lines around
    # them English ("Refused order 7: Es wurde keine Mahnung …").
    DueOrderFactory()
    broken = DueOrderFactory(letter=None)

    with translation.override("de"):
        error, messages = failing_export("--dry-run")

    assert str(error) == "1 von 2 fälligen Bestellungen würde abgelehnt."
    assert messages == (
        f"Bestellung {broken.number} abgelehnt: Es ist keine Mahnung erfasst.\n"
        "Probelauf: 1 Bestellung würde übergeben, 1 abgelehnt. Es wurde nichts "
        "eingetragen.\n"
    )


def test_partial_refusal_hands_over_the_rest_and_exits_with_status_1(tmp_path):
    good = DueOrderFactory()
    broken = DueOrderFactory(currency="USD")
    output = tmp_path / "file.csv"

    error, messages = failing_export("-o", str(output))

    assert error.returncode == 1
    assert str(error) == "1 of 2 due orders was refused."
    assert (
        f"Refused order {broken.number}: The currency is USD; only EUR claims can "
        "be handed over, so this order has to be collected another way." in messages
    )
    assert list(Claim.objects.values_list("order_id", flat=True)) == [good.pk]
    assert output.read_bytes() == b"".join(handover_file(Handover.objects.get()))


def test_orders_handed_over_meanwhile_are_one_line_per_handover_not_refusals(
    monkeypatch, tmp_path
):
    orders = DueOrderFactory.create_batch(5)
    broken = DueOrderFactory(currency="USD")
    # The command lists the due orders; two other handovers commit before it
    # gets to them (test_command_faults.py does this with real processes).
    listed = selectors.due_order_ids(today=timezone.localdate())
    first = hand_over(order_ids=[o.pk for o in orders[:2]], source="admin")
    second = hand_over(order_ids=[orders[2].pk], source="admin")
    monkeypatch.setattr(selectors, "due_order_ids", lambda *, today: listed)

    error, messages = failing_export("-o", str(tmp_path / "file.csv"))

    assert error.returncode == 1
    assert str(error) == "1 of 6 due orders was refused."
    lines = messages.splitlines()
    assert lines[:3] == [
        f"Refused order {broken.number}: The currency is USD; only EUR claims can "
        "be handed over, so this order has to be collected another way.",
        f"2 orders were handed over meanwhile by handover {first.handover.pk}.",
        f"1 order was handed over meanwhile by handover {second.handover.pk}.",
    ]
    assert lines[3].startswith(f"Handover {Handover.objects.latest('pk').pk}: 2 ")
    assert sorted(Claim.objects.values_list("order_id", flat=True)) == sorted(
        [o.pk for o in orders]
    )


def test_a_run_whose_orders_were_all_handed_over_meanwhile_exits_zero(monkeypatch):
    orders = DueOrderFactory.create_batch(3)
    listed = selectors.due_order_ids(today=timezone.localdate())
    other = hand_over(order_ids=[o.pk for o in orders], source="command").handover
    monkeypatch.setattr(selectors, "due_order_ids", lambda *, today: listed)

    assert export() == (
        b"",
        f"3 orders were handed over meanwhile by handover {other.pk}.\n",
    )
    assert export("--dry-run") == (
        b"",
        f"3 orders were handed over meanwhile by handover {other.pk}.\n"
        "Dry run: 0 orders would be handed over, 0 refused. Nothing was recorded.\n",
    )
    assert Handover.objects.count() == 1


def test_handover_option_writes_an_earlier_file_byte_for_byte(tmp_path):
    DueOrderFactory.create_batch(2)
    first, _messages = export()
    handover = Handover.objects.get()
    again, _ = export("--handover", str(handover.pk))
    assert again == first
    output = tmp_path / "again.csv"
    export("--handover", str(handover.pk), "--output", str(output))
    assert output.read_bytes() == first
    error, _ = failing_export("--handover", "999")
    assert (str(error), error.returncode) == ("There is no handover 999.", 2)


def test_unwritable_output_is_a_clear_error_and_the_handover_stays_retrievable(
    tmp_path,
):
    DueOrderFactory()
    target = tmp_path / "missing-directory" / "file.csv"

    error, _ = failing_export("-o", str(target))

    handover = Handover.objects.get()
    assert error.returncode == 2
    assert str(error) == (
        f"Cannot write {target} (No such file or directory), but handover "
        f"{handover.pk} is recorded; `python manage.py inkasso_export --handover "
        f"{handover.pk} -o {target}` writes it again."
    )
    assert Order.objects.get().status == OrderStatus.COLLECTION
    data, _ = export("--handover", str(handover.pk))
    assert data == b"".join(handover_file(handover))
    assert len(data) == handover.file_size


def test_the_hint_quotes_a_path_for_the_shell(tmp_path):
    DueOrderFactory()
    target = tmp_path / "no such directory" / "file.csv"

    error, _ = failing_export("-o", str(target))

    handover = Handover.objects.get()
    assert f"--handover {handover.pk} -o '{target}'` writes it again." in str(error)


def test_the_file_replaces_an_earlier_one_whole_and_keeps_its_permissions(tmp_path):
    DueOrderFactory.create_batch(2)
    target = tmp_path / "handover.csv"
    target.write_bytes(b"an earlier file\r\n")
    target.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(target.name)

    export("-o", str(link))

    assert target.read_bytes() == b"".join(handover_file(Handover.objects.get()))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert link.is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["handover.csv", "latest.csv"]


def test_an_output_that_is_not_a_regular_file_is_written_directly(tmp_path):
    # A named pipe (or /dev/stdout) cannot be replaced by a file.
    DueOrderFactory()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with ThreadPoolExecutor(max_workers=1) as pool:
        received = pool.submit(fifo.read_bytes)
        export("-o", str(fifo))
        assert received.result(timeout=30) == b"".join(
            handover_file(Handover.objects.get())
        )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_encoding_option_writes_utf8_with_bom():
    DueOrderFactory(billing_last_name="Łukasiewicz")
    data, _ = export("--encoding", "utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Łukasiewicz" in data.decode("utf-8-sig")
    assert Handover.objects.get().encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--encoding", "klingon"], "'klingon' cannot be used: unknown encoding."),
        (["--encoding", "utf-16"], "'utf-16' cannot be used: not ASCII-compatible."),
        (["--encoding", "rot13"], "'rot13' cannot be used: not a text encoding."),
        (["--dry-run", "--encoding", "bogus"], "'bogus' cannot be used: unknown"),
    ],
)
def test_an_unusable_encoding_is_refused_before_anything_is_recorded(args, problem):
    DueOrderFactory()
    error, _ = failing_export(*args)
    assert error.returncode == 2
    assert str(error).startswith(f"The file encoding {problem}")
    assert Handover.objects.count() == 0


def test_a_busy_database_is_one_sentence_and_exit_status_2(monkeypatch):
    DueOrderFactory()
    busy = "Another handover is being recorded right now; nothing was handed over."

    def wait_too_long(**kwargs):
        raise DatabaseBusy(busy)

    monkeypatch.setattr(services, "hand_over", wait_too_long)

    error, _ = failing_export()

    assert (str(error), error.returncode) == (busy, 2)


def test_a_database_error_is_one_sentence_and_exit_status_2(monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(selectors, "due_order_ids", locked)
    error, _ = failing_export()
    assert (str(error), error.returncode) == (
        "The database cannot be used: database is locked. Try again in a minute; "
        "if it persists, check DATABASES in the settings.",
        2,
    )

    monkeypatch.setattr(selectors, "due_order_ids", lambda *, today: [1])
    monkeypatch.setattr(services, "hand_over", locked)
    error, _ = failing_export()
    assert (str(error), error.returncode) == (
        "The database failed during the handover (database is locked); nothing "
        "was handed over.",
        2,
    )
