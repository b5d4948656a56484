"""``manage.py check`` names every mistake in ``INKASSO_OSCAR``."""

import pytest
from django.core.checks import run_checks
from django.urls import resolve


def ids() -> list[str]:
    return sorted(
        message.id
        for message in run_checks()
        if message.id and message.id.startswith(("inkasso_oscar.", "inkasso."))
    )


def test_the_shop_settings_pass_every_check():
    assert ids() == []


def test_the_app_sets_the_order_model_and_the_adapter(settings):
    assert settings.INKASSO_ORDER_MODEL == "order.Order"
    assert settings.INKASSO_ADAPTER == "inkasso.contrib.oscar.adapter.OscarOrderAdapter"


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"COLLECTION_STATUS": None}, "inkasso_oscar.E003"),
        ({"COLEKTION_STATUS": "x"}, "inkasso_oscar.E002"),
        ({"COMPLETE_STATUSES": "Complete"}, "inkasso_oscar.E004"),
        ({"PAYMENT_TERMS": {"invoice": {"days": -1}}}, "inkasso_oscar.E005"),
        (
            {"PAYMENT_TERMS": {"invoice": {"days": 14, "after": "x"}}},
            "inkasso_oscar.E005",
        ),
        ({"CLAIM_TYPES": {"invoice": "goodz"}}, "inkasso_oscar.E006"),
        ({"MAHNUNG_EVENT_TYPES": {"MAHNUNG": "14"}}, "inkasso_oscar.E007"),
        ({"COMPANY_FIELD": "firma"}, "inkasso_oscar.E010"),
        ({"WITHDRAWN_STATUS": "Pending"}, "inkasso_oscar.E011"),
        ({"COLLECTION_STATUS": "Inkasso läuft"}, "inkasso_oscar.W001"),
    ],
)
def test_a_mistake_has_its_own_id(settings, change, expected):
    settings.INKASSO_OSCAR = {**settings.INKASSO_OSCAR, **change}

    assert expected in ids()


def test_a_setting_that_is_no_dict(settings):
    settings.INKASSO_OSCAR = ["Inkasso"]

    assert ids() == ["inkasso_oscar.E001"]


def test_another_order_model_is_refused(settings):
    settings.INKASSO_ADAPTER = "tests.oscarshop.test_checks.NotAnAdapter"

    assert "inkasso_oscar.E009" in ids()


class NotAnAdapter:
    pass


def test_the_order_panel_needs_the_app_above_oscars(settings):
    from django.apps import apps

    oscar_templates = apps.get_app_config("oscar").path + "/templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [oscar_templates]}]

    assert ids() == ["inkasso_oscar.W003"]


#: A shop's URLs without the Inkasso pages (for the check below).
urlpatterns = []


def test_the_dashboard_pages_are_routed_by_settings_alone():
    from tests.oscarshop import urls

    assert not any("inkasso" in str(pattern.pattern) for pattern in urls.urlpatterns)
    assert resolve("/dashboard/inkasso/").view_name == "inkasso_oscar:orders"


def test_dashboard_pages_without_a_url_are_an_error(settings):
    settings.ROOT_URLCONF = __name__

    assert ids() == ["inkasso_oscar.E012"]
