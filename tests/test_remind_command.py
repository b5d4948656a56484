"""Sending the letters: the service, the e-mail task and ``inkasso_remind``."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from inkasso import reminders, selectors, sending, services
from inkasso.models import Claim, Letter
from shop.models import OrderStatus
from tests.factories import (
    DueOrderFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
)
from tests.test_dunning_ledger import record_letter

DUE = datetime.date(2026, 10, 15)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


def unpaid_order(**fields):
    fields.setdefault("due_date", DUE)
    fields.setdefault("invoice_date", DUE - datetime.timedelta(days=14))
    fields.setdefault("delivered_date", DUE - datetime.timedelta(days=14))
    return DueOrderFactory(letter=None, status=OrderStatus.SHIPPED, **fields)


def remind(*args):
    stdout, stderr = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(stdout)
    try:
        call_command("inkasso_remind", *args, stdout=out, stderr=stderr)
        code = 0
    except CommandError as exc:
        stderr.write(str(exc))
        code = exc.returncode
    out.flush()
    return code, stderr.getvalue(), stdout.getvalue()


def day(offset: int) -> str:
    return (DUE + datetime.timedelta(days=offset)).isoformat()


@pytest.mark.django_db
def test_a_due_letter_is_emailed_with_text_html_and_pdf_and_recorded_as_sent():
    order = unpaid_order(customer__email="kaethe@example.de")

    code, err, _out = remind("--today", day(7))

    assert code == 0, err
    [message] = mail.outbox
    assert message.to == ["kaethe@example.de"]
    assert message.subject == (
        f"Zahlungserinnerung: Rechnung {order.invoice_number} "
        f"vom {order.invoice_date:%d.%m.%Y}"
    )
    assert "Sehr geehrte Frau Groß," in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "<p>Sehr geehrte Frau Groß,</p>" in html
    [(name, pdf, pdf_type)] = message.attachments
    assert (name, pdf_type) == (f"zahlungserinnerung-{order.pk}.pdf", "application/pdf")
    letter = Letter.objects.get(order=order)
    assert (letter.status, letter.level, letter.sent_on, letter.sent_by) == (
        "sent",
        0,
        DUE + datetime.timedelta(days=7),
        None,
    )
    assert bytes(letter.pdf) == pdf
    assert f"Order {order.number}: Payment reminder to kaethe@example.de" in err
    assert "1 letter sent, 0 queued, 0 failed, 0 refused" in err


@pytest.mark.django_db
def test_two_runs_on_the_same_day_send_once():
    unpaid_order()

    remind("--today", day(7))
    code, err, _out = remind("--today", day(7))

    assert code == 0
    assert len(mail.outbox) == 1
    assert Letter.objects.count() == 1
    assert "0 letters sent" in err


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections need PostgreSQL (bash .ci/with-postgres ...)",
)
def test_two_runs_at_once_send_once():
    orders = [unpaid_order() for _ in range(5)]
    ids = [order.pk for order in orders]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            sending.send_letters(ids, today=DUE + datetime.timedelta(days=7))
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Letter.objects.filter(status="sent").count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_a_failed_email_is_recorded_with_its_reason_and_tried_again_next_run(
    settings,
):
    order = unpaid_order()
    settings.EMAIL_BACKEND = "tests.test_remind_command.FailingBackend"

    code, err, _out = remind("--today", day(7))

    assert code == 0
    letter = Letter.objects.get(order=order)
    assert letter.status == "failed"
    assert letter.failure_reason == (
        "ConnectionRefusedError: SMTP server refused the connection"
    )
    assert "failed (ConnectionRefusedError" in err

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    remind("--today", day(8))

    assert list(order.inkasso_letters.values_list("status", "sent_on")) == [
        ("failed", DUE + datetime.timedelta(days=7)),
        ("sent", DUE + datetime.timedelta(days=8)),
    ]


@pytest.mark.django_db
def test_dry_run_says_what_would_be_sent_and_records_nothing():
    order = unpaid_order()

    code, err, out = remind("--dry-run", "--today", day(7))

    assert code == 0
    assert f"Order {order.number}: Payment reminder by e-mail, deadline" in err
    assert "Dry run: 1 letter would be sent, 0 refused" in err
    assert out == b""
    assert Letter.objects.count() == 0 and mail.outbox == []


@pytest.mark.django_db
def test_a_german_shop_reads_the_dry_run_in_german():
    order = unpaid_order()

    with translation.override("de"):
        code, err, out = remind("--dry-run", "--today", day(7))

    assert (code, err) == (
        0,
        f"Bestellung {order.number}: Zahlungserinnerung per E-Mail, Frist "
        "01.11.2026.\n"
        "Probelauf: 1 Schreiben würde versandt, 0 abgelehnt, bei 0 ist heute "
        "nichts fällig. Es wurde nichts eingetragen.\n",
    )


@pytest.mark.django_db
def test_an_order_without_email_address_is_refused_with_exit_status_1():
    order = unpaid_order(customer__email="")

    code, err, _out = remind("--today", day(7))

    assert code == 1
    assert (
        f"Refused order {order.number}: There is no e-mail address to send "
        "the letter to." in err
    )


@pytest.mark.django_db
def test_the_report_agrees_with_its_numbers():
    # "1 of 2 orders need a letter …": the verb followed the orders, not the
    # refused one.
    unpaid_order()
    unpaid_order(customer__email="")

    code, err, _out = remind("--today", day(7))

    assert code == 1
    assert err.splitlines()[-2:] == [
        "1 letter sent, 0 queued, 0 failed, 1 refused, 0 with nothing due today.",
        "1 of 2 orders needs a letter that could not be sent.",
    ]


@pytest.mark.django_db
def test_postal_letters_are_written_into_one_printable_pdf(tmp_path):
    first, second = unpaid_order(), unpaid_order()
    target = tmp_path / "letters.pdf"

    code, err, _out = remind("--channel", "post", "--today", day(7), "-o", str(target))

    assert code == 0, err
    reader = PdfReader(target)
    assert len(reader.pages) == 2
    assert first.invoice_number in reader.pages[0].extract_text()
    assert second.invoice_number in reader.pages[1].extract_text()
    assert mail.outbox == []
    assert set(Letter.objects.values_list("channel", "status")) == {("post", "sent")}


@pytest.mark.django_db
def test_without_a_creditor_the_command_cannot_run(settings):
    del settings.INKASSO_CREDITOR
    unpaid_order()

    code, err, _out = remind("--today", day(7))

    assert code == 2
    assert "Set INKASSO_CREDITOR" in err


def test_a_malformed_date_is_refused():
    with pytest.raises(CommandError, match="is not a date"):
        call_command("inkasso_remind", "--today", "1.12.2026")


@pytest.mark.django_db
def test_from_reminder_to_handover_in_a_shop_without_dunning_records():
    """The whole life of an unpaid order: reminder, three Mahnungen, handover."""
    order = unpaid_order()
    sent_days = []
    for offset in range(0, 120):
        code, err, _out = remind("--today", day(offset))
        assert code == 0, err
        if Letter.objects.count() > len(sent_days):
            sent_days.append(offset)

    # Reminder 7 days after the due date, each Mahnung 3 days after the
    # deadline of the letter before.
    assert sent_days == [7, 20, 37, 54]
    letters = list(order.inkasso_letters.order_by("level"))
    assert [letter.level_name for letter in letters] == [
        "Payment reminder",
        "1st dunning letter",
        "2nd dunning letter",
        "Final dunning letter",
    ]
    final = letters[-1]
    assert selectors.due_order_ids(today=final.deadline) == []
    today = final.deadline + datetime.timedelta(days=1)
    assert selectors.due_order_ids(today=today) == [order.pk]

    result = services.hand_over(
        order_ids=selectors.due_order_ids(today=today), source="command", today=today
    )

    assert result.count == 1
    claim = Claim.objects.get(order=order)
    assert f"{final.sent_on:%d.%m.%Y}" in claim.line
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTION


@pytest.mark.django_db
def test_an_order_paid_after_its_last_letter_is_not_due(settings):
    order = unpaid_order()
    for level in range(4):
        record_letter(order, level=level, sent_on=DUE + datetime.timedelta(days=level))
    today = DUE + datetime.timedelta(days=60)
    assert selectors.due_order_ids(today=today) == [order.pk]

    PaymentFactory(order=order, amount=order.lines.get().total)

    assert selectors.due_order_ids(today=today) == []
    settings.INKASSO_HAND_OVER_AFTER_LAST_LETTER = False
    PaymentFactory(order=order, amount=-order.lines.get().total)
    assert selectors.due_order_ids(today=today) == []


@pytest.mark.django_db
def test_sending_needs_as_many_queries_for_100_postal_letters_as_for_10():
    counts = {}
    for size in (10, 100):
        Letter.objects.all().delete()
        ids = [unpaid_order().pk for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            result = sending.send_letters(
                ids, today=DUE + datetime.timedelta(days=7), channel="post"
            )
        assert len(result.postal_ids) == size
        # SQLite takes at most 999 parameters a query: a bulk insert of many
        # letters is split. Everything else is one query per chunk.
        counts[size] = [
            q["sql"].split()[0] for q in queries if "INSERT" not in q["sql"]
        ]

    assert counts[10] == counts[100], counts


@pytest.mark.django_db
def test_reminder_candidates_leave_out_handed_over_orders():
    handed = DueOrderFactory()
    services.hand_over(order_ids=[handed.pk], source="command")
    other = OrderFactory()
    OrderLineFactory(order=other)

    today = datetime.date.today()
    ids = reminders.reminder_order_ids(today=today)

    assert other.pk in ids and handed.pk not in ids
    assert selectors.due_order_ids(today=today) == []


@pytest.mark.django_db
def test_the_demo_shop_reminds_its_overdue_orders():
    overdue = unpaid_order()
    dunned = DueOrderFactory(due_date=DUE, status=OrderStatus.SHIPPED)
    not_due = unpaid_order(due_date=DUE + datetime.timedelta(days=30))
    today = DUE + datetime.timedelta(days=7)

    ids = reminders.reminder_order_ids(today=today)

    # The shop keeps no letters of its own: an order dunned already is a
    # candidate too, and the ledger says that its last letter went out.
    assert overdue.pk in ids and dunned.pk in ids
    assert not_due.pk not in ids
    [[item]] = reminders.next_letters([dunned.pk], today=today)
    assert [problem.code for problem in item.problems] == ["last_level_reached"]


@pytest.mark.django_db
def test_emailing_needs_as_many_queries_for_100_letters_as_for_10():
    counts = {}
    for size in (10, 100):
        Letter.objects.all().delete()
        ids = [unpaid_order().pk for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            result = sending.send_letters(ids, today=DUE + datetime.timedelta(days=7))
        assert result.sent_count == size
        counts[size] = [
            q["sql"].split()[0] for q in queries if "INSERT" not in q["sql"]
        ]

    assert counts[10] == counts[100], counts


def _temporary_files(directory):
    return [path.name for path in directory.iterdir() if path.suffix == ".tmp"]


@pytest.mark.django_db
def test_the_letters_pdf_replaces_an_earlier_file_whole(tmp_path):
    unpaid_order()
    target = tmp_path / "letters.pdf"
    target.write_bytes(b"yesterday's letters")

    code, err, _out = remind("--channel", "post", "--today", day(7), "-o", str(target))

    assert code == 0, err
    assert target.read_bytes() == sending.merged_pdf(
        Letter.objects.values_list("pk", flat=True)
    )
    assert _temporary_files(tmp_path) == []


@pytest.mark.django_db
def test_a_full_disk_leaves_the_earlier_letters_pdf_and_says_what_is_recorded(
    tmp_path, monkeypatch
):
    import os

    unpaid_order()
    target = tmp_path / "letters.pdf"
    target.write_bytes(b"yesterday's letters")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    code, err, _out = remind("--channel", "post", "--today", day(7), "-o", str(target))

    assert code == 2
    assert err.splitlines()[-1] == (
        f"Cannot write {target} (No space left on device), but 1 postal letter is "
        "recorded as sent; the admin's dunning letters have each one's PDF."
    )
    assert target.read_bytes() == b"yesterday's letters"
    assert _temporary_files(tmp_path) == []
    assert Letter.objects.get().status == "sent"


def _pending_letter(order, *, minutes_ago):
    letter = record_letter(
        order, level=0, sent_on=DUE + datetime.timedelta(days=7), status="pending"
    )
    recorded = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Letter.objects.filter(pk=letter.pk).update(created_at=recorded)
    return letter


@pytest.mark.django_db
def test_a_letter_left_pending_by_a_dead_worker_is_failed_and_sent_again(settings):
    settings.INKASSO_DUNNING_PENDING_TIMEOUT = 3600
    order = unpaid_order(customer__email="kaethe@example.de")
    stuck = _pending_letter(order, minutes_ago=61)

    code, err, _out = remind("--today", day(8))

    assert code == 0, err
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert "Still being sent after 60 minutes" in stuck.failure_reason
    again = Letter.objects.get(order=order, status="sent")
    assert again.level == 0 and again.pk != stuck.pk
    assert [message.to for message in mail.outbox] == [["kaethe@example.de"]]


@pytest.mark.django_db
def test_a_letter_pending_for_less_than_the_timeout_is_not_sent_again(settings):
    settings.INKASSO_DUNNING_PENDING_TIMEOUT = 3600
    order = unpaid_order()
    sending_now = _pending_letter(order, minutes_ago=59)

    code, err, _out = remind("--today", day(8))

    assert code == 0, err
    sending_now.refresh_from_db()
    assert sending_now.status == "pending"
    assert Letter.objects.filter(order=order).count() == 1
    assert mail.outbox == []
    [[item]] = reminders.next_letters([order.pk], today=DUE + datetime.timedelta(8))
    assert [problem.code for problem in item.problems] == ["letter_pending"]


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite has no row locks to hold"
)
@pytest.mark.django_db(transaction=True)
def test_a_letter_a_live_worker_still_sends_is_never_sent_twice(settings):
    # The worker holds the letter's row lock while it sends: a run after the
    # timeout skips the locked letter instead of failing and sending it again.
    settings.INKASSO_DUNNING_PENDING_TIMEOUT = 60
    order = unpaid_order()
    stuck = _pending_letter(order, minutes_ago=5)
    locked, release = threading.Event(), threading.Event()

    def slow_worker():
        from django.db import connection as worker_connection
        from django.db import transaction

        try:
            with transaction.atomic():
                # As inkasso.tasks.email_letters takes it: the letter's row only.
                pending = Letter.objects.filter(pk=stuck.pk, status="pending")
                list(pending.order_by("pk").select_for_update(skip_locked=True))
                locked.set()
                release.wait(30)
        finally:
            worker_connection.close()

    worker = threading.Thread(target=slow_worker)
    worker.start()
    try:
        assert locked.wait(30)
        assert sending.expire_stale_letters([order.pk]) == 0
        code, err, _out = remind("--channel", "post", "--today", day(8))
        # The run did not wait for the worker either.
        assert not release.is_set()
    finally:
        release.set()
        worker.join()

    assert code == 0, err
    stuck.refresh_from_db()
    assert stuck.status == "pending"
    assert Letter.objects.filter(order=order).count() == 1
