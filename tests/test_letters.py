"""The letters as the debtor reads them: the PDF's text, compared with golden text.

``UPDATE_GOLDEN=1 pytest tests/test_letters.py`` rewrites the golden files;
read the diff before committing.
"""

import datetime
import io
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from pypdf import PdfReader

from inkasso import schedule
from inkasso.adapters import ClaimData, Salutation
from inkasso.letters import render_letter

GOLDEN = Path(__file__).parent / "golden"
CREDITOR = {
    "name": "Kaffeerösterei Beispiel GmbH",
    "address": ["Königstraße 1", "01097 Dresden"],
    "details": ["buchhaltung@example.de", "IBAN DE02 1203 0000 0000 2020 51"],
}
PERSON = ClaimData(
    first_name="Käthe",
    last_name="Groß",
    salutation=Salutation.FEMALE,
    street="Königstraße 12",
    postcode="01067",
    city="Dresden",
    country="DE",
    email="kaethe@example.de",
    invoice_number="R-2026-0042",
    invoice_date=datetime.date(2026, 10, 1),
    invoice_total=Decimal("109.80"),
    open_amount=Decimal("99.80"),
    items=[(2, "Kaffeemühle"), (Decimal("1.5"), "Espresso, kg")],
    due_date=datetime.date(2026, 10, 15),
)
COMPANY = ClaimData(
    **{
        **{f: getattr(PERSON, f) for f in PERSON.__dataclass_fields__},
        "company": "Büro Yılmaz GmbH",
        "first_name": "",
        "last_name": "",
        "salutation": Salutation.UNKNOWN,
        "country": "AT",
        "postcode": "1070",
        "city": "Wien",
        "street": "Mariahilfer Straße 12a",
    }
)
REMINDER = (datetime.date(2026, 10, 22), datetime.date(2026, 11, 1), Decimal("0.00"))
FIRST = (datetime.date(2026, 11, 4), datetime.date(2026, 11, 18), Decimal("0.00"))
SECOND = (datetime.date(2026, 11, 21), datetime.date(2026, 12, 5), Decimal("2.50"))
LEVELS = [
    {"name": "Zahlungserinnerung", "mahnung": False, "days": 7, "deadline_days": 10},
    {"name": "1. Mahnung", "mahnung": True, "days": 3, "deadline_days": 14},
    {
        "name": "2. Mahnung",
        "mahnung": True,
        "days": 3,
        "deadline_days": 14,
        "fee": "2.50",
    },
    {
        "name": "Letzte Mahnung",
        "mahnung": True,
        "days": 3,
        "deadline_days": 10,
        "fee": "2.50",
    },
]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).strip() + "\n"


def render(data, *, level, previous, language, sent_on, **settings):
    with override_settings(
        INKASSO_CREDITOR=CREDITOR, INKASSO_DUNNING_LEVELS=LEVELS, **settings
    ):
        return render_letter(
            data,
            level=schedule.levels()[level],
            sent_on=sent_on,
            deadline=sent_on + datetime.timedelta(days=14),
            previous=[(number, *letter) for number, letter in enumerate(previous)],
            language=language,
        )


CASES = {
    "reminder": {"data": PERSON, "level": 0, "previous": [], "sent_on": REMINDER[0]},
    "first-mahnung": {
        "data": PERSON,
        "level": 1,
        "previous": [REMINDER],
        "sent_on": FIRST[0],
    },
    "final-mahnung-company": {
        "data": COMPANY,
        "level": 3,
        "previous": [REMINDER, FIRST, SECOND],
        "sent_on": datetime.date(2026, 12, 8),
        "INKASSO_DUNNING_FLAT_FEE": True,
    },
}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("case", CASES)
def test_the_letter_reads_as_the_golden_text(case, language):
    letter = render(**CASES[case], language=language)
    path = GOLDEN / f"letter-{case}-{language}.txt"
    text = pdf_text(letter.pdf)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")

    assert text == path.read_text(encoding="utf-8")


def test_the_same_letter_renders_to_the_same_bytes():
    first = render(**CASES["reminder"], language="de")
    again = render(**CASES["reminder"], language="de")

    assert first.pdf == again.pdf
    assert first.pdf.startswith(b"%PDF-")


def test_the_first_mahnung_states_the_default_and_the_reminder_does_not():
    reminder = render(**CASES["reminder"], language="de")
    first = render(**CASES["first-mahnung"], language="de")

    assert "§ 286 Abs. 1 BGB" in first.text
    assert "Verzug" not in reminder.text


def test_the_flat_fee_is_only_for_company_debtors_and_only_when_switched_on():
    company = dict(CASES["final-mahnung-company"], language="de")
    person = dict(company, data=PERSON)
    off = dict(company, INKASSO_DUNNING_FLAT_FEE=False)

    assert "§ 288 Abs. 5 BGB): 40,00 €" in render(**company).text
    assert "288" not in render(**person).text
    assert "288" not in render(**off).text


def test_fees_appear_only_as_configured():
    first = render(**CASES["first-mahnung"], language="de")

    assert "gebühr" not in first.text.casefold()
    assert "Zu zahlen" not in first.text


def test_only_the_last_mahnung_announces_the_handover_to_mediafinanz():
    first = render(**CASES["first-mahnung"], language="en")
    final = render(**CASES["final-mahnung-company"], language="en")

    assert "mediafinanz" not in first.text
    assert "debt collection agency mediafinanz" in final.text


def test_the_html_body_says_what_the_text_says():
    letter = render(**CASES["first-mahnung"], language="de")

    assert "<p>Sehr geehrte Frau Groß,</p>" in letter.html
    assert "2 × Kaffeemühle<br>1,5 × Espresso, kg" in letter.html


def test_a_project_overrides_the_letter_templates(settings, tmp_path):
    folder = tmp_path / "inkasso" / "letters" / "de"
    folder.mkdir(parents=True)
    (folder / "letter.txt").write_text("Zahlen Sie {{ total }} bis {{ deadline }}.")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    letter = render(**CASES["reminder"], language="de")

    assert letter.text == "Zahlen Sie 99,80 € bis 05.11.2026.\n"
    assert "Zahlen Sie 99,80 € bis 05.11.2026." in pdf_text(letter.pdf)


def test_rendering_a_letter_takes_milliseconds():
    render(**CASES["reminder"], language="de")  # Warm the templates and fonts.
    started = time.perf_counter()
    for _ in range(20):
        render(**CASES["first-mahnung"], language="de")
    per_letter = (time.perf_counter() - started) / 20

    assert per_letter < 0.2, per_letter
