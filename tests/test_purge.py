"""Personal data is kept only as long as the retention asks, and figures forever."""

import contextlib
import datetime
import io
import json
import logging
from decimal import Decimal

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from inkasso import purge, services
from inkasso.models import Claim, DirectPayment, Handover, HandoverFilePart
from tests.contract import HEADERS
from tests.factories import CustomerFactory, DueOrderFactory, days_ago

TODAY = datetime.date(2026, 6, 1)
KEPT = [
    "Rechnungsnr",
    "Forderungsbetrag",
    "Leistungsdatum",
    "Mahndatum",
    "Forderungstyp",
]
DEBTOR = {
    "first_name": "Aylın",
    "last_name": "Quetschkommode",
    "email": "aylin.geheim@example.at",
    "phone": "+43 1 9876543",
}
ADDRESS = {
    "billing_street": "Verborgener Weg 77",
    "billing_postcode": "1070",
    "billing_city": "Nimmerstadt",
    "billing_country": "AT",
}
PERSONAL = [
    "Aylin",
    "Aylın",
    "Quetschkommode",
    "aylin.geheim",
    "9876543",
    "Verborgener",
    "1070",
    "Nimmerstadt",
    "AT",
    "ı → i",
    "Kaffeemühle",
    "bar bezahlt",
]
CLAIM_FIGURES = [
    "id",
    "handover_id",
    "order_id",
    "row_number",
    "invoice_number",
    "invoice_date",
    "amount",
    "state",
    "file_number",
    "file_number_recorded_at",
    "file_number_recorded_by",
    "withdrawn_at",
    "withdrawn_by",
]
HANDOVER_FIGURES = [
    "id",
    "created_at",
    "created_by",
    "source",
    "encoding",
    "header_row",
    "row_count",
    "file_size",
    "sha256",
]


