"""The host's order admin: the debt-collection column, filter and order page."""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import OuterRef, Subquery
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..adapters import get_adapter
from ..models import Claim
from . import confirm, order_page
from .action import hand_over_to_mediafinanz
from .common import admin_url, can_hand_over


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


#: Templates of the app that extend our change form by name: a mixin that puts
#: one of them first (the reminders') is already chained to ours.
EXTENDING_CHANGE_FORM_TEMPLATES = {"admin/inkasso/order_dunning_change_form.html"}


class InkassoOrderAdminMixin:
    """Add the handover action, the column, the filter and the order page.

    Use it as ``class OrderAdmin(InkassoOrderAdminMixin, admin.ModelAdmin)``.
    Like django-import-export's mixins it chains to the admin's own
    ``change_form_template`` and ``change_list_template``: ours extend them,
    so the buttons of the host (or of another mixin) stay. The pages of the
    app are looked up like Django's own (``admin/<app>/<model>/…``,
    ``admin/<app>/…``, ``admin/inkasso/…``) unless an attribute names one.
    """

    inkasso_change_form_template = "admin/inkasso/order_change_form.html"
    inkasso_change_list_template = "admin/inkasso/order_change_list.html"
    #: The confirmation page of the handover action.
    inkasso_confirmation_template = None
    #: The order's own Inkasso page (``<order>/inkasso/``).
    inkasso_order_template = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_inkasso_templates()

    def init_inkasso_templates(self):
        """Put our templates on top of the admin's own, which they extend."""
        self.inkasso_base_change_list_template = (
            self.change_list_template or "admin/change_list.html"
        )
        self.change_list_template = self.inkasso_change_list_template
        own = self.change_form_template
        if own in EXTENDING_CHANGE_FORM_TEMPLATES:
            # E.g. the reminders' template, which extends ours by name.
            self.inkasso_base_change_form_template = "admin/change_form.html"
        else:
            self.inkasso_base_change_form_template = own or "admin/change_form.html"
            self.change_form_template = self.inkasso_change_form_template

    def has_inkasso_hand_over_permission(self, request):
        return can_hand_over(request)

    def get_list_filter(self, request):
        """Add :class:`InkassoFilter` if the host did not: the app's links use it."""
        list_filter = list(super().get_list_filter(request))
        if not any(
            isinstance(item, type) and issubclass(item, InkassoFilter)
            for item in list_filter
        ):
            list_filter.insert(0, InkassoFilter)
        return list_filter

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

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "inkasso_base_change_list_template": self.inkasso_base_change_list_template,
        }
        return super().changelist_view(request, extra_context)

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
                url = admin_url(self, "inkasso_claim_change", obj.inkasso_claim_id)
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
        """Offer the handover through Django's own machinery and permission check."""
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for func, name, description in self._filter_actions_by_permissions(
            request, [self.get_action(hand_over_to_mediafinanz)]
        ):
            actions[name] = (func, name, description)
        return actions

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "inkasso/hand-over/",
                self.admin_site.admin_view(self.inkasso_hand_over_view),
                name=f"{name}_inkasso_hand_over",
            ),
            path(
                "<path:object_id>/inkasso/",
                self.admin_site.admin_view(self.inkasso_view),
                name=f"{name}_inkasso",
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
        context["inkasso_base_change_form_template"] = (
            self.inkasso_base_change_form_template
        )
        context["can_hand_over"] = obj is not None and can_hand_over(request)
        if context["can_hand_over"]:
            context.update(order_page.context(self, request, obj))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def inkasso_view(self, request, object_id):
        """The order's Inkasso page: its state, and its handover with the file."""
        return order_page.view(self, request, object_id)

    def inkasso_hand_over_view(self, request):
        """The confirmation page's form: leave orders out, or hand them over."""
        return confirm.view(self, request)
