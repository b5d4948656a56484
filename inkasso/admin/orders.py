"""The host's order admin: the debt-collection column, filter and order page."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from ..adapters import get_adapter
from ..exceptions import InkassoError
from ..forms import HandoverForm
from ..models import Claim, Handover
from .action import _handover_done, hand_over_to_mediafinanz
from .common import can_hand_over


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
