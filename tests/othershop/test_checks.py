"""The second shop passes the system checks, and its mistakes are named."""

from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from inkasso.models import Claim

from .inkasso_adapter import PurchaseAdapter
from .models import Purchase


class MisspelledStatusAdapter(PurchaseAdapter):
    status_field = "status"


class OwnFlowAdapter(PurchaseAdapter):
    """A shop without a status field implements the two methods itself."""

    status_field = None

    def due_orders(self, *, today):
        return Purchase.objects.filter(pay_until__lt=today)

    def mark_handed_over(self, order_ids, *, handover):
        pass


def inkasso_check_ids() -> list[str]:
    return sorted(e.id for e in run_checks() if e.id.startswith("inkasso."))


def test_the_second_shop_is_configured_without_errors():
    assert inkasso_check_ids() == []


def test_a_status_field_the_purchase_lacks_is_named(settings):
    settings.INKASSO_ADAPTER = "tests.othershop.test_checks.MisspelledStatusAdapter"

    [error] = [e for e in run_checks() if e.id.startswith("inkasso.")]

    assert error.id == "inkasso.E014"
    assert "'status'" in error.msg
    assert "othershop.Purchase" in error.msg


def test_an_adapter_without_status_defaults_implements_its_own_flow(settings):
    settings.INKASSO_ADAPTER = "tests.othershop.test_checks.OwnFlowAdapter"
    assert inkasso_check_ids() == []


def test_the_order_model_setting_points_at_the_purchase_of_another_app(settings):
    settings.INKASSO_ORDER_MODEL = "othershop.Order"
    assert inkasso_check_ids() == ["inkasso.E002"]


def test_the_ledger_links_to_the_purchase_model():
    assert Claim._meta.get_field("order").related_model is Purchase


def test_the_ledger_migration_depends_on_the_first_migration_of_the_host_app():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph

    assert ("othershop", "0001_initial") in graph.node_map[
        ("inkasso", "0001_initial")
    ].parents


@pytest.mark.django_db
def test_models_and_migrations_agree_in_the_second_shop():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
