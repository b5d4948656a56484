"""A real headless Chromium (the distribution's) driving the demo admin.

Playwright's own browser download is not available here, so the tests use the
Chromium that `.ci/run` installs from the distribution's packages.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.users import UserFactory

CHROMIUM = os.environ.get("INKASSO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PASSWORD = "secret"


@pytest.fixture(scope="module")
def browser():
    """Start Chromium once per module; in CI a missing browser is a failure."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        reason = f"Chromium not found at {CHROMIUM} (Debian package 'chromium')."
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses
    # ORM calls next to a running loop unless told that this is deliberate.
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def open_admin(browser, live_server):
    """Return a function that opens a browser page in the given language."""
    contexts = []

    def open_admin(locale: str = "de-DE"):
        context = browser.new_context(
            locale=locale,
            base_url=live_server.url,
            viewport={"width": 1600, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        # A collapsed navigation sidebar leaves the order list its full width.
        context.add_init_script(
            "localStorage.setItem('django.admin.navSidebarIsOpen', 'false')"
        )
        contexts.append(context)
        return context.new_page()

    yield open_admin
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request):
    """Save a screenshot of a step as test-artifacts/browser/<test>/<name>.png."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    def shot(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    shot.folder = folder
    return shot


def log_in(page, username: str) -> None:
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


@pytest.fixture
def browser_clerk(transactional_db):
    return UserFactory(
        username="clerk",
        password=PASSWORD,
        permissions=[
            "shop.view_order",
            "shop.change_order",
            "shop.view_customer",
            "inkasso.hand_over",
        ],
    )


@pytest.fixture
def browser_viewer(transactional_db):
    return UserFactory(
        username="viewer",
        password=PASSWORD,
        permissions=["shop.view_order", "shop.view_customer"],
    )
