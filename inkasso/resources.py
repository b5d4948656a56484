"""The 18-column layout of the mediafinanz handover file.

:class:`MediafinanzResource` is the only declaration of the columns: their
headers, order and value formats. The handover takes every claim's values from
it through django-import-export's own ``export_resource()``, so a host's
subclass may customise a column the import-export way (a widget, a
``dehydrate_<field>`` method, ``Field(dehydrate_method=...)``); only the
headers and their order are fixed (system check ``inkasso.E009``).
"""

import dataclasses
import datetime
import functools
from decimal import Decimal

from django.utils.module_loading import import_string
from import_export import resources, widgets
from import_export.fields import Field

from . import contract, formats
from .conf import app_settings


@dataclasses.dataclass(slots=True)
class ClaimRow:
    """What the resource exports for one claim: the claim data, as the file needs it.

    ``data`` is the host's :class:`~inkasso.adapters.ClaimData`, for a
    ``dehydrate_<field>`` method that wants more than the typed columns.
    """

    data: object
    first_name: str
    last_name: str
    salutation_code: str
    company: str
    street: str
    postcode: str
    city: str
    country: str
    phone: str
    mobile: str
    fax: str
    email: str
    invoice_number: str
    amount: Decimal | None
    reason: str
    service_date: datetime.date | None
    dunning_date: datetime.date | None
    claim_type: int | None


def claim_reason(data) -> str:
    """Return ``Rechnung R-1 vom 03.11.2026: 2 x Kaffeemühle, 1 x Filter``."""
    reason = f"Rechnung {data.invoice_number}"
    if data.invoice_date:
        reason += f" vom {contract.format_date(data.invoice_date)}"
    if data.items:
        reason += ": " + ", ".join(
            f"{contract.format_quantity(quantity)} x {name}"
            for quantity, name in data.items
        )
    return reason


def salutation_code(data, codes: dict[str, str]) -> str:
    """Return the Geschlecht code: the salutation, or "company" without a person."""
    if data.is_company and not data.person:
        return codes["company"]
    if not data.salutation.value:
        return ""
    return codes[data.salutation.value]


def claim_row(data, *, codes: dict[str, str]) -> ClaimRow:
    """Return the row the resource exports for the claim data of one order."""
    return ClaimRow(
        data=data,
        first_name=data.first_name,
        last_name=data.last_name,
        salutation_code=salutation_code(data, codes),
        company=data.company,
        street=data.street,
        postcode=data.postcode,
        city=data.city,
        country=contract.country_code(data.country),
        phone=data.phone,
        mobile=data.mobile,
        fax=data.fax,
        email=data.email,
        invoice_number=data.invoice_number,
        amount=contract.to_cents(data.open_amount),
        reason=claim_reason(data),
        service_date=data.service_date,
        dunning_date=data.dunning_date,
        claim_type=contract.claim_type_code(data.claim_type),
    )


class ExportWidget(widgets.Widget):
    """A widget for the file: its ``render`` gives text that is safe in the file.

    ``render`` formats a value and makes it safe; what it changed on the way
    goes into the dict passed as ``notes``. ``file_text`` makes safe a value
    that a ``dehydrate_<field>`` method returned (import-export does not
    render those), so that nothing reaches the file that could break a row,
    the encoding or a spreadsheet.
    """

    def render(self, value, obj=None, **kwargs):
        return self.file_text(
            "" if value is None else str(value),
            encoding=kwargs.get("encoding") or app_settings.ENCODING,
            notes=kwargs.get("notes", {}),
        )

    def file_text(self, value, *, encoding: str, notes: dict) -> str:
        text, changes = formats.clean_text(value, encoding=encoding)
        notes.update(changes)
        return text


class TextWidget(ExportWidget):
    def __init__(self, *, max_length: int | None = None):
        super().__init__()
        self.max_length = max_length

    def file_text(self, value, *, encoding, notes):
        text, changes = formats.clean_text(
            value, encoding=encoding, max_length=self.max_length
        )
        notes.update(changes)
        return text


class PhoneWidget(ExportWidget):
    """Digits, spaces and ``+ - / ( )`` only; ``+49 …`` stays as it is."""

    def file_text(self, value, *, encoding, notes):
        return formats.clean_phone(value)


