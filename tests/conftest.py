import pytest

from tests.factories import UserFactory

HANDOVER_PERMISSIONS = [
    "shop.view_order",
    "shop.change_order",
    "inkasso.hand_over",
]


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
