"""The 18-column layout of the mediafinanz handover file.

:class:`MediafinanzResource` is the only definition of the columns: their
headers, order and value formats. The handover service renders rows through
its fields and widgets a column at a time, and ``Resource.export()`` yields the
same values.
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

    def render_column(self, values, *, encoding: str) -> tuple[list[str], dict]:
        """Render a column of values; return the texts and the notes by position.

        Override it together with :meth:`render` when a whole column can be
        rendered faster than value by value; the results must be the same.
        """
        texts, notes = [], {}
        for index, value in enumerate(values):
            text, value_notes = self.render_with_notes(value, encoding=encoding)
            texts.append(text)
            if value_notes:
                notes[index] = value_notes
        return texts, notes

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

    def render_column(self, values, *, encoding):
        return formats.clean_texts(
            values,
            encoding=encoding,
            max_length=self.max_length if self.shorten else None,
        )

    def render(self, value, obj=None, **kwargs):
        encoding = kwargs.get("encoding") or app_settings.ENCODING
        return self.render_with_notes(value, encoding=encoding)[0]


class PhoneWidget(ExportWidget):
    def render_column(self, values, *, encoding):
        return formats.clean_phones(values), {}

    def render(self, value, obj=None, **kwargs):
        return formats.clean_phone(value)


class AmountWidget(ExportWidget):
    def render_column(self, values, *, encoding):
        return formats.format_column(values, formats.format_amount), {}

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else formats.format_amount(value)


class DateWidget(ExportWidget):
    def render_column(self, values, *, encoding):
        return formats.format_column(values, formats.format_date), {}

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

    def column_renderer(self, *, encoding: str):
        """Return a function that renders rows given as columns.

        The function takes the values by row attribute (``{"first_name":
        [...], ...}``) and returns the text columns in file order, and the
        notes by row position and header. Fields and widgets are resolved once
        and each widget renders a whole column, so 100,000 rows do not pay
        import-export's per-row and per-value calls; the texts are those of
        ``export()``.
        """
        columns = [
            (field.column_name, field.attribute, field.widget)
            for field in self.get_export_fields()
        ]

        def render(rows: dict) -> tuple[list[list[str]], dict[int, dict]]:
            texts = []
            notes = {}
            for header, attribute, widget in columns:
                column, column_notes = widget.render_column(
                    rows[attribute], encoding=encoding
                )
                texts.append(column)
                for index, value_notes in column_notes.items():
                    notes.setdefault(index, {})[header] = value_notes
            return texts, notes

        return render


@functools.cache
def _resource_class(path: str) -> type[MediafinanzResource]:
    return import_string(path)


def get_resource() -> MediafinanzResource:
    """Return an instance of the resource named in ``INKASSO_RESOURCE``."""
    return _resource_class(app_settings.RESOURCE)()
