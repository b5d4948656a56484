"""Every misconfiguration a host shop can make has a system check with a stable id."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from import_export import widgets
from import_export.fields import Field

from inkasso.adapters import ClaimData, OrderAdapter
from inkasso.resources import MediafinanzResource


def inkasso_check_ids() -> list[str]:
    return sorted(error.id for error in run_checks() if error.id.startswith("inkasso."))


class NotAnAdapter:
    def claim_data(self, order, *, today):
        return ClaimData()


class ClaimDataOnlyAdapter(OrderAdapter):
    def claim_data(self, order, *, today: datetime.date) -> ClaimData:
        return ClaimData()


class StatusAdapter(ClaimDataOnlyAdapter):
    status_field = "status"
    collection_status = "collection"


class StatusWithoutValueAdapter(ClaimDataOnlyAdapter):
    status_field = "status"


class NoSuchStatusFieldAdapter(ClaimDataOnlyAdapter):
    status_field = "state"
    collection_status = "inkasso"


class RelationAsStatusAdapter(ClaimDataOnlyAdapter):
    status_field = "lines"
    collection_status = "inkasso"


class AdapterWithArguments(StatusAdapter):
    def __init__(self, api_key):
        self.api_key = api_key


AN_ADAPTER_INSTANCE = StatusAdapter()


class ReorderedResource(MediafinanzResource):
    class Meta(MediafinanzResource.Meta):
        export_order = (
            "nachname",
            "vorname",
            *MediafinanzResource.Meta.export_order[2:],
        )


class PlainWidgetResource(MediafinanzResource):
    firma = Field(attribute="company", column_name="Firma", widget=widgets.CharWidget())


class RenamedResource(MediafinanzResource):
    def get_export_headers(self, *args, **kwargs):
        headers = super().get_export_headers(*args, **kwargs)
        return ["Name" if header == "Nachname" else header for header in headers]


class ExtraColumnResource(MediafinanzResource):
    def get_export_headers(self, *args, **kwargs):
        return [*super().get_export_headers(*args, **kwargs), "Notiz"]


def test_the_demo_shop_is_configured_without_errors():
    assert inkasso_check_ids() == []


def test_a_missing_order_model_setting_is_reported(settings):
    del settings.INKASSO_ORDER_MODEL
    assert inkasso_check_ids() == ["inkasso.E001"]


def test_a_shop_without_the_order_model_setting_starts_and_check_names_it(tmp_path):
    # The ledger's foreign key is built when the models load; this proves a
    # real process gets as far as the check instead of a traceback.
    (tmp_path / "no_order_model.py").write_text(
        "from shop.settings import *  # noqa: F403\ndel INKASSO_ORDER_MODEL\n"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        capture_output=True,
        text=True,
        cwd=root,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "no_order_model",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)]),
        },
    )

    assert result.returncode == 1
    assert "(inkasso.E001) INKASSO_ORDER_MODEL is not set." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("model", ["shop.Invoice", "cart.Order", "shop_order", ""])
def test_an_order_model_that_is_not_installed_is_reported(settings, model):
    settings.INKASSO_ORDER_MODEL = model
    assert inkasso_check_ids() == ["inkasso.E002"]


def test_a_missing_adapter_setting_is_reported(settings):
    del settings.INKASSO_ADAPTER
    assert inkasso_check_ids() == ["inkasso.E003"]


@pytest.mark.parametrize(
    "path",
    ["shop.collection.NoSuchAdapter", "shop.no_such_module.Adapter", "adapter"],
)
def test_an_adapter_that_cannot_be_imported_is_reported(settings, path):
    settings.INKASSO_ADAPTER = path
    assert inkasso_check_ids() == ["inkasso.E004"]


@pytest.mark.parametrize(
    "path",
    [
        "tests.test_system_checks.NotAnAdapter",
        "tests.test_system_checks.AN_ADAPTER_INSTANCE",
    ],
)
def test_an_adapter_that_is_not_an_order_adapter_class_is_reported(settings, path):
    settings.INKASSO_ADAPTER = path
    assert inkasso_check_ids() == ["inkasso.E005"]


@pytest.mark.parametrize(
    "name, missing",
    [
        ("OrderAdapter", "claim_data, due_orders, mark_handed_over"),
        ("ClaimDataOnlyAdapter", "due_orders, mark_handed_over"),
        ("StatusWithoutValueAdapter", "due_orders, mark_handed_over"),
    ],
)
def test_an_incomplete_adapter_is_reported_with_what_it_lacks(settings, name, missing):
    module = (
        "inkasso.adapters" if name == "OrderAdapter" else "tests.test_system_checks"
    )
    settings.INKASSO_ADAPTER = f"{module}.{name}"
    [error] = [e for e in run_checks() if e.id.startswith("inkasso.")]
    assert error.id == "inkasso.E006"
    assert error.msg.endswith(f"does not implement {missing}.")


def test_an_adapter_with_status_field_and_value_needs_only_claim_data(settings):
    settings.INKASSO_ADAPTER = "tests.test_system_checks.StatusAdapter"
    assert inkasso_check_ids() == []


def test_an_adapter_that_needs_constructor_arguments_is_reported(settings):
    settings.INKASSO_ADAPTER = "tests.test_system_checks.AdapterWithArguments"
    assert inkasso_check_ids() == ["inkasso.E013"]


@pytest.mark.parametrize(
    "name", ["NoSuchStatusFieldAdapter", "RelationAsStatusAdapter"]
)
def test_a_status_field_that_the_order_model_lacks_is_reported(settings, name):
    settings.INKASSO_ADAPTER = f"tests.test_system_checks.{name}"
    assert inkasso_check_ids() == ["inkasso.E014"]


def test_a_resource_that_cannot_be_imported_is_reported(settings):
    settings.INKASSO_RESOURCE = "shop.resources.NoSuchResource"
    assert inkasso_check_ids() == ["inkasso.E007"]


def test_a_resource_that_is_not_a_mediafinanz_resource_is_reported(settings):
    settings.INKASSO_RESOURCE = "import_export.resources.Resource"
    assert inkasso_check_ids() == ["inkasso.E008"]


@pytest.mark.parametrize(
    "name", ["ReorderedResource", "RenamedResource", "ExtraColumnResource"]
)
def test_a_resource_that_changes_the_18_headers_or_their_order_is_reported(
    settings, name
):
    settings.INKASSO_RESOURCE = f"tests.test_system_checks.{name}"
    assert inkasso_check_ids() == ["inkasso.E009"]


def test_a_resource_with_a_widget_that_does_not_clean_values_is_reported(settings):
    settings.INKASSO_RESOURCE = "tests.test_system_checks.PlainWidgetResource"
    assert inkasso_check_ids() == ["inkasso.E018"]


@pytest.mark.parametrize("encoding", ["no-such-codec", "utf-16", "cp037", "utf-32"])
def test_an_encoding_that_cannot_be_used_is_reported(settings, encoding):
    settings.INKASSO_ENCODING = encoding
    assert inkasso_check_ids() == ["inkasso.E010"]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8", "latin-1"])
def test_an_ascii_compatible_encoding_is_accepted(settings, encoding):
    settings.INKASSO_ENCODING = encoding
    assert inkasso_check_ids() == []


@pytest.mark.parametrize(
    "codes",
    [
        {"female": ""},
        {"male": None},
        {"male": "herr-und-frau"},
        {"diverse": "d"},
    ],
)
def test_bad_salutation_codes_are_reported(settings, codes):
    settings.INKASSO_SALUTATION_CODES = codes
    assert inkasso_check_ids() == ["inkasso.E011"]


def test_other_salutation_codes_are_accepted(settings):
    settings.INKASSO_SALUTATION_CODES = {"female": "w"}
    assert inkasso_check_ids() == []


@pytest.mark.parametrize("days", [-1, "7", 7.5, True])
def test_bad_dunning_grace_days_are_reported(settings, days):
    settings.INKASSO_DUNNING_GRACE_DAYS = days
    assert inkasso_check_ids() == ["inkasso.E012"]


@pytest.mark.parametrize("value", ["no", 0, None])
def test_a_header_row_setting_that_is_not_a_boolean_is_reported(settings, value):
    settings.INKASSO_HEADER_ROW = value
    assert inkasso_check_ids() == ["inkasso.E015"]


@pytest.mark.parametrize("amount", ["zehn", "10,00", "-1", "NaN", "Infinity"])
def test_a_minimum_amount_that_is_not_an_amount_is_reported(settings, amount):
    settings.INKASSO_MINIMUM_AMOUNT = amount
    assert inkasso_check_ids() == ["inkasso.E016"]


@pytest.mark.parametrize("size", [0, -5, "2000", 100.0])
def test_a_chunk_size_that_is_not_a_positive_whole_number_is_reported(settings, size):
    settings.INKASSO_CHUNK_SIZE = size
    assert inkasso_check_ids() == ["inkasso.E017"]


@pytest.mark.parametrize("years", [0, -1, "10", 10.0, True, None])
def test_a_retention_that_is_not_a_whole_number_of_years_is_reported(settings, years):
    settings.INKASSO_RETENTION_YEARS = years
    assert inkasso_check_ids() == ["inkasso.E020"]


@pytest.mark.parametrize("years", [1, 6, 10, 30])
def test_a_retention_in_whole_years_is_accepted(settings, years):
    settings.INKASSO_RETENTION_YEARS = years
    assert inkasso_check_ids() == []


@pytest.mark.parametrize(
    "seconds", [0, -1, 15000, "15", True, None, float("nan"), float("inf")]
)
def test_a_lock_timeout_that_is_not_a_sensible_number_of_seconds_is_reported(
    settings, seconds
):
    settings.INKASSO_LOCK_TIMEOUT = seconds
    assert inkasso_check_ids() == ["inkasso.E019"]


@pytest.mark.parametrize("seconds", [0.5, 1, 30, 3600])
def test_a_lock_timeout_in_seconds_is_accepted(settings, seconds):
    settings.INKASSO_LOCK_TIMEOUT = seconds
    assert inkasso_check_ids() == []


def test_several_misconfigurations_are_reported_together(settings):
    settings.INKASSO_ENCODING = "utf-16"
    settings.INKASSO_CHUNK_SIZE = 0
    settings.INKASSO_RESOURCE = "tests.test_system_checks.ReorderedResource"
    assert inkasso_check_ids() == ["inkasso.E009", "inkasso.E010", "inkasso.E017"]
