import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .conf import app_settings
from .models import Claim, DirectPayment, Handover

PERMISSION = "inkasso.hand_over"
SELECTION_SALT = "inkasso.selection"
SELECTION_MAX_AGE = 60 * 60
PREVIEW_LIMIT = 1000
ENCODINGS = [
    ("cp1252", _("CSV, Windows-1252 (mediafinanz default)")),
    ("utf-8-sig", _("CSV, UTF-8 with BOM")),
]


def can_hand_over(request) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


class HandoverForm(forms.Form):
    encoding = forms.ChoiceField(label=_("File format"), choices=ENCODINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["encoding"].initial = app_settings.ENCODING


def _sign_selection(request, order_ids: list) -> str:
    return signing.dumps(
        {"user": request.user.pk, "orders": order_ids},
        salt=SELECTION_SALT,
        compress=True,
    )


def _unsign_selection(request, token: str) -> list:
    try:
        data = signing.loads(token, salt=SELECTION_SALT, max_age=SELECTION_MAX_AGE)
    except signing.BadSignature:
        raise PermissionDenied from None
    if data["user"] != request.user.pk:
        raise PermissionDenied
    return data["orders"]


def _check_report(order_ids: list, *, today: datetime.date, encoding: str) -> dict:
    accepted, refused = [], []
    accepted_count = refused_count = 0
    for chunk in selectors.prepared_claims(
        order_ids=order_ids, today=today, encoding=encoding
    ):
        for claim in chunk:
            if claim.ok:
                accepted_count += 1
                if len(accepted) < PREVIEW_LIMIT:
                    accepted.append(claim)
            else:
                refused_count += 1
                if len(refused) < PREVIEW_LIMIT:
                    refused.append(claim)
    return {
        "accepted": accepted,
        "refused": refused,
        "accepted_count": accepted_count,
        "refused_count": refused_count,
        "accepted_more": accepted_count - len(accepted),
        "refused_more": refused_count - len(refused),
    }


def _handover_done(request, result: services.HandoverResult) -> HttpResponseRedirect:
    """Tell the clerk what happened and send them to the handover and its file."""
    for claim in result.refused:
        messages.error(
            request,
            gettext("Order %(order)s was not handed over: %(reasons)s")
            % {"order": claim.label, "reasons": " ".join(claim.errors)},
        )
    if result.handover is None:
        messages.warning(request, gettext("Nothing was handed over."))
        return None
    handover = result.handover
    url = reverse("admin:inkasso_handover_change", args=[handover.pk])
    download = reverse("admin:inkasso_handover_download", args=[handover.pk])
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
            ngettext(
                "%(count)d claim was handed over to mediafinanz.",
                "%(count)d claims were handed over to mediafinanz.",
                handover.row_count,
            )
            % {"count": handover.row_count},
            url,
            handover,
            download,
            gettext("Download the file"),
        ),
    )
    return HttpResponseRedirect(f"{url}?download=1")


@admin.action(
    description=_("Hand over to mediafinanz"), permissions=["inkasso_hand_over"]
)
def hand_over_to_mediafinanz(modeladmin, request, queryset):
    """Check the selected orders, ask for confirmation, then hand them over."""
    form = HandoverForm(request.POST if "confirm" in request.POST else None)
    if "confirm" in request.POST and form.is_valid():
        order_ids = _unsign_selection(request, request.POST.get("selection", ""))
        try:
            result = services.hand_over(
                order_ids=order_ids,
                source=Handover.Source.ADMIN,
                user=request.user,
                encoding=form.cleaned_data["encoding"],
            )
        except services.HandoverError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return None
        return _handover_done(request, result)

    order_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    encoding = form.initial.get("encoding") or app_settings.ENCODING
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Hand over to mediafinanz"),
        "opts": opts,
        "form": HandoverForm(),
        "selection": _sign_selection(request, order_ids),
        "one_selected": order_ids[0] if order_ids else "",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "hand_over_to_mediafinanz",
        "order_change_url": f"admin:{opts.app_label}_{opts.model_name}_change",
        **_check_report(order_ids, today=timezone.localdate(), encoding=encoding),
    }
    return TemplateResponse(
        request, "admin/inkasso/hand_over_confirmation.html", context
    )


