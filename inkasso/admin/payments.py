"""Payments the debtor made to the shop directly, to report to mediafinanz."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import display, services
from ..models import DirectPayment
from .common import LedgerAdmin, can_hand_over
from .filters import (
    ReportedFilter,
)


@admin.action(description=_("Mark as reported to mediafinanz"), permissions=["change"])
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
        "received",
        "amount_display",
        "recorded_at_display",
        "recorded_by",
        "reported_at_display",
        "reported_by",
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

    @admin.display(description=_("received on"), ordering="received_on")
    def received(self, obj):
        return display.day(obj.received_on)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return display.money(obj.amount)

    @admin.display(description=_("recorded at"), ordering="recorded_at")
    def recorded_at_display(self, obj):
        return display.moment(obj.recorded_at)

    @admin.display(description=_("reported to mediafinanz at"), ordering="reported_at")
    def reported_at_display(self, obj):
        return display.moment(obj.reported_at)

    @admin.display(description=_("order"))
    def order(self, obj):
        return obj.claim.order
