"""403 inside the admin: the admin's layout, the missing permission in clerk words,
the group that has it and whom to ask, in German and English.

The demo's root URLconf sets ``handler403 = "inkasso.clerk.permission_denied"``;
``templates/403.html`` extends ``admin/base_site.html`` there.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from inkasso import clerk, services
from tests.factories import DueOrderFactory
from tests.users import UserFactory

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def templates(response):
    return [template.name for template in response.templates]


@pytest.fixture
def people(db):
    """The one who manages users, and a staff user who may only look at orders."""
    get_user_model().objects.create_superuser(
        "admin", password="secret", first_name="Greta", last_name="Berger"
    )
    return UserFactory(username="staff", permissions=["shop.view_order"])


@pytest.fixture
def staff_client(client, people):
    client.force_login(people)
    return client


@pytest.mark.django_db
def test_the_ledger_says_in_german_which_permission_is_missing(staff_client):
    call_command(
        "inkasso_setup", "--group", "Inkasso-Sachbearbeitung", stdout=io.StringIO()
    )

    response = staff_client.get(reverse("admin:inkasso_handover_changelist"), **GERMAN)

    assert response.status_code == 403
    assert "403.html" in templates(response)
    assert "admin/base_site.html" in templates(response)
    page = response.content.decode()
    assert "<title>Kein Zugriff auf diese Seite |" in page
    assert "Demo-Shop" in page  # the site header of the demo's admin
    assert 'id="user-tools"' in page
    assert "Für diese Seite fehlt Ihrem Benutzerkonto diese Berechtigung:" in page
    assert (
        "<strong>Darf Forderungen an mediafinanz übergeben und Übergabedateien "
        "herunterladen</strong> <code>inkasso.hand_over</code>" in page
    )
    assert "Mitglieder der Gruppe „Inkasso-Sachbearbeitung“ haben sie." in page
    assert "Bitten Sie <strong>Greta Berger</strong> um Zugriff" in page
    assert "403 Forbidden" not in page


@pytest.mark.django_db
def test_the_ledger_says_in_english_which_permission_is_missing(staff_client):
    call_command("inkasso_setup", "--group", "Collection clerk", stdout=io.StringIO())

    response = staff_client.get(reverse("admin:inkasso_handover_changelist"), **ENGLISH)

    assert response.status_code == 403
    assert "admin/base_site.html" in templates(response)
    page = response.content.decode()
    assert "<title>No access to this page |" in page
    assert "This page needs a permission that your account does not have:" in page
    assert (
        "<strong>Can hand over claims to mediafinanz and download handover "
        "files</strong> <code>inkasso.hand_over</code>" in page
    )
    assert "Members of the group “Collection clerk” have it." in page
    assert "Ask <strong>Greta Berger</strong> for access" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "words"),
    [
        (GERMAN, "Darf Zahlungserinnerungen und Mahnungen versenden"),
        (ENGLISH, "Can send payment reminders and dunning letters"),
    ],
)
def test_the_letters_need_the_reminder_permission(staff_client, headers, words):
    response = staff_client.get(reverse("admin:inkasso_letter_changelist"), **headers)

    assert response.status_code == 403
    page = response.content.decode()
    assert f"<strong>{words}</strong> <code>inkasso.send_reminders</code>" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "words"), [(GERMAN, "Bestellungen ansehen"), (ENGLISH, "View orders")]
)
def test_the_order_list_names_the_view_permission_on_orders(client, db, headers, words):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("admin:shop_order_changelist"), **headers)

    assert response.status_code == 403
    assert f"<strong>{words}</strong> <code>shop.view_order</code>" in (
        response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "words"), [(GERMAN, "Bestellungen ändern"), (ENGLISH, "Change orders")]
)
def test_saving_an_order_names_the_change_permission(staff_client, headers, words):
    order = DueOrderFactory()

    response = staff_client.post(
        reverse("admin:shop_order_change", args=[order.pk]), {}, **headers
    )

    assert response.status_code == 403
    assert f"<strong>{words}</strong> <code>shop.change_order</code>" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_order_handover_page_names_the_handover_permission(staff_client):
    order = DueOrderFactory()

    response = staff_client.get(
        reverse("admin:shop_order_inkasso", args=[order.pk]), **ENGLISH
    )

    assert response.status_code == 403
    assert "<code>inkasso.hand_over</code>" in response.content.decode()


@pytest.mark.django_db
def test_a_download_without_the_permission_gets_the_page(staff_client):
    order = DueOrderFactory()
    handover = services.hand_over(order_ids=[order.pk], source="command").handover

    response = staff_client.get(
        reverse("admin:inkasso_handover_download", args=[handover.pk]), **GERMAN
    )

    assert response.status_code == 403
    assert "<code>inkasso.hand_over</code>" in response.content.decode()


@pytest.mark.django_db
def test_without_a_group_or_anyone_to_ask_it_says_whom_in_general(client, db):
    client.force_login(UserFactory(username="staff"))

    response = client.get(reverse("admin:inkasso_claim_changelist"), **ENGLISH)

    page = response.content.decode()
    assert "Members of the group" not in page
    assert (
        "Ask the person who manages the users of this admin and their "
        "permissions for access." in page
    )


@pytest.mark.django_db
def test_a_clerk_refused_for_another_reason_is_not_told_to_ask_for_a_permission(
    rf_admin_request,
):
    request = rf_admin_request("admin:inkasso_handover_changelist")

    response = clerk.permission_denied(request, PermissionDenied())

    page = response.content.decode()
    assert response.status_code == 403
    assert "Your account may not open this page or take this step." in page
    assert "<code>" not in page


def test_outside_the_admin_it_is_a_plain_page_in_the_language(db):
    request = RequestFactory().get("/shop/secret/")
    request.resolver_match = None

    with translation.override("de"):
        response = clerk.permission_denied(request, PermissionDenied())

    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Kein Zugriff auf diese Seite</h1>" in page
    assert 'id="user-tools"' not in page


@pytest.fixture
def rf_admin_request(db):
    def make(url_name):
        user = get_user_model().objects.create_superuser("root", password="x")
        path = reverse(url_name)
        request = RequestFactory().get(path)
        request.resolver_match = resolve(path)
        request.user = user
        request.session = {}
        return request

    return make


@pytest.mark.django_db
def test_a_permission_created_in_german_is_named_in_english():
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="hand_over")
    permission.name = "Darf Forderungen an mediafinanz übergeben"
    permission.save()

    with translation.override("en"):
        words = clerk.permission_words(permission)

    assert words == "Can hand over claims to mediafinanz and download handover files"


@pytest.mark.django_db
def test_the_handover_confirmation_url_names_the_handover_permission(staff_client):
    response = staff_client.post(
        reverse("admin:shop_order_inkasso_hand_over"), {"selection": "x"}, **ENGLISH
    )

    assert response.status_code == 403
    assert "<code>inkasso.hand_over</code>" in response.content.decode()
