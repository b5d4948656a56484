"""The ledger pages inside a second AdminSite link within that site.

The module is its own URLconf: the default admin at ``/admin/`` and a second
site at ``/back-office/`` with the same registrations. A link built without
``current_app`` would lead into ``/admin/``.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path

from inkasso import services
from tests.factories import DueOrderFactory, days_ago

back_office = admin.AdminSite(name="back_office")
for model, model_admin in admin.site._registry.items():
    back_office.register(model, type(model_admin))

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("back-office/", back_office.urls),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def hand_over(*orders):
    return services.hand_over(
        order_ids=[order.pk for order in orders], source="admin", user=None
    ).handover


def links_stay_in_the_back_office(page: str) -> None:
    assert 'href="/back-office/' in page
    assert 'href="/admin/' not in page
    assert 'action="/admin/' not in page


@pytest.fixture
def claim(clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    services.record_file_number(claim=claim, file_number="12345678901", user=clerk)
    services.record_direct_payment(
        claim=claim, amount=Decimal("1.00"), received_on=days_ago(1), user=clerk
    )
    return claim


@pytest.mark.parametrize(
    "url",
    [
        "/back-office/inkasso/handover/",
        "/back-office/inkasso/handover/{handover}/change/",
        "/back-office/inkasso/claim/",
        "/back-office/inkasso/claim/{claim}/change/",
        "/back-office/inkasso/claim/{claim}/withdraw/",
        "/back-office/inkasso/claim/import/",
        "/back-office/inkasso/directpayment/",
    ],
)
def test_every_ledger_page_links_within_its_site(clerk_client, claim, url):
    response = clerk_client.get(url.format(handover=claim.handover_id, claim=claim.pk))

    assert response.status_code == 200
    links_stay_in_the_back_office(response.content.decode())


def test_the_import_preview_and_its_confirmation_stay_in_the_site(clerk_client):
    claim = hand_over(DueOrderFactory()).claims.get()
    upload = SimpleUploadedFile(
        "az.csv",
        f"Rechnungsnr;Aktenzeichen\r\n{claim.invoice_number};12345678901\r\n".encode(),
    )

    preview = clerk_client.post(
        "/back-office/inkasso/claim/import/", {"format": "0", "import_file": upload}
    )

    page = preview.content.decode()
    assert 'action="/back-office/inkasso/claim/process_import/"' in page
    links_stay_in_the_back_office(page)


def test_a_withdrawal_returns_to_the_claim_in_its_site(clerk_client, claim):
    response = clerk_client.post(
        f"/back-office/inkasso/claim/{claim.pk}/withdraw/", {"reason": "bezahlt"}
    )

    assert response.url == f"/back-office/inkasso/claim/{claim.pk}/change/"


def test_a_purged_handover_file_page_links_within_its_site(clerk_client, claim):
    from django.utils import timezone

    from inkasso.models import Handover

    Handover.objects.filter(pk=claim.handover_id).update(purged_at=timezone.now())

    response = clerk_client.get(
        f"/back-office/inkasso/handover/{claim.handover_id}/download/"
    )

    assert response.status_code == 410
    links_stay_in_the_back_office(response.content.decode())
