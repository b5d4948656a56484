"""Import the file numbers (Aktenzeichen) mediafinanz reports, many claims at once.

The clerk uploads a table of invoice number and file number on the claims
list; django-import-export shows a preview of what will be recorded, what is
unchanged and what is refused (each with a sentence naming the invoice number
and what to do), and records the rest once confirmed. Every file number goes
through :func:`inkasso.services.record_file_number`; the preview records
nothing.
"""

import csv

import tablib
from django.contrib.messages import ERROR, SUCCESS, WARNING
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from import_export import resources, results, widgets
from import_export.fields import Field
from import_export.formats import base_formats

from . import contract, display, services, validators
from .exceptions import InkassoError
from .models import Claim

INVOICE_COLUMN = "Rechnungsnr"
FILE_NUMBER_COLUMN = "Aktenzeichen"
#: Headers a clerk's file may use, compared without case, spaces, dots,
#: dashes and underscores.
HEADER_ALIASES = {
    "rechnungsnr": INVOICE_COLUMN,
    "rechnungsnummer": INVOICE_COLUMN,
    "invoicenumber": INVOICE_COLUMN,
    "invoiceno": INVOICE_COLUMN,
    "aktenzeichen": FILE_NUMBER_COLUMN,
    "az": FILE_NUMBER_COLUMN,
    "filenumber": FILE_NUMBER_COLUMN,
}
LOOKUP_CHUNK = 500
#: At most this many invoice numbers are named in a message.
NAMED_IN_MESSAGE = 10


class FileNumberFileError(Exception):
    """The uploaded file cannot be read as file numbers at all."""


def _header_key(header) -> str:
    return "".join(ch for ch in str(header or "").lower() if ch.isalnum())


