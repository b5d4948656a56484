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
        executor.migrate(executor.loader.graph.leaf_nodes("inkasso"))
    claim = Claim.objects.get()
    assert claim.line == 'Käthe;"Sa;lz ""Bad""";' + ";".join(map(str, range(16)))
    assert claim.values == values
