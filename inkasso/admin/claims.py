"""The claims: file numbers, direct payments and withdrawal."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from ..exceptions import InkassoError
from ..forms import DirectPaymentForm, WithdrawForm
from ..models import Claim, DirectPayment
from .common import LedgerAdmin, can_hand_over, purge_date
from .filters import ClaimStateFilter, FileNumberFilter, OrderChangedFilter


class DirectPaymentInline(admin.TabularInline):
    """The debtor paid the shop directly; mediafinanz must be told."""

    model = DirectPayment
    form = DirectPaymentForm
    extra = 0
    verbose_name = _("payment received directly from the debtor")
    verbose_name_plural = _(
        "payments received directly from the debtor (report them to mediafinanz)"
    )
    fields = [
        "received_on",
        "amount",
        "above_remaining",
        "recorded_at",
        "recorded_by",
        "reported_at",
        "reported_by",
    ]
    readonly_fields = ["recorded_at", "recorded_by", "reported_at", "reported_by"]

    def has_view_permission(self, request, obj=None):
        return can_hand_over(request)

    def has_add_permission(self, request, obj=None):
        return (
            can_hand_over(request) and obj is not None and obj.state == Claim.State.OPEN
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(LedgerAdmin):
    list_display = [
        "invoice_number",
        "order",
        "amount",
        "state",
        "file_number",
        "handover",
        "warning_count",
    ]
    list_filter = [ClaimStateFilter, OrderChangedFilter, "handover", FileNumberFilter]
    list_select_related = ["handover", "order"]
    search_fields = ["invoice_number", "file_number"]
    fields = [
        "handover",
        "order",
        "row_number",
        "invoice_number",
        "amount",
        "state",
        "file_number",
        "file_number_recorded",
        "row_values",
        "warning_list",
        "order_changed",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    ]
    inlines = [DirectPaymentInline]
    change_form_template = "admin/inkasso/claim/change_form.html"

    def has_change_permission(self, request, obj=None):
        return can_hand_over(request)

    def get_readonly_fields(self, request, obj=None):
        editable = {"file_number"} if obj and obj.state == Claim.State.OPEN else set()
        return [f for f in self.fields if f not in editable]

    @admin.display(description=_("file number recorded"))
    def file_number_recorded(self, obj):
        if not obj.file_number_recorded_at:
            return "–"
        return gettext("%(date)s by %(user)s") % {
            "date": formats.date_format(
                timezone.localtime(obj.file_number_recorded_at), "SHORT_DATETIME_FORMAT"
            ),
            "user": obj.file_number_recorded_by or "–",
        }

    @admin.display(description=_("warnings"))
    def warning_count(self, obj):
        return len(obj.warnings)

    @admin.display(description=_("warnings"))
    def warning_list(self, obj):
        return (
            format_html_join(
                "", "<li>{}</li>", ((problem.message,) for problem in obj.problems)
            )
            or "–"
        )

    @admin.display(description=_("order changed in the shop"), boolean=True)
    def order_changed(self, obj):
        return selectors.changed_claims().filter(pk=obj.pk).exists()

    @admin.display(description=_("values as handed over"))
    def row_values(self, obj):
        from ..resources import get_resource

        headers = get_resource().get_export_headers()
        table = format_html(
            "<table>{}</table>",
            format_html_join(
                "", "<tr><th>{}</th><td>{}</td></tr>", zip(headers, obj.values)
            ),
        )
        if not obj.handover.purged_at:
            return table
        note = gettext(
            "The debtor's personal data was deleted on %(date)s, when the "
            "retention ended; the invoice number, amount, dates and claim type "
            "are kept."
        ) % {"date": purge_date(obj.handover)}
        return format_html("<p>{}</p>{}", note, table)

    def save_model(self, request, obj, form, change):
        if "file_number" in form.changed_data:
            services.record_file_number(
                claim=obj,
                file_number=form.cleaned_data["file_number"],
                user=request.user,
            )

    def save_formset(self, request, form, formset, change):
        # Payments go through the service; the admin's change message reads
        # what a formset's save() would have set.
        formset.new_objects = [
            services.record_direct_payment(
                claim=form.instance,
                amount=inline_form.cleaned_data["amount"],
                received_on=inline_form.cleaned_data["received_on"],
                above_remaining=inline_form.cleaned_data.get("above_remaining", False),
                user=request.user,
            )
            for inline_form in formset.forms
            if inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE")
        ]
        formset.changed_objects = []
        formset.deleted_objects = []

    def get_urls(self):
        return [
            path(
                "<path:object_id>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="inkasso_claim_withdraw",
            ),
            *super().get_urls(),
        ]

    def withdraw_view(self, request, object_id):
        if not can_hand_over(request):
            raise PermissionDenied
        claim = self.get_object_or_404(request, object_id)
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.withdraw_claim(
                    claim=claim, user=request.user, reason=form.cleaned_data["reason"]
                )
            except InkassoError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext(
                        "The claim %(claim)s was withdrawn. The order is not "
                        "handed over again unless you select it yourself."
                    )
                    % {"claim": claim},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(
                reverse("admin:inkasso_claim_change", args=[claim.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw claim %(claim)s") % {"claim": claim},
            "opts": self.model._meta,
            "original": claim,
            "form": form,
        }
        return TemplateResponse(request, "admin/inkasso/claim/withdraw.html", context)
