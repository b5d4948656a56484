"""The Inkasso panel on the dashboard's order page, and what its buttons open.

The panel tells the order's story as the admin's order page does
(:func:`inkasso.story.order_story`) and lists its letters from the
dunning ledger; a ready order is handed over on a page of its own, after
the clerk confirmed it.
"""

from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from inkasso import downloads, reminders, services
from inkasso.adapters import get_adapter
from inkasso.dunning_models import DunningStop, Letter
from inkasso.exceptions import InkassoError
from inkasso.forms import HandoverForm
from inkasso.models import Handover
from inkasso.story import order_story

from . import can_hand_over, can_send_reminders
from .reminders import RemindersDashboardMixin
from .views import InkassoDashboardMixin


def panel(user, order) -> dict:
    """Return what the panel shows ``user`` about ``order`` (nothing if not theirs)."""
    may_hand_over = can_hand_over(user)
    may_send = can_send_reminders(user)
    if order is None or not (may_hand_over or may_send):
        return {"show": False}
    today = timezone.localdate()
    found = {"show": True, "order": order, "may_send_reminders": may_send}
    if may_hand_over:
        found["story"] = order_story(order.pk, today=today)
    if may_send:
        [[next_letter]] = reminders.next_letters([order.pk], today=today)
        found.update(
            letters=reminders.letters_of(order.pk),
            next_letter=next_letter,
            stops=DunningStop.objects.filter(order_id=order.pk).order_by("created_at"),
        )
    return found


def _errors(report) -> list[str]:
    return [error for claim in report.refused for error in claim.errors]


def _order(number):
    return get_object_or_404(apps.get_model("order", "Order"), number=number)


class OrderHandOverView(InkassoDashboardMixin, TemplateView):
    """Confirm, then hand this one order over and offer its file."""

    template_name = "inkasso_oscar/dashboard/order_hand_over.html"

    def get_context_data(self, **kwargs):
        order = _order(self.kwargs["number"])
        story = order_story(order.pk, today=timezone.localdate())
        return super().get_context_data(
            order=order,
            story=story,
            form=kwargs.pop("form", None) or HandoverForm(),
            # The page shows the withdrawal: handing over is the clerk's choice.
            withdrawn_seen=story.withdrawn is not None,
            status_label=get_adapter().collection_status_label,
            **kwargs,
        )

    def post(self, request, number):
        order = _order(number)
        form = HandoverForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            result = services.hand_over(
                order_ids=[order.pk],
                source=Handover.Source.ORDER_PAGE,
                user=request.user,
                encoding=form.cleaned_data["encoding"],
                # The page showed the withdrawal: the clerk chose it.
                withdrawn_chosen=[order.pk] if "withdrawn_seen" in request.POST else [],
            )
        except InkassoError as error:
            messages.error(request, str(error))
            return redirect("dashboard:order-detail", number=order.number)
        if result.handover is None:
            messages.warning(
                request,
                _("The order was not handed over: %(reasons)s")
                % {"reasons": " ".join(_errors(result.report))},
            )
            return redirect("dashboard:order-detail", number=order.number)
        messages.success(
            request,
            _("Order %(number)s was handed over to mediafinanz.")
            % {"number": order.number},
        )
        return redirect("inkasso_oscar:handover", pk=result.handover.pk)


class LetterFileView(RemindersDashboardMixin, View):
    """Return a letter's recorded PDF, byte for byte."""

    def get(self, request, pk):
        letter = get_object_or_404(Letter.objects.all(), pk=pk)
        if not letter.has_copy:
            raise Http404(_("No copy of this letter was kept."))
        return downloads.letter_pdf(letter)
