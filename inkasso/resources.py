"""The 18-column layout of the mediafinanz handover file.

:class:`MediafinanzResource` is the only definition of the columns: their
headers, order and value formats. The handover service renders rows through
its fields and widgets, and ``Resource.export()`` yields the same values.
"""

import functools

from django.utils.module_loading import import_string
from import_export import resources, widgets
from import_export.fields import Field

from . import formats
from .conf import app_settings

HEADERS = (
    "Vorname",
    "Nachname",
    "Geschlecht",
    "Firma",
    "Strasse",
    "PLZ",
    "Ort",
    "Land",
    "Telefon 1",
    "Telefon 2",
    "Fax",
    "Email",
    "Rechnungsnr",
    "Forderungsbetrag",
    "Forderungsgrund",
    "Leistungsdatum",
    "Mahndatum",
    "Forderungstyp",
)


class ExportWidget(widgets.Widget):
    """A widget that renders for the file and says what it changed on the way."""

    def render_with_notes(self, value, *, encoding: str) -> tuple[str, dict]:
        return self.render(value), {}

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(value)


class TextWidget(ExportWidget):
    def __init__(self, *, max_length: int | None = None, shorten: bool = False):
        super().__init__()
        self.max_length = max_length
        self.shorten = shorten

    def render_with_notes(self, value, *, encoding):
        return formats.clean_text(
            value,
            encoding=encoding,
            max_length=self.max_length if self.shorten else None,
        )

    def render(self, value, obj=None, **kwargs):
        encoding = kwargs.get("encoding") or app_settings.ENCODING
        return self.render_with_notes(value, encoding=encoding)[0]


class PhoneWidget(ExportWidget):
    def render(self, value, obj=None, **kwargs):
        return formats.clean_phone(value)


class AmountWidget(ExportWidget):
    def render(self, value, obj=None, **kwargs):
        return "" if value is None else formats.format_amount(value)


class DateWidget(ExportWidget):
    def render(self, value, obj=None, **kwargs):
        return "" if value is None else formats.format_date(value)


class MediafinanzResource(resources.Resource):
    """The mediafinanz "Forderungen als Datei" layout, one row per claim.

    Rows are :class:`inkasso.claims.ClaimRow` objects.
    """

    vorname = Field(attribute="first_name", column_name="Vorname", widget=TextWidget())
    nachname = Field(attribute="last_name", column_name="Nachname", widget=TextWidget())
    geschlecht = Field(
        attribute="salutation_code", column_name="Geschlecht", widget=TextWidget()
    )
    firma = Field(attribute="company", column_name="Firma", widget=TextWidget())
    strasse = Field(attribute="street", column_name="Strasse", widget=TextWidget())
    plz = Field(attribute="postcode", column_name="PLZ", widget=TextWidget())
    ort = Field(attribute="city", column_name="Ort", widget=TextWidget())
    land = Field(attribute="country", column_name="Land", widget=TextWidget())
    telefon_1 = Field(attribute="phone", column_name="Telefon 1", widget=PhoneWidget())
    telefon_2 = Field(attribute="mobile", column_name="Telefon 2", widget=PhoneWidget())
    fax = Field(attribute="fax", column_name="Fax", widget=PhoneWidget())
    email = Field(attribute="email", column_name="Email", widget=TextWidget())
    rechnungsnr = Field(
        attribute="invoice_number",
        column_name="Rechnungsnr",
        widget=TextWidget(max_length=40),
    )
    forderungsbetrag = Field(
        attribute="amount", column_name="Forderungsbetrag", widget=AmountWidget()
    )
    forderungsgrund = Field(
        attribute="reason",
        column_name="Forderungsgrund",
        widget=TextWidget(max_length=250, shorten=True),
    )
    leistungsdatum = Field(
        attribute="service_date", column_name="Leistungsdatum", widget=DateWidget()
    )
    mahndatum = Field(
        attribute="dunning_date", column_name="Mahndatum", widget=DateWidget()
    )
    forderungstyp = Field(
        attribute="claim_type", column_name="Forderungstyp", widget=ExportWidget()
    )

    class Meta:
        export_order = (
            "vorname",
            "nachname",
            "geschlecht",
            "firma",
            "strasse",
            "plz",
            "ort",
            "land",
            "telefon_1",
            "telefon_2",
            "fax",
            "email",
            "rechnungsnr",
            "forderungsbetrag",
            "forderungsgrund",
            "leistungsdatum",
            "mahndatum",
            "forderungstyp",
        )

    def row_renderer(self, *, encoding: str):
        """Return a function that renders one row as ``(values, notes by header)``.

        It resolves fields and widgets once, so rendering 100,000 rows does not
        pay import-export's per-row lookups; the values are the same.
        """
        columns = [
            (field.column_name, field.attribute, field.widget)
            for field in self.get_export_fields()
        ]

        def render(row) -> tuple[list[str], dict[str, dict]]:
            values = []
            notes = {}
            for header, attribute, widget in columns:
                text, field_notes = widget.render_with_notes(
                    getattr(row, attribute), encoding=encoding
                )
                values.append(text)
                if field_notes:
                    notes[header] = field_notes
            return values, notes

        return render


@functools.cache
def _resource_class(path: str) -> type[MediafinanzResource]:
    return import_string(path)


def get_resource() -> MediafinanzResource:
    """Return an instance of the resource named in ``INKASSO_RESOURCE``."""
    return _resource_class(app_settings.RESOURCE)()
