"""The reminder and Mahnung letters: Django templates, rendered to text and PDF.

The words come from templates (``inkasso/letters/<language>/subject.txt``,
``letter.txt`` and ``letter.html``) that a project overrides like any other
template. The PDF is laid out with reportlab, which needs no system
libraries: the creditor's address, the debtor's address, the date, the
subject, then the paragraphs of ``letter.txt``. Everything in a letter comes
from the shop's data and settings; nothing is invented.
"""

import dataclasses
import datetime
import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateformat import format as format_date

from . import contract, formats
from .adapters import ClaimData, Salutation
from .conf import app_settings

#: The flat fee of §288 (5) BGB that a company debtor in default owes.
FLAT_FEE = Decimal("40.00")

DATE_FORMATS = {"de": "d.m.Y", "en": "j F Y"}


@dataclasses.dataclass(frozen=True)
class RenderedLetter:
    subject: str
    text: str
    html: str
    pdf: bytes


def letter_context(
    data: ClaimData,
    *,
    level,
    sent_on: datetime.date,
    deadline: datetime.date,
    previous: list,
    language: str,
) -> dict:
    """Return what the templates of a letter know, in the letter's language."""
    creditor = app_settings.CREDITOR or {}
    is_company = data.is_company
    earlier_fees = sum((fee for *_rest, fee in previous), Decimal("0.00"))
    fees = earlier_fees + level.fee
    flat_fee = (
        FLAT_FEE
        if app_settings.DUNNING_FLAT_FEE and is_company and level.is_mahnung
        else Decimal("0.00")
    )
    amount = data.open_amount or Decimal("0.00")
    first_mahnung = next(
        (sent for number, sent, *_rest in previous if _is_mahnung(number)), None
    )

    def day(value):
        return format_date(value, DATE_FORMATS.get(language, "Y-m-d")) if value else ""

    def money(value):
        return _money(value, language)

    return {
        "creditor": {
            "name": creditor.get("name", ""),
            "address": list(creditor.get("address", [])),
            "details": list(creditor.get("details", [])),
        },
        "debtor": {
            "company": data.company,
            "name": " ".join(filter(None, [data.first_name, data.last_name])),
            "last_name": data.last_name,
            "is_company": is_company,
            "is_male": data.salutation == Salutation.MALE,
            "is_female": data.salutation == Salutation.FEMALE,
            "address": _address(data),
        },
        "level": {
            "number": level.number,
            "name": _level_name(level.number),
            "is_mahnung": level.is_mahnung,
            "is_first_mahnung": level.is_first_mahnung,
            "is_last": level.is_last,
        },
        "sent_on": day(sent_on),
        "deadline": day(deadline),
        "due_date": day(data.due_date),
        "invoice_number": data.invoice_number,
        "invoice_date": day(data.invoice_date),
        "items": [
            (_quantity(quantity, language), name) for quantity, name in data.items
        ],
        "open_amount": money(amount),
        "fees": money(fees) if fees else "",
        "flat_fee": money(flat_fee) if flat_fee else "",
        "total": money(amount + fees + flat_fee),
        "first_mahnung_on": day(first_mahnung),
        "previous": [
            {"name": _level_name(number), "sent_on": day(sent)}
            for number, sent, *_rest in previous
        ],
    }


def render_letter(
    data: ClaimData,
    *,
    level,
    sent_on: datetime.date,
    deadline: datetime.date,
    previous: list = (),
    language: str | None = None,
) -> RenderedLetter:
    """Render one letter: its subject, text and HTML body, and its PDF."""
    language = language or app_settings.DUNNING_LANGUAGE
    with translation.override(language):
        context = letter_context(
            data,
            level=level,
            sent_on=sent_on,
            deadline=deadline,
            previous=list(previous),
            language=language,
        )
        prefix = f"inkasso/letters/{language}/"
        subject = " ".join(render_to_string(prefix + "subject.txt", context).split())
        text = _tidy(render_to_string(prefix + "letter.txt", context))
    return RenderedLetter(
        subject=subject,
        text=text,
        html=html_body(subject=subject, text=text, language=language),
        pdf=_pdf(context, subject=subject, text=text),
    )


def html_body(*, subject: str, text: str, language: str) -> str:
    """Return the HTML e-mail body of a letter: its text, paragraph by paragraph.

    One source of words: a project that overrides ``letter.txt`` changes both.
    """
    with translation.override(language):
        return render_to_string(
            f"inkasso/letters/{language}/letter.html",
            {"subject": subject, "paragraphs": text.strip().split("\n\n")},
        )


def _tidy(text: str) -> str:
    """Return the text with template whitespace gone: one blank line at most."""
    lines = [line.strip() for line in text.strip().splitlines()]
    tidy = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def _address(data: ClaimData) -> list[str]:
    person = " ".join(filter(None, [data.first_name, data.last_name]))
    country = contract.country_code(data.country)
    lines = [
        data.company,
        person,
        data.street,
        " ".join(filter(None, [data.postcode, data.city])),
        country if country and country != contract.HOME_COUNTRY else "",
    ]
    return [line.strip() for line in lines if line and line.strip()]


def _quantity(value, language: str) -> str:
    text = contract.format_quantity(value)
    return text if language == "de" else text.replace(",", ".")


def _money(value: Decimal, language: str) -> str:
    if language == "de":
        return f"{contract.format_amount(value)} €"
    return f"EUR {Decimal(value).quantize(Decimal('0.01')):,.2f}"


def _is_mahnung(number: int) -> bool:
    levels = app_settings.DUNNING_LEVELS
    return 0 <= number < len(levels) and bool(levels[number].get("mahnung", True))


def _level_name(number: int) -> str:
    from .dunning_models import level_name

    return level_name(number)


def _pdf_text(value: str) -> str:
    # The PDF's standard fonts hold Windows-1252; other letters are
    # transliterated (ı → i), as in the handover file, never dropped.
    return escape(formats.clean_text(value, encoding="cp1252", formula_guard=False)[0])


def _pdf(context: dict, *, subject: str, text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    creditor = context["creditor"]
    sender = " · ".join([creditor["name"], *creditor["address"]])
    footer = [creditor["name"], *creditor["address"], *creditor["details"]]

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        y = 18 * mm
        for line in footer:
            canvas.drawString(
                25 * mm, y, formats.clean_text(line, encoding="cp1252")[0]
            )
            y -= 3.2 * mm
        canvas.restoreState()

    story = [
        Paragraph(_pdf_text(sender), small),
        Spacer(1, 3 * mm),
        Paragraph(
            "<br/>".join(_pdf_text(line) for line in context["debtor"]["address"]),
            body,
        ),
        Spacer(1, 12 * mm),
        Paragraph(_pdf_text(context["sent_on"]), body),
        Spacer(1, 6 * mm),
        Paragraph(f"<b>{_pdf_text(subject)}</b>", body),
        Spacer(1, 4 * mm),
    ]
    for paragraph in text.strip().split("\n\n"):
        lines = paragraph.split("\n")
        story.append(Paragraph("<br/>".join(_pdf_text(line) for line in lines), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=35 * mm,
        title=_pdf_text(subject),
        author=_pdf_text(creditor["name"]),
        # The same letter renders to the same bytes: no timestamp, fixed id.
        invariant=True,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
