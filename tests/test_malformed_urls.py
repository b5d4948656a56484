"""A malformed id in any inkasso URL of the admin is a 404, never a 500.

The URLs are read from the admin site itself, so a view added later is covered
without touching this file. The module depends on no host shop: the second
host shop (UUID keys) runs the same tests from ``tests/othershop``.
"""

import re
import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

BAD_IDS = ["abc", "1.5", "-1", str(10**30), "0", "%20", "1/2", str(uuid.UUID(int=0))]
CONVERTER = re.compile(r"<(?:\w+:)?\w+>")


def _patterns(patterns, prefix=""):
    """Yield ``(route, name)`` of every URL pattern below ``patterns``."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name or ""


def inkasso_routes() -> list[tuple[str, str]]:
    """Return the admin's routes with an id in them that belong to inkasso.

    Those are the ledger's own pages (under ``inkasso/``) and the pages the
    mixin adds to the host's order admin (names ending in ``_inkasso``).
    """
    return [
        (route, name)
        for route, name in _patterns(admin.site.get_urls())
        if CONVERTER.search(route)
        and (
            route.startswith("inkasso/")
            or name.startswith("inkasso_")
            or name.endswith("_inkasso")
        )
    ]


def _url(route: str, value: str) -> str:
    return reverse("admin:index") + CONVERTER.sub(value, route)


def _acceptable(response, name: str) -> bool:
    if response.status_code == 404:
        return True
    if response.redirect_chain:
        # The admin's own answer for an object that does not exist: back to
        # the index with a message, as Django's change and history views do.
        return response.redirect_chain[-1][0] == reverse("admin:index")
    # Django's change and delete views ask for the permission before they
    # look the object up, and the ledger refuses changes and deletes to all.
    return response.status_code == 403 and name.endswith(("_change", "_delete"))


def test_the_admin_has_the_inkasso_urls_this_test_walks():
    names = {name for _route, name in inkasso_routes()}

    assert {
        "inkasso_handover_download",
        "inkasso_handover_change",
        "inkasso_claim_withdraw",
        "inkasso_claim_change",
        "inkasso_directpayment_change",
    } <= names
    assert any(name.endswith("_inkasso") for name in names)


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_every_inkasso_url_answers_a_malformed_id_with_404(admin_client, bad_id):
    # A 500 comes back as a response, so one run lists every wrong URL.
    admin_client.raise_request_exception = False
    wrong = []
    for route, name in inkasso_routes():
        url = _url(route, bad_id)
        for method in (admin_client.get, admin_client.post):
            response = method(url, follow=True)
            if not _acceptable(response, name):
                wrong.append((method.__name__, url, response.status_code))

    assert wrong == []