def at(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def handover_at(when: datetime.datetime, count: int = 1) -> Handover:
    """Hand over ``count`` orders of the debtor and date the handover back."""
    customer = CustomerFactory(**DEBTOR)
    orders = [
        DueOrderFactory(
            customer=customer,
            billing_first_name=DEBTOR["first_name"],
            billing_last_name=DEBTOR["last_name"],
            **ADDRESS,
        )
        for _ in range(count)
    ]
    handover = services.hand_over(
        order_ids=[order.pk for order in orders], source="command"
    ).handover
    Handover.objects.filter(pk=handover.pk).update(created_at=when)
    handover.refresh_from_db()
    return handover


@pytest.fixture
def old(clerk):
    """A handover of 2015: a claim with a file number and a payment, one withdrawn."""
    handover = handover_at(at(2015, 6, 1), count=2)
    paid, withdrawn = handover.claims.order_by("row_number")
    services.record_file_number(claim=paid, file_number="12345678901", user=clerk)
    services.record_direct_payment(
        claim=paid,
        amount=Decimal("10.00"),
        received_on=days_ago(5),
        above_remaining=False,
        user=clerk,
    )
    services.withdraw_claim(
        claim=withdrawn, user=clerk, reason="Frau Quetschkommode hat bar bezahlt."
    )
    return handover


@pytest.fixture
def recent(db):
    """A handover of 2016, within the retention until the end of 2026."""
    return handover_at(at(2016, 1, 1, 0, 30))


def ledger() -> dict:
    return {
        "handovers": list(Handover.objects.order_by("pk").values()),
        "file_parts": list(
            HandoverFilePart.objects.order_by("pk").values("pk", "handover", "index")
        ),
        "claims": list(Claim.objects.order_by("pk").values()),
        "payments": list(DirectPayment.objects.order_by("pk").values()),
    }


def figures() -> dict:
    return {
        "handovers": list(Handover.objects.order_by("pk").values(*HANDOVER_FIGURES)),
        "claims": list(Claim.objects.order_by("pk").values(*CLAIM_FIGURES)),
        "payments": list(DirectPayment.objects.order_by("pk").values()),
    }


def personal_text(claim: Claim) -> str:
    return " ".join([claim.line, json.dumps(claim.warnings), claim.withdrawal_reason])


def test_purge_deletes_the_file_and_personal_data_of_handovers_past_retention(
    old, recent
):
    recent_line = recent.claims.get().line

    result = purge.purge(today=TODAY)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (result.handovers, result.claims, result.file_parts) == (1, 2, 1)
    assert result.before == at(2016, 1, 1, 0, 0)
    assert old.purged_at is not None
    assert not old.file_parts.exists()
    assert recent.purged_at is None
    assert recent.file_parts.count() == 1
    assert recent.claims.get().line == recent_line


def test_a_purged_claim_keeps_only_invoice_number_amount_dates_and_type(old):
    before = {claim.pk: claim.values for claim in old.claims.all()}

    purge.purge(today=TODAY)

    for claim in old.claims.all():
        values = dict(zip(HEADERS, before[claim.pk], strict=True))
        assert dict(zip(HEADERS, claim.values, strict=True)) == {
            header: values[header] if header in KEPT else "" for header in HEADERS
        }


def test_purge_leaves_no_debtor_data_in_the_claims(old):
    assert all(
        any(value in personal_text(claim) for value in PERSONAL)
        for claim in old.claims.all()
    )

    purge.purge(today=TODAY)

    for claim in old.claims.all():
        text = personal_text(claim)
        assert [value for value in PERSONAL if value in text] == []
    paid, withdrawn = old.claims.order_by("row_number")
    assert [problem.message for problem in paid.problems] == [
        "The debtor lives abroad (–).",
        "First name: characters changed for the file (–).",
    ]
    assert withdrawn.withdrawal_reason == "–"


def test_purge_keeps_amounts_dates_counts_file_numbers_and_states(old, recent):
    kept = figures()

    purge.purge(today=TODAY)

    assert figures() == kept
    assert [claim.state for claim in old.claims.order_by("row_number")] == [
        Claim.State.OPEN,
        Claim.State.WITHDRAWN,
    ]
    assert old.claims.first().direct_payments.count() == 1


def test_the_retention_counts_full_years_after_the_year_of_the_handover(db):
    new_years_eve = handover_at(at(2015, 12, 31, 23, 30))
    new_year = handover_at(at(2016, 1, 1, 0, 30))

    assert purge.purge(today=datetime.date(2025, 12, 31)).handovers == 0
    assert purge.purge(today=datetime.date(2026, 1, 1)).handovers == 1

    new_years_eve.refresh_from_db()
    new_year.refresh_from_db()
    assert new_years_eve.purged_at is not None
    assert new_year.purged_at is None


def test_a_longer_retention_keeps_more(settings, old):
    settings.INKASSO_RETENTION_YEARS = 11

    assert purge.purge(today=TODAY).handovers == 0
    assert purge.purge(today=datetime.date(2027, 1, 1)).handovers == 1


def test_a_retention_longer_than_the_calendar_purges_nothing(settings, old):
    settings.INKASSO_RETENTION_YEARS = 5000

    assert purge.purge(today=TODAY).handovers == 0


def test_purge_is_idempotent(old, recent):
    purge.purge(today=TODAY)
    once = ledger()

    again = purge.purge(today=TODAY)

    assert (again.handovers, again.claims, again.file_parts) == (0, 0, 0)
    assert ledger() == once


def test_a_dry_run_counts_and_changes_nothing(old, recent):
    unchanged = ledger()

    result = purge.purge(today=TODAY, dry_run=True)

    assert (result.handovers, result.claims, result.file_parts) == (1, 2, 1)
    assert ledger() == unchanged


def test_a_line_with_quoted_values_keeps_its_columns():
    values = ["Anna", "Müller; Sohn", *[""] * 10, "R-1", "12,50"]
    values += ['Rechnung R-1: 1 x "Kaffee"', "01.02.2015", "01.03.2015", "1"]
    line = ";".join(f'"{v.replace(chr(34), 2 * chr(34))}"' for v in values)

    purged = purge.purged_line(line)

    assert purged == ";".join([""] * 12 + ["R-1", "12,50", "", "01.02.2015"]) + (
        ";01.03.2015;1"
    )


@pytest.mark.parametrize("line", ["", "a;b", 'unclosed "quote'])
def test_a_line_that_is_not_18_values_is_emptied(line):
    assert purge.purged_line(line) == ""


def test_a_warning_stored_as_a_sentence_is_replaced():
    assert purge.purged_warning("Aylın: Zeichen ersetzt") == {
        "code": "legacy",
        "params": {"text": "–"},
    }


def _command(*args) -> str:
    stderr = io.StringIO()
    call_command("inkasso_purge", *args, stdout=io.StringIO(), stderr=stderr)
    return stderr.getvalue()


def test_the_command_purges_and_says_how_much(old, recent):
    output = _command("--today", "2026-06-01")

    assert output == (
        "Purged 1 handover from before 2016-01-01: 1 file part and the personal "
        "data of 2 claims.\n"
    )
    old.refresh_from_db()
    assert old.purged_at is not None


def test_the_command_dry_run_says_what_it_would_purge(old):
    unchanged = ledger()

    output = _command("--dry-run", "--today", "2026-06-01")

    assert output == (
        "Dry run, nothing deleted. To purge: 1 handover from before 2016-01-01: "
        "1 file part and the personal data of 2 claims.\n"
    )
    assert ledger() == unchanged


def test_the_command_says_when_there_is_nothing_to_purge(old):
    assert _command("--today", "2025-12-31") == (
        "Nothing to purge: no handover before 2015-01-01.\n"
    )


def test_the_command_counts_from_today_without_today(old):
    assert _command().startswith("Purged 1 handover from before ")


def test_the_command_cannot_run_with_a_bad_retention(settings, old):
    settings.INKASSO_RETENTION_YEARS = "10"

    with pytest.raises(CommandError) as error:
        call_command("inkasso_purge", stderr=io.StringIO())

    assert error.value.returncode == 2
    old.refresh_from_db()
    assert old.purged_at is None


def test_the_command_refuses_a_date_that_is_not_one(old, capsys):
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(
            ["manage.py", "inkasso_purge", "--today", "1.6.2026"]
        ).execute()

    assert exit.value.code == 2
    assert "'1.6.2026' is not a date like 2026-01-31" in capsys.readouterr().err
    old.refresh_from_db()
    assert old.purged_at is None


def test_the_purge_logs_no_personal_data(old, caplog):
    caplog.set_level(logging.DEBUG)

    _command("--today", "2026-06-01")

    assert f"Handover {old.pk} purged (claims: 2, file parts: 1)." in caplog.messages
    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    assert [value for value in PERSONAL if value in logged] == []


def test_the_admin_pages_of_a_purged_handover_and_claim_render(clerk_client, old):
    purge.purge(today=TODAY)
    claim = old.claims.order_by("row_number").first()

    handover_page = clerk_client.get(
        reverse("admin:inkasso_handover_change", args=[old.pk])
    )
    handover_list = clerk_client.get(reverse("admin:inkasso_handover_changelist"))
    claim_page = clerk_client.get(
        reverse("admin:inkasso_claim_change", args=[claim.pk])
    )
    order_page = clerk_client.get(
        reverse("admin:shop_order_inkasso", args=[claim.order_id])
    )

    download = reverse("admin:inkasso_handover_download", args=[old.pk])
    assert handover_page.status_code == 200
    assert "were deleted on" in handover_page.text
    assert download not in handover_page.text
    assert handover_list.status_code == 200
    assert "Deleted on" in handover_list.text
    assert download not in handover_list.text
    assert claim_page.status_code == 200
    assert "personal data was deleted on" in claim_page.text
    assert claim.invoice_number in claim_page.text
    assert order_page.status_code == 200
    assert download not in order_page.text


def test_the_download_of_a_purged_handover_says_it_was_deleted(clerk_client, old):
    purge.purge(today=TODAY)

    response = clerk_client.get(
        reverse("admin:inkasso_handover_download", args=[old.pk])
    )

    assert response.status_code == 410
    assert not response.streaming
    assert "were deleted on" in response.text
    assert "retention ended" in response.text


def test_the_file_of_a_purged_handover_is_refused_not_written_empty(old, tmp_path):
    purge.purge(today=datetime.date(2026, 6, 1))
    target = tmp_path / "again.csv"
    utility = ManagementUtility(
        ["manage.py", "inkasso_export", "--handover", str(old.pk), "-o", str(target)]
    )
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(stderr):
        utility.execute()

    assert exit_info.value.code == 2
    assert f"The file of handover {old.pk} was deleted on" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    assert not target.exists()