class EmailWidget(ExportWidget):
    """An e-mail address, or nothing: an invalid address is left out."""

    def file_text(self, value, *, encoding, notes):
        email = formats.clean_email(value, encoding=encoding)
        if not email and (value or "").strip():
            notes[formats.Note.INVALID] = True
        # A valid address may still start like a formula (=1+1@example.de).
        return super().file_text(email, encoding=encoding, notes=notes)


class AmountWidget(ExportWidget):
    def render(self, value, obj=None, **kwargs):
        # Digits and a decimal comma: nothing to make safe.
        return "" if value is None else contract.format_amount(value)

    def file_text(self, value, *, encoding, notes):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            value = contract.format_amount(value)
        return super().file_text(value, encoding=encoding, notes=notes)


class DateWidget(ExportWidget):
    def render(self, value, obj=None, **kwargs):
        # DD.MM.YYYY: nothing to make safe.
        return "" if value is None else contract.format_date(value)

    def file_text(self, value, *, encoding, notes):
        if isinstance(value, datetime.date):
            value = contract.format_date(value)
        return super().file_text(value, encoding=encoding, notes=notes)


class MediafinanzResource(resources.Resource):
    """The mediafinanz "Forderungen als Datei" layout, one row per claim.

    Rows are :class:`ClaimRow` objects.
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
    email = Field(attribute="email", column_name="Email", widget=EmailWidget())
    rechnungsnr = Field(
        attribute="invoice_number", column_name="Rechnungsnr", widget=TextWidget()
    )
    forderungsbetrag = Field(
        attribute="amount", column_name="Forderungsbetrag", widget=AmountWidget()
    )
    forderungsgrund = Field(
        attribute="reason",
        column_name="Forderungsgrund",
        widget=TextWidget(max_length=contract.MAX_REASON),
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
        # The file's column order: the fields in the order declared above.
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

    def export_resource(self, instance, selected_fields=None, **kwargs):
        """Return the row's values for the file, each made safe by its widget.

        Pass ``encoding`` (default ``INKASSO_ENCODING``) and, to learn what
        was changed on the way, a dict as ``notes``: it gets the changes of
        each column by its row attribute (``{"company": {"formula": True}}``).
        """
        notes = kwargs.pop("notes", None)
        return self.file_exporter(selected_fields, **kwargs)(instance, notes=notes)

    def file_exporter(self, selected_fields=None, **kwargs):
        """Return a function ``(row, notes=None)`` that exports one row, as above.

        Which hook serves each column (a ``dehydrate_<field>`` method,
        ``Field(dehydrate_method=...)``, or the field's widget) is resolved
        once here, exactly as import-export's ``export_field()`` resolves it
        for every value, so a handover of many rows does not pay for it again.
        """
        encoding = kwargs.pop("encoding", None) or app_settings.ENCODING
        overridden = type(self).export_field is not resources.Resource.export_field
        columns = []
        for field in self.get_export_fields(selected_fields):
            name = self.get_field_name(field)
            method = field.get_dehydrate_method(name)
            if not callable(method):
                method = getattr(self, method, None)
            columns.append((field.attribute or name, field, method))

        def export_row(instance, notes: dict | None = None) -> list[str]:
            texts = []
            for key, field, method in columns:
                changes = {}
                if overridden:
                    # The resource exports its own way: ask it for every value.
                    text = field.widget.file_text(
                        self.export_field(
                            field, instance, encoding=encoding, notes=changes, **kwargs
                        ),
                        encoding=encoding,
                        notes=changes,
                    )
                elif method is None:
                    text = field.export(
                        instance, encoding=encoding, notes=changes, **kwargs
                    )
                else:
                    text = field.widget.file_text(
                        method(instance), encoding=encoding, notes=changes
                    )
                texts.append(text)
                if changes and notes is not None:
                    notes[key] = changes
            return texts

        return export_row


def contract_headers() -> list[str]:
    """Return the 18 headers of the contract, as the resource declares them."""
    return MediafinanzResource().get_export_headers()


@functools.cache
def _resource_class(path: str) -> type[MediafinanzResource]:
    return import_string(path)


def get_resource() -> MediafinanzResource:
    """Return an instance of the resource named in ``INKASSO_RESOURCE``."""
    return _resource_class(app_settings.RESOURCE)()
