"""The claims: file numbers (by hand, in the list, imported), payments, withdrawals."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from .. import contract, display, imports, selectors, services
from ..conf import app_settings
from ..exceptions import InkassoError
from ..forms import ClaimFileNumberForm, DirectPaymentForm
from ..models import Claim, DirectPayment
from .common import LedgerAdmin, can_hand_over, purge_date
from .filters import ClaimStateFilter, FileNumberFilter, OrderChangedFilter
from .withdraw import WithdrawMixin


class DirectPaymentInline(admin.TabularInline):
    """The debtor paid the shop directly; mediafinanz must be told.

    Adds payments only; the claim's page lists the recorded ones
    (``ClaimAdmin.payments_received``) in the clerk's formats.
    """

    model = DirectPayment
    form = DirectPaymentForm
    extra = 0
    verbose_name = _("payment received directly from the debtor")
    verbose_name_plural = _(
        "payments received directly from the debtor (report them to mediafinanz)"
    )
    fields = ["received_on", "amount", "above_remaining"]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

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

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None:
            # The labels and the message name the amount still open.
            kwargs["form"] = DirectPaymentForm.for_claim(obj)
        return super().get_formset(request, obj, **kwargs)


@admin.register(Claim)
class ClaimAdmin(WithdrawMixin, ImportMixin, LedgerAdmin):
    list_display = [
        "invoice_number",
        "debtor",
        "order",
        "amount_display",
        "state",
        "file_number",
        "handover",
        "warning_count",
    ]
    list_editable = ["file_number"]
    list_filter = [ClaimStateFilter, OrderChangedFilter, "handover", FileNumberFilter]
    list_select_related = ["handover", "order"]
    # The debtor's name is in the line as handed over.
    search_fields = ["invoice_number", "file_number", "line"]
    search_help_text = _("Search by invoice number, file number or the debtor's name.")
    form = ClaimFileNumberForm
    fields = [
        "handover",
        "order",
        "position",
        "invoice_number",
        "debtor",
        "amount_display",
        "remaining_display",
        "payments_received",
        "state",
        "file_number",
        "file_number_recorded",
        "row_values",
        "warning_list",
        "order_changed",
        "withdrawn_on",
        "withdrawn_by",
        "withdrawal_reason",
    ]
    inlines = [DirectPaymentInline]
    change_form_template = "admin/inkasso/claim/change_form.html"
    # django-import-export: the file numbers mediafinanz reports, in bulk.
    resource_classes = [imports.FileNumberResource]
    import_template_name = "admin/inkasso/claim/import.html"
    import_export_change_list_template = "admin/inkasso/claim/change_list_import.html"

    def has_change_permission(self, request, obj=None):
        return can_hand_over(request)

    def has_import_permission(self, request):
        return can_hand_over(request)

    def get_import_formats(self):
        return imports.import_formats()

    def get_readonly_fields(self, request, obj=None):
        editable = {"file_number"} if obj and obj.state == Claim.State.OPEN else set()
        return [f for f in self.fields if f not in editable]

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ClaimFileNumberForm)
        return super().get_changelist_form(request, **kwargs)

    @admin.display(description=_("debtor"))
    def debtor(self, obj):
        return imports.debtor_name(obj) or display.NO_VALUE

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_html(
            '<span class="inkasso-amount">{}</span>', display.money(obj.amount)
        )

    @admin.display(description=_("still open"))
    def remaining_display(self, obj):
        return display.money(services.remaining_amount(obj))

    @admin.display(description=_("payments received directly"))
    def payments_received(self, obj):
        payments = obj.direct_payments.select_related("recorded_by", "reported_by")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td class='amount'>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    display.day(payment.received_on),
                    display.money(payment.amount),
                    display.recorded(payment.recorded_at, payment.recorded_by),
                    display.recorded(payment.reported_at, payment.reported_by)
                    if payment.reported_at
                    else gettext("not reported yet"),
                )
                for payment in payments
            ),
        )
        if not rows:
            return display.NO_VALUE
        return format_html(
            '<table id="inkasso-payments"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("received on"),
            gettext("amount"),
            gettext("recorded"),
            gettext("reported to mediafinanz"),
            rows,
        )

    @admin.display(description=_("number in the handover"))
    def position(self, obj):
        return obj.row_number

    @admin.display(description=_("withdrawn on"))
    def withdrawn_on(self, obj):
        return display.moment(obj.withdrawn_at)

    @admin.display(description=_("file number recorded"))
    def file_number_recorded(self, obj):
        if not obj.file_number_recorded_at:
            return display.NO_VALUE
        return display.recorded(
            obj.file_number_recorded_at, obj.file_number_recorded_by
        )

    @admin.display(description=_("warnings"))
    def warning_count(self, obj):
        return len(obj.warnings)

    @admin.display(description=_("warnings"))
    def warning_list(self, obj):
        return (
            format_html_join(
                "", "<li>{}</li>", ((problem.message,) for problem in obj.problems)
            )
            or display.NO_VALUE
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
                "",
                "<tr><th>{}</th><td>{}</td></tr>",
                (
                    (header, explained(header, value))
                    for header, value in zip(headers, obj.values)
                ),
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
        if "file_number" not in form.changed_data:
            return
        try:
            services.record_file_number(
                claim=obj,
                file_number=form.cleaned_data["file_number"],
                user=request.user,
            )
        except InkassoError as exc:
            self.message_user(request, f"{obj}: {exc}", messages.ERROR)

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

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        formset = getattr(cl, "formset", None)
        if request.method == "POST" and formset is not None and formset.is_bound:
            # Django keeps the whole list unsaved; say which rows and why.
            for form in formset.forms:
                for error in form.errors.get("file_number", []):
                    self.message_user(
                        request,
                        gettext(
                            "%(claim)s: %(error)s Nothing in the list was saved; "
                            "correct the file number and save again."
                        )
                        % {"claim": form.instance, "error": error},
                        messages.ERROR,
                    )
        return response

    def get_urls(self):
        return [*self.get_withdraw_urls(), *super().get_urls()]

    def add_success_message(self, result, request):
        """Say what the import recorded and which invoice numbers were left out."""
        for level, message in result.messages():
            self.message_user(request, message, level)


def explained(header: str, value: str) -> str:
    """A code of the file with what it means: ``f (Frau)``, ``1 (goods …)``."""
    if header == "Forderungstyp":
        meaning = CLAIM_TYPES.get(contract.claim_type_code(value))
    elif header == "Geschlecht":
        codes = {code: key for key, code in app_settings.SALUTATION_CODES.items()}
        meaning = SALUTATIONS.get(codes.get(value))
    else:
        meaning = None
    return f"{value} ({meaning})" if value and meaning else value


CLAIM_TYPES = {
    1: _("goods sold and delivered"),
    2: _("goods sold on prepayment, not shipped"),
    3: _("service rendered"),
}
SALUTATIONS = {
    "male": _("Mr"),
    "female": _("Ms"),
    "company": _("company"),
}
