import pytest
from django.conf import settings

OTHERSHOP_SETTINGS = "tests.othershop.settings"

if settings.SETTINGS_MODULE != OTHERSHOP_SETTINGS:
    # The order model setting is read when the models load, so these tests run
    # only in their own process: `pytest tests/othershop` (see pytest.ini here).
    collect_ignore_glob = ["*"]

HANDOVER_PERMISSIONS = [
    "othershop.view_purchase",
    "othershop.change_purchase",
    "inkasso.hand_over",
]


@pytest.fixture
def clerk(db):
    """A back-office clerk of the second shop who may hand over claims."""
    from tests.users import UserFactory

    return UserFactory(username="buchhaltung", permissions=HANDOVER_PERMISSIONS)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
