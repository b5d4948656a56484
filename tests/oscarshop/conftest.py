import pytest
from django.conf import settings

OSCARSHOP_SETTINGS = "tests.oscarshop.settings"

if settings.SETTINGS_MODULE != OSCARSHOP_SETTINGS:
    # Oscar's apps and its order model are installed only in this shop, so
    # these tests run in their own process: `pytest tests/oscarshop`.
    collect_ignore_glob = ["*"]

HANDOVER_PERMISSIONS = [
    "order.view_order",
    "order.change_order",
    "inkasso.hand_over",
]


@pytest.fixture(autouse=True)
def english_unless_asked(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clerk(db):
    """A member of the shop's staff who may hand over claims."""
    from tests.users import UserFactory

    return UserFactory(username="buchhaltung", permissions=HANDOVER_PERMISSIONS)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
