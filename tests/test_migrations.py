from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_claims_recorded_as_json_keep_their_values_as_a_line():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from inkasso.models import Claim
    from tests.factories import OrderFactory

    order = OrderFactory()
    values = ["Käthe", 'Sa;lz "Bad"', *[str(n) for n in range(16)]]
    executor = MigrationExecutor(connection)
    executor.migrate([("inkasso", "0001_initial")])
    try:
        apps = executor.loader.project_state([("inkasso", "0001_initial")]).apps
        handover = apps.get_model("inkasso", "Handover").objects.create(
            source="command", encoding="cp1252", header_row=True
        )
        apps.get_model("inkasso", "Claim").objects.create(
            handover=handover,
            order_id=order.pk,
            row_number=1,
            invoice_number="R-1",
            amount="12.30",
            values=values,
        )
    finally:
        executor = MigrationExecutor(connection)
        # Every app: going back in inkasso also unapplied shop 0003, which
    # depends on the dunning ledger.
    executor.migrate(executor.loader.graph.leaf_nodes())
    claim = Claim.objects.get()
    assert claim.line == 'Käthe;"Sa;lz ""Bad""";' + ";".join(map(str, range(16)))
    assert claim.values == values


def _at_0003(connection):
    """Migrate inkasso back to 0003; return the apps of that state."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    target = [("inkasso", "0003_direct_payment_reported_by")]
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _forward(connection):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    # Every app: going back in inkasso also unapplied shop 0003, which
    # depends on the dunning ledger.
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_warnings_stored_as_sentences_become_problem_codes_that_show_them():
    from django.db import connection

    from inkasso.models import Claim
    from tests.factories import OrderFactory

    order = OrderFactory()
    apps = _at_0003(connection)
    try:
        handover = apps.get_model("inkasso", "Handover").objects.create(
            source="command", encoding="cp1252", header_row=True
        )
        apps.get_model("inkasso", "Claim").objects.create(
            handover=handover,
            order_id=order.pk,
            row_number=1,
            invoice_number="R-1",
            amount="12.30",
            line="x",
            warnings=["Nachname: Zeichen für die Datei umgeschrieben (Ł → L)."],
        )
    finally:
        _forward(connection)
    claim = Claim.objects.get()
    assert claim.warnings == [
        {
            "code": "legacy",
            "params": {
                "text": "Nachname: Zeichen für die Datei umgeschrieben (Ł → L)."
            },
        }
    ]
    assert [p.message for p in claim.problems] == [
        "Nachname: Zeichen für die Datei umgeschrieben (Ł → L)."
    ]
    assert claim.invoice_date is None


@pytest.mark.django_db(transaction=True)
def test_two_open_claims_for_one_invoice_number_stop_the_migration_with_names():
    from django.db import connection

    from tests.factories import OrderFactory

    first, second = OrderFactory(), OrderFactory()
    apps = _at_0003(connection)
    Claim = apps.get_model("inkasso", "Claim")
    handover = apps.get_model("inkasso", "Handover").objects.create(
        source="command", encoding="cp1252", header_row=True
    )
    for row, order in enumerate([first, second], start=1):
        Claim.objects.create(
            handover=handover,
            order_id=order.pk,
            row_number=row,
            invoice_number="R-DOUBLE",
            amount="1.00",
            line="x",
        )
    try:
        with pytest.raises(RuntimeError, match="R-DOUBLE.*Withdraw the wrong claims"):
            _forward(connection)
    finally:
        Claim.objects.filter(row_number=2).update(state="withdrawn")
        _forward(connection)


@pytest.mark.django_db(transaction=True)
def test_the_shops_own_dunning_letters_move_into_the_ledger():
    import datetime
    from decimal import Decimal

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from inkasso.models import Letter
    from inkasso.selectors import checked_claims
    from tests.factories import DueOrderFactory, PaymentFactory

    order = DueOrderFactory(letter=None)  # one line of 2 x 49.90
    PaymentFactory(order=order, amount=Decimal("10.00"), received_on=order.due_date)
    before = [("shop", "0002_dunning_letter_last_letter_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        letters = apps.get_model("shop", "DunningLetter").objects
        day = order.due_date + datetime.timedelta(days=3)
        letters.create(order_id=order.pk, level=0, sent_on=day, deadline=day)
        letters.create(order_id=order.pk, level=3, sent_on=day, deadline=None)
        # The same level twice: the later one is the one the handover counted.
        later = day + datetime.timedelta(days=10)
        letters.create(order_id=order.pk, level=3, sent_on=later, fee="5.00")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    reminder, mahnung = Letter.objects.filter(order=order).order_by("level")
    assert (reminder.level, reminder.is_mahnung, mahnung.is_mahnung) == (0, False, True)
    assert (mahnung.sent_on, mahnung.fee) == (later, Decimal("5.00"))
    assert mahnung.deadline == later + datetime.timedelta(days=7)  # grace days
    assert mahnung.amount == Decimal("89.80")  # 99.80 less the payment
    assert {reminder.status, mahnung.status} == {"sent"}
    assert not mahnung.has_copy
    [[claim]] = checked_claims(
        order_ids=[order.pk], today=later + datetime.timedelta(days=8)
    )
    assert claim.ok, claim.errors
