import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery, Sum
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import selection, selectors, services, validators
from .adapters import get_adapter, get_order_model
from .conf import app_settings
from .exceptions import InkassoError
from .models import Claim, DirectPayment, Handover

PERMISSION = "inkasso.hand_over"
PREVIEW_LIMIT = 1000
REFUSED_MESSAGES = 20
ENCODINGS = [
    ("cp1252", _("CSV, Windows-1252 (mediafinanz default)")),
    ("utf-8-sig", _("CSV, UTF-8 with BOM")),
]


def can_hand_over(request) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


def purge_date(handover: Handover) -> str:
    return formats.date_format(timezone.localtime(handover.purged_at))


def purged_on(handover: Handover) -> str:
    """Say when the purge deleted the handover's file and personal data."""
    return gettext("Deleted on %(date)s (retention ended)") % {
        "date": purge_date(handover)
    }


class HandoverForm(forms.Form):
    encoding = forms.ChoiceField(label=_("File format"), choices=ENCODINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["encoding"].initial = app_settings.ENCODING


def _handover_done(request, result: services.HandoverResult) -> HttpResponseRedirect:
    """Tell the clerk what happened and send them to the handover and its file."""
    opts = get_order_model()._meta
    # Messages travel in the session; a few name the orders, a count says the rest.
    for claim in result.refused[:REFUSED_MESSAGES]:
        messages.error(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                gettext("Order %(order)s was not handed over: %(reasons)s")
                % {"order": claim.label, "reasons": " ".join(claim.errors)},
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[claim.order_id],
                ),
                gettext("Open the order to fix it"),
            ),
        )
    if (more := result.report.refused_count - REFUSED_MESSAGES) > 0:
        messages.error(
            request,
            ngettext(
                "%(count)d more order was not handed over.",
                "%(count)d more orders were not handed over.",
                more,
            )
            % {"count": more},
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
        token = request.POST.get("selection", "")
        order_ids = selection.unsign(user=request.user, token=token)
        try:
            result = services.hand_over(
                order_ids=order_ids,
                source=Handover.Source.ADMIN,
                user=request.user,
                encoding=form.cleaned_data["encoding"],
                # Only the withdrawals this page showed; one made meanwhile
                # refuses its order.
                withdrawn_chosen=selection.unsign_withdrawn(
                    user=request.user, token=token
                ),
            )
        except InkassoError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return None
        return _handover_done(request, result)

    order_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    encoding = form.initial.get("encoding") or app_settings.ENCODING
    opts = modeladmin.model._meta
    # The clerk selected these orders: a withdrawn claim among them is shown
    # as a warning, and handed over again only if they confirm.
    withdrawn = selectors.withdrawn_order_ids(order_ids)
    report = selectors.check_orders(
        order_ids=order_ids,
        today=timezone.localdate(),
        encoding=encoding,
        keep=PREVIEW_LIMIT,
        withdrawn_chosen=set(withdrawn),
    )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Hand over to mediafinanz"),
        "opts": opts,
        "form": HandoverForm(),
        "selection": selection.sign(
            user=request.user, order_ids=order_ids, withdrawn=withdrawn
        ),
        "one_selected": order_ids[0] if order_ids else "",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "hand_over_to_mediafinanz",
        "order_change_url": f"admin:{opts.app_label}_{opts.model_name}_change",
        "report": report,
        "accepted": report.accepted,
        "refused": report.refused,
        "accepted_count": report.accepted_count,
        "refused_count": report.refused_count,
        "accepted_more": report.accepted_more,
        "refused_more": report.refused_more,
        "status_label": get_adapter().collection_status_label,
    }
    return TemplateResponse(
        request, "admin/inkasso/hand_over_confirmation.html", context
    )


def _refused_order_ids(order_ids: list, *, today: datetime.date) -> list:
    return [
        claim.order_id
        for chunk in selectors.checked_claims(order_ids=order_ids, today=today)
        for claim in chunk
        if not claim.ok
    ]


