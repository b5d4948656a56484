"""German and English for every user-facing string; the file never changes with them."""

import csv
import io
import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from inkasso.models import Handover
from shop.models import OrderStatus
from tests.contract import HEADERS
from tests.factories import DueOrderFactory

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    "inkasso": ROOT / "inkasso" / "locale" / "de" / "LC_MESSAGES" / "django.po",
    "shop": ROOT / "shop" / "locale" / "de" / "LC_MESSAGES" / "django.po",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def untranslated(po: polib.POFile) -> list[str]:
    """Return the msgids of ``po`` that have no usable German text."""
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        texts = (
            list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        )
        if "fuzzy" in entry.flags or not all(text.strip() for text in texts):
            problems.append(entry.msgid)
    return problems


def needs_xgettext():
    if shutil.which("xgettext"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("GNU gettext is not installed; .ci/run installs the package.")
    pytest.skip("GNU gettext (xgettext) is not installed, so nothing is extracted.")


@pytest.mark.parametrize("app", sorted(CATALOGUES))
def test_every_message_in_the_german_catalogue_is_translated(app):
    po = polib.pofile(str(CATALOGUES[app]))

    assert len(po) > 20
    assert untranslated(po) == []
    assert po.obsolete_entries() == []


@pytest.mark.parametrize("app", sorted(CATALOGUES))
def test_translations_keep_every_placeholder(app):
    for entry in polib.pofile(str(CATALOGUES[app])).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            translations = entry.msgstr_plural.values()
        else:
            translations = [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid


@pytest.mark.parametrize("app", sorted(CATALOGUES))
def test_the_committed_mo_file_is_compiled_from_the_po_file(app):
    po = polib.pofile(str(CATALOGUES[app]))
    mo = polib.mofile(str(CATALOGUES[app].with_suffix(".mo")))

    def table(catalogue):
        return {
            (entry.msgctxt, entry.msgid): (
                entry.msgstr,
                tuple(sorted(entry.msgstr_plural.items())),
            )
            for entry in catalogue
            if entry.msgid and not entry.obsolete
        }

    assert table(mo) == table(po)


def test_the_inkasso_catalogue_holds_every_message_of_its_source(
    tmp_path, monkeypatch, settings
):
    needs_xgettext()
    shutil.copytree(ROOT / "inkasso", tmp_path / "inkasso", ignore=IGNORE)
    monkeypatch.chdir(tmp_path / "inkasso")
    # The app's own locale/ folder, as `make messages` uses it.
    settings.LOCALE_PATHS = []

    call_command("makemessages", locale=["de"], no_obsolete=True, verbosity=0)

    extracted = polib.pofile(str(tmp_path / CATALOGUES["inkasso"].relative_to(ROOT)))
    assert len(extracted) >= len(polib.pofile(str(CATALOGUES["inkasso"])))
    assert untranslated(extracted) == []


def test_the_shop_catalogue_holds_every_message_of_the_shop_and_its_templates(
    tmp_path, monkeypatch, settings
):
    needs_xgettext()
    shutil.copytree(ROOT / "shop", tmp_path / "shop", ignore=IGNORE)
    shutil.copytree(ROOT / "templates", tmp_path / "templates", ignore=IGNORE)
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "shop" / "locale"]

    call_command("makemessages", locale=["de"], no_obsolete=True, verbosity=0)

    extracted = polib.pofile(str(tmp_path / CATALOGUES["shop"].relative_to(ROOT)))
    assert {"Debt collection in progress", "Language"} <= {e.msgid for e in extracted}
    assert untranslated(extracted) == []


def test_the_inkasso_app_brings_its_own_german_catalogue(settings):
    # A host shop without LOCALE_PATHS still gets the German admin.
    settings.LOCALE_PATHS = []

    with translation.override("de"):
        assert translation.gettext("Hand over to mediafinanz") == (
            "An mediafinanz übergeben"
        )


def test_the_collection_status_reads_the_same_as_on_the_dunning_letters():
    with translation.override("de"):
        assert str(OrderStatus.COLLECTION.label) == "Inkasso ist in Arbeit"
    with translation.override("en"):
        assert str(OrderStatus.COLLECTION.label) == "Debt collection in progress"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected", "unexpected"),
    [
        ("de-DE,de;q=0.9", "Inkasso ist in Arbeit", "Debt collection in progress"),
        ("en-GB,en;q=0.9", "Debt collection in progress", "Inkasso ist in Arbeit"),
    ],
)
def test_the_admin_follows_the_browsers_language(
    clerk_client, accept_language, expected, unexpected
):
    DueOrderFactory()

    page = clerk_client.get(
        reverse("admin:shop_order_changelist"), HTTP_ACCEPT_LANGUAGE=accept_language
    ).content.decode()

    assert expected in page
    assert unexpected not in page


@pytest.mark.django_db
def test_the_language_switch_overrides_the_browsers_language(clerk_client):
    url = reverse("admin:shop_order_changelist")
    german = clerk_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'id="language-switch"' in german
    assert "Bestellungen" in german

    response = clerk_client.post(
        reverse("set_language"), {"language": "en", "next": url}
    )

    assert response.status_code == 302
    assert response.url == url
    english = clerk_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Select order to change" in english


@pytest.mark.django_db
def test_the_file_has_the_same_18_headers_in_the_german_and_the_english_admin(
    clerk_client,
):
    files = []
    for language in ("de", "en"):
        order = DueOrderFactory()
        url = reverse("admin:shop_order_inkasso", args=[order.pk])
        clerk_client.post(url, {"encoding": "cp1252"}, HTTP_ACCEPT_LANGUAGE=language)
        handover = Handover.objects.latest("pk")
        download = reverse("admin:inkasso_handover_download", args=[handover.pk])
        data = b"".join(clerk_client.get(download).streaming_content)
        files.append(
            list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))
        )

    assert files[0][0] == files[1][0] == HEADERS
    assert len(files[0][1]) == len(files[1][1]) == 18
