"""The handovers: the overview, each file and its download."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import display, downloads, story
from ..adapters import get_order_model
from ..models import Handover
from .common import LedgerAdmin, can_hand_over, purged_on

#: The file formats as the clerk chose them on the confirmation page.
FILE_FORMATS = {
    "cp1252": _("Windows (mediafinanz default)"),
    "utf-8-sig": _("UTF-8"),
}


@admin.register(Handover)
class HandoverAdmin(LedgerAdmin):
    list_display = [
        "__str__",
        "handed_over_at",
        "created_by",
        "source",
        "row_count",
        "total_amount",
        "file_format",
        "download_link",
    ]
    list_filter = ["source", "created_at"]
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "handed_over_at",
                    "created_by",
                    "source",
                    "claims_link",
                    "total_amount",
                    "file_format",
                    "file_name",
                    "download_link",
                    "purged_on",
                ]
            },
        ),
        (
            _("Technical details"),
            {
                "classes": ["collapse"],
                "fields": ["header_row", "file_size_display", "sha256"],
            },
        ),
    ]
    readonly_fields = [
        name for _title, options in fieldsets for name in options["fields"]
    ]
    change_form_template = "admin/inkasso/handover/change_form.html"
    change_list_template = "admin/inkasso/handover/change_list.html"

    def changelist_view(self, request, extra_context=None):
        """Put the overview above the list: due, open, per month, to report."""
        opts = get_order_model()._meta
        extra_context = {
            **(extra_context or {}),
            "overview": story.collection_overview(today=timezone.localdate()),
            "orders_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            ),
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(total=Sum("claims__amount"))
        )

    @admin.display(description=_("total amount"), ordering="total")
    def total_amount(self, obj):
        return display.money(obj.total)

    @admin.display(description=_("handed over at"), ordering="created_at")
    def handed_over_at(self, obj):
        return display.moment(obj.created_at)

    @admin.display(description=_("file format"), ordering="encoding")
    def file_format(self, obj):
        return FILE_FORMATS.get(obj.encoding, obj.encoding)

    @admin.display(description=_("file name"))
    def file_name(self, obj):
        return obj.filename

    @admin.display(description=_("file size"))
    def file_size_display(self, obj):
        return filesizeformat(obj.file_size)

    @admin.display(description=_("personal data deleted on"))
    def purged_on(self, obj):
        return display.day(obj.purged_at)

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if obj.purged_at:
            return purged_on(obj)
        url = reverse(
            "admin:inkasso_handover_download",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    @admin.display(description=_("claims"))
    def claims_link(self, obj):
        url = reverse(
            "admin:inkasso_claim_changelist", current_app=self.admin_site.name
        )
        return format_html(
            '<a href="{}?handover__id__exact={}">{}</a>',
            url,
            obj.pk,
            ngettext("%(count)d claim", "%(count)d claims", obj.row_count)
            % {"count": obj.row_count},
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="inkasso_handover_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id):
        """Stream the recorded file, byte for byte as it was first handed over."""
        if not can_hand_over(request):
            raise PermissionDenied
        handover = self.get_object_or_404(request, object_id)
        if handover.purged_at:
            request.current_app = self.admin_site.name
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("The file of %(handover)s was deleted")
                % {"handover": handover},
                "opts": self.model._meta,
                "original": handover,
            }
            return TemplateResponse(
                request, "admin/inkasso/handover/purged.html", context, status=410
            )
        return downloads.handover_file(handover)
