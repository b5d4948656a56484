"""Malformed ids and selections, against this shop's UUID-keyed purchases."""

import pytest
from django.core import signing
from django.urls import reverse

from inkasso import selection
from inkasso.models import Claim
from tests.test_malformed_urls import (  # noqa: F401 (collected here as well)
    test_every_inkasso_url_answers_a_malformed_id_with_404,
    test_the_admin_has_the_inkasso_urls_this_test_walks,
)

from .factories import DuePurchaseFactory


@pytest.mark.parametrize(
    "key",
    [
        "not-a-uuid",
        5,
        "00000000000000000000000000000005",
        "urn:uuid:00000000-0000-0000-0000-000000000005",
    ],
)
def test_a_signed_selection_with_a_key_that_is_not_a_uuid_is_a_bad_request(
    clerk_client, clerk, key
):
    purchase = DuePurchaseFactory()
    token = signing.dumps(
        {"user": str(clerk.pk), "orders": [str(purchase.pk), key]},
        salt=selection.SALT,
        compress=True,
    )

    response = clerk_client.post(
        reverse("admin:othershop_purchase_inkasso_hand_over"),
        {
            "confirm": "yes",
            "selection": token,
            "encoding": "cp1252",
        },
    )

    assert response.status_code == 400
    assert not Claim.objects.exists()
