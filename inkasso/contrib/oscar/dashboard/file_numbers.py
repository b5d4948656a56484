"""The bulk import of mediafinanz's file numbers in Oscar's dashboard.

The same django-import-export machinery as the admin's claim import: its
forms and temporary storage, ``inkasso.imports.FileNumberResource`` and its
formats. The upload is a preview that records nothing; the confirmation
records through ``services.record_file_number`` (inside the resource).
"""

import contextlib

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import TempFolderStorage

from inkasso import imports

from .views import InkassoDashboardMixin


def _storage(input_format, **kwargs):
    """The upload's temporary storage, the one import-export's admin uses."""
    storage_class = getattr(settings, "IMPORT_EXPORT_TMP_STORAGE_CLASS", None)
    if isinstance(storage_class, str):
        storage_class = import_string(storage_class)
    # The clerk's formats read bytes: no encoding.
    return (storage_class or TempFolderStorage)(
        encoding=None, read_mode=input_format.get_read_mode(), **kwargs
    )


def _import_form(**kwargs):
    form = ImportForm(
        imports.import_formats(),
        [imports.FileNumberResource],
        initial={"format": "0"},
        **kwargs,
    )
    # import-export's own label has no German.
    form.fields["import_file"].label = _("File")
    return form


class FileNumberImportView(InkassoDashboardMixin, TemplateView):
    """Upload mediafinanz's file, see what would be recorded, then confirm."""

    template_name = "inkasso_oscar/dashboard/file_number_import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", _import_form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = _import_form(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        input_format = imports.import_formats()[int(form.cleaned_data["format"])]()
        upload = form.cleaned_data["import_file"]
        storage = _storage(input_format)
        storage.save(b"".join(upload.chunks()))
        try:
            dataset = input_format.create_dataset(storage.read())
        except Exception as error:  # noqa: BLE001  (any unreadable file, as the admin)
            form.add_error(
                "import_file",
                _(
                    "The file cannot be read as %(format)s (%(error)s). Choose "
                    "the format the file has."
                )
                % {"format": input_format.get_title(), "error": type(error).__name__},
            )
            return self.render_to_response(self.get_context_data(form=form))
        # The preview: a dry run that records nothing.
        result = imports.FileNumberResource().import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            file_name=upload.name,
            user=request.user,
        )
        confirm_form = None
        if not result.has_errors() and not result.has_validation_errors():
            confirm_form = ConfirmImportForm(
                initial={
                    "import_file_name": storage.name,
                    "original_file_name": upload.name,
                    "format": form.cleaned_data["format"],
                    "resource": "0",
                }
            )
        return self.render_to_response(
            self.get_context_data(form=form, result=result, confirm_form=confirm_form)
        )


class FileNumberConfirmView(InkassoDashboardMixin, View):
    """Record the file numbers of the previewed file."""

    def post(self, request, *args, **kwargs):
        form = ConfirmImportForm(request.POST)
        data = None
        if form.is_valid():
            formats = imports.import_formats()
            index = form.cleaned_data["format"]
            if index.isdigit() and int(index) < len(formats):
                input_format = formats[int(index)]()
                storage = _storage(
                    input_format, name=form.cleaned_data["import_file_name"]
                )
                # Gone from the temporary folder: the clerk uploads it again.
                with contextlib.suppress(OSError):
                    data = storage.read()
        if data is None:
            messages.error(request, _("Upload the file again; its preview expired."))
            return redirect("inkasso_oscar:file-number-import")
        result = imports.FileNumberResource().import_data(
            input_format.create_dataset(data),
            dry_run=False,
            file_name=form.cleaned_data["original_file_name"],
            user=request.user,
            retain_instance_in_row_result=True,
        )
        storage.remove()
        for level, message in result.messages():
            messages.add_message(request, level, message)
        return redirect("inkasso_oscar:claims")