class InkassoOrderAdminMixin:
    """Add the handover action and the order-page download to a host's order admin.

    Use it as ``class OrderAdmin(InkassoOrderAdminMixin, admin.ModelAdmin)``.
    """

    change_form_template = "admin/inkasso/order_change_form.html"

    def has_inkasso_hand_over_permission(self, request):
        return can_hand_over(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is not None and can_hand_over(request):
            action = hand_over_to_mediafinanz
            actions[action.__name__] = (
                action,
                action.__name__,
                action.short_description,
            )
        return actions

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/inkasso/",
                self.admin_site.admin_view(self.inkasso_view),
                name=f"{opts.app_label}_{opts.model_name}_inkasso",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_hand_over"] = obj is not None and can_hand_over(request)
        if context["can_hand_over"]:
            opts = self.model._meta
            context["inkasso_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_inkasso",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def inkasso_view(self, request, object_id):
        """Hand over one order from its change page and give its file."""
        if not can_hand_over(request):
            raise PermissionDenied
        order = self.get_object(request, unquote(object_id))
        if order is None:
            raise Http404
        form = HandoverForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.hand_over(
                    order_ids=[order.pk],
                    source=Handover.Source.ORDER_PAGE,
                    user=request.user,
                    encoding=form.cleaned_data["encoding"],
                )
            except services.HandoverError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                response = _handover_done(request, result)
                if response is not None:
                    return response
            return HttpResponseRedirect(request.path)
        [claim] = next(
            selectors.prepared_claims(
                order_ids=[order.pk], today=timezone.localdate()
            )
        )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Inkasso mediafinanz"),
            "opts": opts,
            "original": order,
            "form": form,
            "claim": claim,
            "active_claim": selectors.active_claims()
            .filter(order_id=order.pk)
            .select_related("handover")
            .first(),
        }
        return TemplateResponse(request, "admin/inkasso/order_handover.html", context)


class ClaimStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Claim.State.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


class LedgerAdmin(admin.ModelAdmin):
    """Read-only ledger pages for users with the handover permission only."""

    def has_view_permission(self, request, obj=None):
        return can_hand_over(request)

    def has_module_permission(self, request):
        return can_hand_over(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    ]
    readonly_fields = fields
    change_form_template = "admin/inkasso/handover/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(total=Sum("claims__amount"))
        )

    @admin.display(description=_("total amount"), ordering="total")
    def total_amount(self, obj):
        return obj.total

    @admin.display(description=_("file"))
    def download_link(self, obj):
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
        handover = get_object_or_404(Handover, pk=unquote(object_id))
        response = StreamingHttpResponse(
            selectors.handover_file(handover), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{handover.filename}"'
        response["Content-Length"] = str(handover.file_size)
        response["X-Content-SHA256"] = handover.sha256
        return response


class DirectPaymentInline(admin.TabularInline):
    model = DirectPayment
    extra = 0
    fields = ["received_on", "amount", "recorded_at", "recorded_by", "reported_at"]
    readonly_fields = ["recorded_at", "recorded_by", "reported_at"]

    def has_view_permission(self, request, obj=None):
        return can_hand_over(request)

    def has_add_permission(self, request, obj=None):
        return can_hand_over(request) and obj is not None and obj.state == Claim.State.OPEN

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the claim is taken back from mediafinanz."),
    )


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
    list_filter = [ClaimStateFilter, "handover"]
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
        "file_number_recorded_at",
        "file_number_recorded_by",
        "row_values",
        "warnings",
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

    @admin.display(description=_("warnings"))
    def warning_count(self, obj):
        return len(obj.warnings)

    @admin.display(description=_("values as handed over"))
    def row_values(self, obj):
        from .resources import get_resource

        headers = get_resource().get_export_headers()
        return format_html(
            "<table>{}</table>",
            format_html(
                "".join(
                    format_html("<tr><th>{}</th><td>{}</td></tr>", header, value)
                    for header, value in zip(headers, obj.values)
                )
            ),
        )

    def save_model(self, request, obj, form, change):
        if "file_number" in form.changed_data:
            services.record_file_number(
                claim=obj, file_number=form.cleaned_data["file_number"], user=request.user
            )

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                services.record_direct_payment(
                    claim=form.instance,
                    amount=inline_form.cleaned_data["amount"],
                    received_on=inline_form.cleaned_data["received_on"],
                    user=request.user,
                )

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
        claim = get_object_or_404(Claim, pk=unquote(object_id))
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.withdraw_claim(
                    claim=claim, user=request.user, reason=form.cleaned_data["reason"]
                )
            except services.HandoverError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext(
                        "The claim %(claim)s was withdrawn; the order can be "
                        "handed over again."
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


@admin.register(DirectPayment)
class DirectPaymentAdmin(LedgerAdmin):
    """Payments to report to mediafinanz: the debtor paid the shop directly."""

    list_display = ["claim", "received_on", "amount", "recorded_by", "reported_at"]
    list_filter = ["received_on"]
    list_select_related = ["claim", "recorded_by"]

