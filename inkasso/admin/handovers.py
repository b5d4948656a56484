"""The handovers: the overview, each file and its download."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..adapters import get_order_model
from ..models import Handover
from .common import LedgerAdmin, can_hand_over, purged_on


@admin.register(Handover)
class HandoverAdmin(LedgerAdmin):
    list_display = [
        "__str__",
        "created_at",
        "created_by",
        "source",
        "row_count",
        "total_amount",
        "encoding",
        "download_link",
    ]
    list_filter = ["source", "created_at"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "created_by",
        "source",
        "row_count",
        "total_amount",
        "encoding",
        "header_row",
        "file_size",
        "sha256",
        "claims_link",
        "download_link",
        "purged_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/inkasso/handover/change_form.html"
    change_list_template = "admin/inkasso/handover/change_list.html"

    def changelist_view(self, request, extra_context=None):
        """Put the overview above the list: due, open, per month, to report."""
        opts = get_order_model()._meta
        extra_context = {
            **(extra_context or {}),
            "overview": selectors.collection_overview(today=timezone.localdate()),
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
        return f"{formats.number_format(obj.total, 2)} EUR"

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if obj.purged_at:
            return purged_on(obj)
        url = reverse("admin:inkasso_handover_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    @admin.display(description=_("claims"))
    def claims_link(self, obj):
        url = reverse("admin:inkasso_claim_changelist")
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
        response = StreamingHttpResponse(
            selectors.handover_file(handover), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{handover.filename}"'
        response["Content-Length"] = str(handover.file_size)
        response["X-Content-SHA256"] = handover.sha256
        return response
