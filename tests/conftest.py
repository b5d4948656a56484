import pytest

from tests.users import UserFactory

HANDOVER_PERMISSIONS = [
    "shop.view_order",
    "shop.change_order",
    "inkasso.hand_over",
]


@pytest.fixture(autouse=True)
def english_unless_asked(settings):
    """Run tests in English; a test that wants German asks for it.

    The demo shop falls back to German, and the German catalogue would turn
    every message a test compares into German.
    """
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clerk(db):
    """A back-office clerk who may hand over claims."""
    return UserFactory(username="clerk", permissions=HANDOVER_PERMISSIONS)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def staff_without_permission(db):
    """Staff who may see and edit orders, but not hand them over."""
    return UserFactory(
        username="staff", permissions=["shop.view_order", "shop.change_order"]
    )
