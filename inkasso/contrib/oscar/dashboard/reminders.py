"""Sending reminders from the dashboard: the letters due today, then send them.

The page and the sending both go through :func:`inkasso.sending.send_letters`,
as the admin's "send reminders" action and ``inkasso_remind`` do.
"""

from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from inkasso import downloads, reminders, sending
from inkasso.conf import app_settings
from inkasso.exceptions import InkassoError
from inkasso.forms import SendForm

from . import REMINDERS_PERMISSION
from .views import InkassoDashboardMixin


class RemindersDashboardMixin(InkassoDashboardMixin):
    permission_required = REMINDERS_PERMISSION


def _with_numbers(items: list) -> list[tuple]:
    """Pair each item with its order's number, which Oscar's order page needs."""
    numbers = dict(
        apps.get_model("order", "Order")
        ._default_manager.filter(pk__in=[item.order_id for item in items])
        .values_list("pk", "number")
    )
    return [(item, numbers.get(item.order_id)) for item in items]


def _order_ids(today):
    return reminders.reminder_order_ids(today=today)


class RemindersView(RemindersDashboardMixin, TemplateView):
    """The letters due today and the orders that need a person; confirm, send."""

    template_name = "inkasso_oscar/dashboard/reminders.html"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or SendForm(
            initial={"channel": app_settings.DUNNING_CHANNEL}
        )
        channel = form["channel"].value() or app_settings.DUNNING_CHANNEL
        try:
            preview = sending.send_letters(
                _order_ids(timezone.localdate()),
                today=timezone.localdate(),
                channel=channel,
                dry_run=True,
            )
        except InkassoError as error:
            preview, problem = None, str(error)
        else:
            problem = ""
        return super().get_context_data(
            form=form,
            channel=channel,
            preview=preview,
            problem=problem,
            due=_with_numbers(preview.due if preview else []),
            refused=_with_numbers(preview.refused if preview else []),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = SendForm(request.POST)
        if not form.confirmed():
            # Another channel than the preview's: show its letters first.
            return self.render_to_response(self.get_context_data(form=form))
        today = timezone.localdate()
        try:
            result = sending.send_letters(
                _order_ids(today),
                today=today,
                user=request.user,
                channel=form.cleaned_data["channel"],
            )
        except InkassoError as error:
            messages.error(request, str(error))
            return redirect("inkasso_oscar:reminders")
        for level, message in result.messages():
            messages.add_message(request, level, message)
        if result.postal_ids:
            return downloads.postal_letters(result.postal_ids, today=today)
        return redirect("inkasso_oscar:reminders")
