"""Oscar's dashboard in the demo suite's headless Chromium (tests/browser)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import browser, shot  # noqa: F401  (the fixtures)


@pytest.fixture
def open_dashboard(browser, live_server):  # noqa: F811
    """Return a function that opens a German browser page logged in as ``user``."""
    contexts = []

    def open_dashboard(user, locale: str = "de-DE"):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            locale=locale,
            base_url=live_server.url,
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(15_000)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield open_dashboard
    for context in contexts:
        context.close()
