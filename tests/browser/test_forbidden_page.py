"""A staff user without the permission: a 403 page inside the admin, in their language.

Saves ``test-artifacts/browser/<test>/forbidden.png``.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("locale", "title", "permission", "ask"),
    [
        (
            "de-DE",
            "Kein Zugriff auf diese Seite",
            "Darf Forderungen an mediafinanz übergeben und Übergabedateien "
            "herunterladen",
            "Bitten Sie Greta Berger um Zugriff",
        ),
        (
            "en-GB",
            "No access to this page",
            "Can hand over claims to mediafinanz and download handover files",
            "Ask Greta Berger for access",
        ),
    ],
    ids=["de", "en"],
)
def test_staff_without_the_permission_see_why_inside_the_admin(
    open_admin, shot, browser_viewer, locale, title, permission, ask
):
    get_user_model().objects.create_superuser(
        "admin", password="x", first_name="Greta", last_name="Berger"
    )
    group = {"de-DE": "Inkasso-Sachbearbeitung"}.get(locale, "Collection clerk")
    call_command("inkasso_setup", "--group", group, stdout=io.StringIO())
    page = open_admin(locale)
    log_in(page, "viewer")

    response = page.goto("/admin/inkasso/handover/")

    assert response.status == 403
    shot(page, "forbidden")
    assert page.locator("#site-name").is_visible()  # the admin's own header
    assert page.locator("#user-tools").is_visible()
    assert page.locator("h1").inner_text() == title
    text = page.inner_text("#content-main")
    assert permission in text
    assert "inkasso.hand_over" in text
    assert ask in text
    assert group in text
    assert "403 Forbidden" not in page.content()
