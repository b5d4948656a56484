from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from inkasso import downloads, selection, selectors, services
from inkasso.exceptions import InkassoError
from inkasso.models import Handover

from . import PERMISSION


class InkassoDashboardMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = PERMISSION
    login_url = "dashboard:login"

    def has_permission(self):
        return self.request.user.is_staff and super().has_permission()


def _check_due():
    today = timezone.localdate()
    due = selectors.due_order_ids(today=today)
    return due, selectors.check_orders(order_ids=due, today=today)


class OrdersView(InkassoDashboardMixin, TemplateView):
    """The orders due for handover: ready, or blocked with the reasons."""

    template_name = "inkasso_oscar/dashboard/orders.html"

    def get_context_data(self, **kwargs):
        due, report = _check_due()
        return super().get_context_data(
            due_count=len(due),
            report=report,
            changed_count=selectors.changed_claims().count(),
            **kwargs,
        )


class HandOverView(InkassoDashboardMixin, TemplateView):
    """Confirm, then hand the ready orders over and offer their file."""

    template_name = "inkasso_oscar/dashboard/confirm.html"

    def get_context_data(self, **kwargs):
        due, report = _check_due()
        # The orders shown, signed: the handover takes these and no order that
        # became due after the page was shown.
        token = selection.sign(user=self.request.user, order_ids=due)
        return super().get_context_data(
            due_count=len(due), report=report, selection=token, **kwargs
        )

    def post(self, request, *args, **kwargs):
        due = selection.unsign(
            user=request.user, token=request.POST.get("selection", "")
        )
        try:
            result = services.hand_over(
                order_ids=due, source=Handover.Source.ADMIN, user=request.user
            )
        except InkassoError as error:
            messages.error(request, str(error))
            return redirect("inkasso_oscar:orders")
        if result.handover is None:
            messages.warning(request, _("No order was ready; nothing was handed over."))
            return redirect("inkasso_oscar:orders")
        messages.success(
            request,
            ngettext(
                "%(count)d claim was handed over to mediafinanz.",
                "%(count)d claims were handed over to mediafinanz.",
                result.report.accepted_count,
            )
            % {"count": result.report.accepted_count},
        )
        return redirect("inkasso_oscar:handover", pk=result.handover.pk)


class HandoverView(InkassoDashboardMixin, TemplateView):
    template_name = "inkasso_oscar/dashboard/handover.html"

    def get_context_data(self, **kwargs):
        handover = get_object_or_404(Handover, pk=self.kwargs["pk"])
        return super().get_context_data(
            handover=handover,
            claims=handover.claims.order_by("row_number"),
            **kwargs,
        )


class HandoverFileView(InkassoDashboardMixin, View):
    def get(self, request, pk):
        handover = get_object_or_404(Handover, pk=pk)
        if handover.purged_at:
            raise Http404(_("The file was deleted when its retention ended."))
        return downloads.handover_file(handover)