class ClerkCSV(base_formats.CSV):
    """A CSV as a clerk has it: ``;``, ``,`` or tab, UTF-8 or Windows-1252.

    mediafinanz and German spreadsheets write ``;`` and Windows-1252; the file
    is read as bytes so that either encoding works.
    """

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        if isinstance(in_stream, bytes):
            try:
                text = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = in_stream.decode("cp1252", errors="replace")
        else:
            text = in_stream
        lines = text.splitlines()
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = ";"
        rows = [row for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not rows:
            return tablib.Dataset()
        width = len(rows[0])
        dataset = tablib.Dataset(headers=[cell.strip() for cell in rows[0]])
        for row in rows[1:]:
            dataset.append((row + [""] * width)[:width])
        return dataset


def import_formats() -> list:
    """CSV always; Excel (.xlsx) when openpyxl is installed."""
    formats = [ClerkCSV]
    if base_formats.XLSX.is_available():
        formats.append(base_formats.XLSX)
    return formats


class FileNumberWidget(widgets.CharWidget):
    """A file number as typed or pasted: ``123 4567-890/1`` is ``12345678901``."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            # A spreadsheet keeps an 11-digit number as a number.
            value = int(value)
        return contract.normalize_file_number(str(value if value is not None else ""))


class FileNumberRowResult(results.RowResult):
    """A row of the preview, with what the clerk should know about it."""

    def __init__(self):
        super().__init__()
        self.invoice_number = ""
        self.line = 0
        self.debtor = ""
        self.original_file_number = ""
        self.note = ""
        self.refused = False


class FileNumberResult(results.Result):
    """The preview's figures: recorded, changed, unchanged and refused rows."""

    def rows_where(self, test) -> list:
        return [row for row in self.rows if test(row)]

    @property
    def refused_rows(self) -> list:
        return self.rows_where(lambda row: row.refused or row.is_invalid())

    @property
    def new_count(self) -> int:
        return len(
            self.rows_where(
                lambda row: row.is_update() and not row.original_file_number
            )
        )

    @property
    def changed_count(self) -> int:
        return len(
            self.rows_where(lambda row: row.is_update() and row.original_file_number)
        )

    @property
    def unchanged_count(self) -> int:
        return len(self.rows_where(lambda row: row.is_skip() and not row.refused))

    @property
    def refused_count(self) -> int:
        return len(self.refused_rows)

    @property
    def recorded_count(self) -> int:
        return self.new_count + self.changed_count

    def _first_error(self) -> str:
        errors = [*self.base_errors]
        for _line, row_errors in self.row_errors():
            errors.extend(row_errors)
        return str(errors[0].error) if errors else "?"

    def messages(self) -> list[tuple[int, str]]:
        """Say what was recorded and which invoice numbers were left out."""
        if self.has_errors():
            # import-export rolled the whole file back: nothing is recorded.
            return [
                (
                    ERROR,
                    gettext(
                        "Nothing was recorded: the import stopped with an error "
                        "(%(error)s). Import the file again; if it stops again, "
                        "tell your administrator."
                    )
                    % {"error": self._first_error()},
                )
            ]
        recorded = self.recorded_count
        said = [
            (
                SUCCESS if recorded else WARNING,
                ngettext(
                    "%(count)d file number was recorded.",
                    "%(count)d file numbers were recorded.",
                    recorded,
                )
                % {"count": recorded},
            )
        ]
        refused = [row.invoice_number or "?" for row in self.refused_rows]
        if refused:
            named = ", ".join(refused[:NAMED_IN_MESSAGE])
            if len(refused) > NAMED_IN_MESSAGE:
                named += ", …"
            said.append(
                (
                    WARNING,
                    ngettext(
                        "%(count)d row was left out: %(invoices)s. Enter its file "
                        "number on the claim's page once it is right.",
                        "%(count)d rows were left out: %(invoices)s. Enter their "
                        "file numbers on the claims' pages once they are right.",
                        len(refused),
                    )
                    % {"count": len(refused), "invoices": named},
                )
            )
        return said


class FileNumberResource(resources.ModelResource):
    """Rechnungsnr and Aktenzeichen per claim, as mediafinanz reports them."""

    invoice_number = Field(
        attribute="invoice_number", column_name=INVOICE_COLUMN, readonly=True
    )
    file_number = Field(
        attribute="file_number",
        column_name=FILE_NUMBER_COLUMN,
        widget=FileNumberWidget(),
    )

    class Meta:
        model = Claim
        fields = ["invoice_number", "file_number"]
        import_id_fields = ["invoice_number"]
        skip_unchanged = True
        report_skipped = True
        store_instance = True
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.claims = {}
        self.seen = {}

    @classmethod
    def get_display_name(cls):
        return gettext("File numbers from mediafinanz")

    def get_result_class(self):
        return FileNumberResult

    def get_row_result_class(self):
        return FileNumberRowResult

    def get_diff_headers(self):
        return [gettext("invoice number"), gettext("mediafinanz file number")]

    # The import, step by step.

    def before_import(self, dataset, **kwargs):
        """Accept the headers a clerk's file has; load the claims in few queries."""
        dataset.headers = [
            HEADER_ALIASES.get(_header_key(header), header)
            for header in dataset.headers or []
        ]
        missing = [
            column
            for column in (INVOICE_COLUMN, FILE_NUMBER_COLUMN)
            if column not in dataset.headers
        ]
        if missing:
            raise FileNumberFileError(
                gettext(
                    "The file has no column %(columns)s. Its first line must name "
                    "the columns “%(invoice)s” and “%(file_number)s”; the other "
                    "columns are ignored."
                )
                % {
                    "columns": ", ".join(f"„{column}“" for column in missing),
                    "invoice": INVOICE_COLUMN,
                    "file_number": FILE_NUMBER_COLUMN,
                }
            )
        numbers = sorted({self.invoice_number_of(row) for row in dataset.dict} - {""})
        for start in range(0, len(numbers), LOOKUP_CHUNK):
            chunk = numbers[start : start + LOOKUP_CHUNK]
            # An invoice number handed over again after a withdrawal has two
            # claims: the open one is the one that counts.
            for claim in Claim.objects.filter(invoice_number__in=chunk).order_by("id"):
                known = self.claims.get(claim.invoice_number)
                if known is None or known.state != Claim.State.OPEN:
                    self.claims[claim.invoice_number] = claim

    @staticmethod
    def invoice_number_of(row) -> str:
        value = row.get(INVOICE_COLUMN)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value if value is not None else "").strip()

    def get_instance(self, instance_loader, row):
        return self.claims.get(self.invoice_number_of(row))

    def init_instance(self, row=None):
        # An unknown invoice number: a claim that is never saved (refused).
        return Claim(invoice_number=self.invoice_number_of(row or {}))

    def refusal(self, claim, row) -> str:
        """Say why a row cannot be recorded, and what to do; or ``""``."""
        invoice_number = self.invoice_number_of(row)
        file_number = self.fields["file_number"].clean(row)
        if not invoice_number:
            return gettext(
                "The row has no invoice number. Add it in the file and import "
                "again, or enter the file number on the claim's page."
            )
        if claim.pk is None:
            return gettext(
                "No claim with the invoice number %(invoice)s was handed over to "
                "mediafinanz. Check the number against mediafinanz's report."
            ) % {"invoice": invoice_number}
        if claim.state != Claim.State.OPEN:
            return gettext(
                "The claim %(invoice)s was withdrawn on %(date)s; no file number "
                "is recorded on it. If mediafinanz still works on it, tell them "
                "it was withdrawn."
            ) % {"invoice": invoice_number, "date": display.day(claim.withdrawn_at)}
        if not file_number:
            return gettext(
                "The row of %(invoice)s has no file number. Add it in the file "
                "and import again, or enter it on the claim's page."
            ) % {"invoice": invoice_number}
        try:
            validators.validate_file_number(file_number)
        except ValidationError:
            return gettext(
                "“%(value)s” is not a file number for %(invoice)s: mediafinanz "
                "file numbers have 11 digits. Correct it in the file and import "
                "again, or enter it on the claim's page."
            ) % {"value": row.get(FILE_NUMBER_COLUMN) or "", "invoice": invoice_number}
        first = self.seen.setdefault(invoice_number, (row, file_number))
        if first[0] is not row and first[1] != file_number:
            return gettext(
                "The invoice number %(invoice)s is in the file twice with different "
                "file numbers; only its first row counts. Ask mediafinanz which "
                "one is right."
            ) % {"invoice": invoice_number}
        return ""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.refusal(instance, row):
            return True
        return instance.file_number == (original.file_number if original else "")

    def save_instance(self, instance, is_create, row, **kwargs):
        """Record the file number through the service; the preview records nothing."""
        if kwargs.get("dry_run"):
            return
        try:
            services.record_file_number(
                claim=instance,
                file_number=instance.file_number,
                user=kwargs.get("user"),
            )
        except InkassoError as exc:
            # Withdrawn between the preview and the confirmation, for example.
            raise ValidationError(f"{self.invoice_number_of(row)}: {exc}") from exc

    def after_import_row(self, row, row_result, **kwargs):
        claim = row_result.instance
        row_result.invoice_number = self.invoice_number_of(row)
        # The row's line in the file: the first line names the columns.
        row_result.line = kwargs.get("row_number", 0) + 1
        row_result.original_file_number = (
            row_result.original.file_number if row_result.original else ""
        )
        if claim is not None and claim.pk:
            row_result.debtor = debtor_name(claim)
        row_result.note = self.refusal(claim, row) if claim is not None else ""
        row_result.refused = bool(row_result.note)
        if row_result.is_skip() and not row_result.refused:
            row_result.note = gettext("Already recorded.")
        elif row_result.is_update() and row_result.original_file_number:
            row_result.note = gettext("Replaces the file number recorded before.")


def debtor_name(claim: Claim) -> str:
    """The debtor as handed over: first and last name, or the company."""
    values = dict(zip(_headers(), claim.values))
    person = " ".join(
        value for value in (values.get("Vorname"), values.get("Nachname")) if value
    )
    company = values.get("Firma", "")
    if company and person:
        return f"{company} ({person})"
    return company or person


_HEADERS = []


def _headers() -> list[str]:
    if not _HEADERS:
        from .resources import get_resource

        _HEADERS.extend(get_resource().get_export_headers())
    return _HEADERS