class InkassoFilter(admin.SimpleListFilter):
    """Filter a host's orders by where they stand in debt collection."""

    title = _("debt collection")
    parameter_name = "collection"

    def lookups(self, request, model_admin):
        return [
            ("due", _("Due for handover")),
            ("ready", _("Due and ready for handover")),
            ("blocked", _("Due but blocked")),
            ("handed_over", _("With mediafinanz")),
            ("no_file_number", _("With mediafinanz, no file number yet")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("due", "ready", "blocked"):
            today = timezone.localdate()
            due = queryset.filter(pk__in=selectors.due_orders(today=today).values("pk"))
            if value == "due":
                return due
            # Only the checks know what blocks an order; they run over the due
            # orders in chunks, so this costs a few queries per 1,000 due orders.
            refused = _refused_order_ids(
                list(due.order_by("pk").values_list("pk", flat=True)), today=today
            )
            if value == "blocked":
                return due.filter(pk__in=refused)
            return due.exclude(pk__in=refused)
        if value == "handed_over":
            return queryset.filter(pk__in=selectors.active_claims().values("order_id"))
        if value == "no_file_number":
            return queryset.filter(
                pk__in=selectors.active_claims()
                .filter(file_number="")
                .values("order_id")
            )
        return queryset


class InkassoOrderAdminMixin:
    """Add the handover action and the order-page download to a host's order admin.

    Use it as ``class OrderAdmin(InkassoOrderAdminMixin, admin.ModelAdmin)``.
    """

    change_form_template = "admin/inkasso/order_change_form.html"
    change_list_template = "admin/inkasso/order_change_list.html"

    def has_inkasso_hand_over_permission(self, request):
        return can_hand_over(request)

    def get_queryset(self, request):
        claims = selectors.active_claims().filter(order_id=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                inkasso_claim_id=Subquery(claims.values("pk")[:1]),
                inkasso_claim_state=Subquery(claims.values("state")[:1]),
                inkasso_file_number=Subquery(claims.values("file_number")[:1]),
            )
        )

    def get_changelist_instance(self, request):
        """Check the due orders on the page, so the list can say what blocks them."""
        changelist = super().get_changelist_instance(request)
        if request.method == "POST":
            # An action or a list edit; the changelist is not shown.
            return changelist
        orders = list(changelist.result_list)
        today = timezone.localdate()
        candidates = [order.pk for order in orders if not order.inkasso_claim_id]
        due = sorted(
            selectors.due_orders(today=today)
            .filter(pk__in=candidates)
            .values_list("pk", flat=True)
        )
        errors = {
            claim.order_id: claim.errors
            for chunk in selectors.checked_claims(order_ids=due, today=today)
            for claim in chunk
        }
        show_claims = can_hand_over(request)
        for order in orders:
            order.inkasso_errors = errors.get(order.pk)
            order.inkasso_show_claim = show_claims
        return changelist

    @admin.display(description=_("debt collection"))
    def inkasso_status(self, obj):
        """Say at a glance: with mediafinanz, ready for handover, or blocked and why."""
        if getattr(obj, "inkasso_claim_id", None):
            state = Claim.State(obj.inkasso_claim_state).label
            if obj.inkasso_file_number:
                detail = gettext("file number %(number)s") % {
                    "number": obj.inkasso_file_number
                }
            else:
                detail = gettext("no file number yet")
            if getattr(obj, "inkasso_show_claim", False):
                url = reverse("admin:inkasso_claim_change", args=[obj.inkasso_claim_id])
                state = format_html('<a href="{}">{}</a>', url, state)
            return format_html(
                '<span class="inkasso-state inkasso-with">{}</span>'
                '<br><small class="inkasso-file-number">{}</small>',
                state,
                detail,
            )
        errors = getattr(obj, "inkasso_errors", None)
        if errors is None:
            return "–"
        if not errors:
            return format_html(
                '<span class="inkasso-state inkasso-ready">{}</span>',
                gettext("Ready for handover"),
            )
        return format_html(
            '<span class="inkasso-state inkasso-blocked">{}</span>'
            '<ul class="inkasso-reasons">{}</ul>',
            gettext("Blocked:"),
            format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
        )

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

    def get_readonly_fields(self, request, obj=None):
        """Keep the status of an order with mediafinanz as the handover set it.

        A form opened before the handover would otherwise put the old status
        back on save, and the shop and the ledger would disagree.
        """
        readonly = list(super().get_readonly_fields(request, obj))
        status_field = get_adapter().status_field
        if (
            obj is not None
            and status_field
            and status_field not in readonly
            and selectors.active_claims().filter(order_id=obj.pk).exists()
        ):
            readonly.append(status_field)
        return readonly

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
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        form = HandoverForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.hand_over(
                    order_ids=[order.pk],
                    source=Handover.Source.ORDER_PAGE,
                    user=request.user,
                    encoding=form.cleaned_data["encoding"],
                    # The page showed the withdrawal: the clerk chose it.
                    withdrawn_chosen=[order.pk]
                    if request.POST.get("withdrawn_seen")
                    else [],
                )
            except InkassoError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                response = _handover_done(request, result)
                if response is not None:
                    return response
            return HttpResponseRedirect(request.path)
        claim = selectors.check_order(
            order.pk, today=timezone.localdate(), withdrawn_chosen=True
        )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Inkasso mediafinanz"),
            "opts": opts,
            "original": order,
            "form": form,
            "claim": claim,
            "withdrawn_seen": any(
                problem.code == "withdrawn_before" for problem in claim.problems
            ),
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


class FileNumberFilter(admin.SimpleListFilter):
    title = _("mediafinanz file number")
    parameter_name = "file_number"

    def lookups(self, request, model_admin):
        return [("missing", _("Not recorded yet")), ("recorded", _("Recorded"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(file_number="")
        if self.value() == "recorded":
            return queryset.exclude(file_number="")
        return queryset


class OrderChangedFilter(admin.SimpleListFilter):
    title = _("order changed in the shop")
    parameter_name = "order_changed"

    def lookups(self, request, model_admin):
        return [("yes", _("Changed since the handover: tell mediafinanz"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=selectors.changed_claims().values("pk"))
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported to mediafinanz")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("no", _("Not reported yet")), ("yes", _("Reported"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(reported_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(reported_at__isnull=False)
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

    def get_object_or_404(self, request, object_id):
        """Return the object of a URL, or 404 for any id that is not one."""
        # get_object() answers None for a malformed id ("abc", "1.5") as well.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj


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


class DirectPaymentForm(forms.ModelForm):
    above_remaining = forms.BooleanField(
        label=_("above the open amount: confirmed"),
        required=False,
        help_text=_("Tick it if the debtor really paid more than is still open."),
    )

    class Meta:
        model = DirectPayment
        fields = ["received_on", "amount"]
        # A German clerk types 25,50.
        localized_fields = ["amount"]

    def clean(self):
        cleaned_data = super().clean()
        amount = cleaned_data.get("amount")
        claim = self.instance.claim if self.instance.claim_id else None
        if claim is not None and amount and not cleaned_data.get("above_remaining"):
            remaining = services.remaining_amount(claim)
            if amount > remaining:
                raise forms.ValidationError(
                    _(
                        "The payment is above the %(remaining)s EUR still open on "
                        "the claim. Tick “above the open amount: confirmed” if it "
                        "is right."
                    ),
                    params={
                        "remaining": formats.number_format(remaining, 2, use_l10n=True)
                    },
                )
        return cleaned_data

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None:
            validators.validate_payment_amount(amount)
        return amount

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on:
            validators.validate_payment_date(
                received_on,
                today=timezone.localdate(),
                invoice_date=getattr(self.instance.claim, "invoice_date", None)
                if self.instance.claim_id
                else None,
            )
        return received_on


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
        from .resources import get_resource

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


@admin.action(description=_("Mark as reported to mediafinanz"))
def mark_reported(modeladmin, request, queryset):
    count = services.mark_direct_payments_reported(payments=queryset, user=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d payment was marked as reported to mediafinanz.",
            "%(count)d payments were marked as reported to mediafinanz.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(DirectPayment)
class DirectPaymentAdmin(LedgerAdmin):
    """Payments to report to mediafinanz: the debtor paid the shop directly."""

    # The claim it belongs to, then the payment as the claim's page shows it.
    list_display = [
        "claim",
        "file_number",
        "order",
        *[name for name in DirectPaymentInline.fields if name != "above_remaining"],
    ]
    list_filter = [ReportedFilter, "received_on"]
    list_select_related = ["claim__order", "recorded_by", "reported_by"]
    search_fields = ["claim__invoice_number", "claim__file_number"]
    date_hierarchy = "received_on"
    actions = [mark_reported]

    def has_change_permission(self, request, obj=None):
        # Only the action "mark as reported" changes a payment; the form stays
        # read-only (LedgerAdmin's fields), so nothing else can be edited.
        return can_hand_over(request) and obj is None

    @admin.display(
        description=_("mediafinanz file number"), ordering="claim__file_number"
    )
    def file_number(self, obj):
        return obj.claim.file_number or "–"

    @admin.display(description=_("order"))
    def order(self, obj):
        return obj.claim.order


from . import admin_dunning  # noqa: E402, F401  (the reminders: letters, stops)
