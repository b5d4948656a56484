"""The reminders in the admin: the send action, the order page's history, the ledger.

A host's order admin gets them with :class:`InkassoDunningAdminMixin`, next to
:class:`inkasso.admin.InkassoOrderAdminMixin`::

    class OrderAdmin(
        InkassoDunningAdminMixin, InkassoOrderAdminMixin, admin.ModelAdmin
    ): ...
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import downloads, dunning, reminders, sending
from .conf import app_settings
from .dunning_models import DunningStop, Letter
from .exceptions import InkassoError
from .forms import SendForm

PERMISSION = "inkasso.send_reminders"


def can_send_reminders(request) -> bool:
    return request.user.has_perm(PERMISSION)


@admin.action(
    description=_("Send payment reminder / dunning letter"),
    permissions=["inkasso_send_reminders"],
)
def send_reminders(modeladmin, request, queryset):
    """Say which letter each selected order gets, then send them on confirmation."""
    order_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()
    form = SendForm(
        request.POST if "confirm" in request.POST else None,
        initial={"channel": app_settings.DUNNING_CHANNEL},
    )
    if form.confirmed():
        try:
            result = sending.send_letters(
                order_ids,
                today=today,
                user=request.user,
                channel=form.cleaned_data["channel"],
            )
        except InkassoError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return None
        for level, message in result.messages():
            modeladmin.message_user(request, message, level)
        if result.postal_ids:
            return downloads.postal_letters(result.postal_ids, today=today)
        return None

    channel = form["channel"].value() or app_settings.DUNNING_CHANNEL
    try:
        # The page's figures are those of the run it confirms, as on the
        # command's dry run and Oscar's reminders page.
        preview = sending.send_letters(
            order_ids, today=today, channel=channel, dry_run=True
        )
    except InkassoError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Send payment reminder / dunning letter"),
        "opts": opts,
        "form": form,
        "channel": channel,
        "preview": preview,
        "order_ids": order_ids,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "send_reminders",
        "order_change_url": f"admin:{opts.app_label}_{opts.model_name}_change",
    }
    return TemplateResponse(
        request, "admin/inkasso/send_reminders_confirmation.html", context
    )


class InkassoDunningAdminMixin:
    """Add the send action and the dunning history to a host's order admin."""

    change_form_template = "admin/inkasso/order_dunning_change_form.html"

    def has_inkasso_send_reminders_permission(self, request):
        return can_send_reminders(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is not None and can_send_reminders(request):
            actions["send_reminders"] = (
                send_reminders,
                "send_reminders",
                send_reminders.short_description,
            )
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if can_send_reminders(request):
            pk = self.model._meta.pk.to_python(unquote(object_id))
            [[next_letter]] = reminders.next_letters([pk], today=timezone.localdate())
            extra_context.update(
                inkasso_letters=reminders.letters_of(pk),
                inkasso_next_letter=next_letter,
                inkasso_stops=DunningStop.objects.filter(order_id=pk),
            )
        return super().change_view(request, object_id, form_url, extra_context)


class DunningLedgerAdmin(admin.ModelAdmin):
    """Read-only dunning ledger pages for users who may send reminders."""

    def has_view_permission(self, request, obj=None):
        return can_send_reminders(request)

    def has_module_permission(self, request):
        return can_send_reminders(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(DunningLedgerAdmin):
    list_display = [
        "order",
        "level_name",
        "sent_on",
        "deadline",
        "channel",
        "status",
        "sent_by",
    ]
    list_filter = ["status", "channel", "level", "sent_on"]
    list_select_related = ["sent_by"]
    exclude = ["pdf"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="inkasso_letter_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id):
        """Return the letter's recorded PDF, byte for byte."""
        if not can_send_reminders(request):
            raise Http404
        letter = self.get_object(request, unquote(object_id))
        if letter is None or not letter.has_copy:
            raise Http404
        return downloads.letter_pdf(letter)


class DunningStopForm(forms.ModelForm):
    # No Meta: the admin makes the form when it is first shown, after the
    # host's order model is known (a class here would need it at import).

    def clean(self):
        cleaned = super().clean()
        order = cleaned.get("order")
        if (
            order is not None
            and DunningStop.objects.filter(
                order_id=order.pk, lifted_at__isnull=True
            ).exists()
        ):
            raise forms.ValidationError(
                gettext("The order already has a dunning stop.")
            )
        return cleaned


@admin.action(description=_("Lift the dunning stop"))
def lift_stops(modeladmin, request, queryset):
    lifted = 0
    for stop in queryset.filter(lifted_at__isnull=True):
        try:
            dunning.lift_dunning_stop(stop, user=request.user)
        except InkassoError:
            continue
        lifted += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d dunning stop was lifted.",
            "%(count)d dunning stops were lifted.",
            lifted,
        )
        % {"count": lifted},
        messages.SUCCESS,
    )


@admin.register(DunningStop)
class DunningStopAdmin(DunningLedgerAdmin):
    form = DunningStopForm
    fields = ["order", "reason", "note"]
    list_display = [
        "order",
        "reason",
        "created_at",
        "created_by",
        "lifted_at",
        "lifted_by",
    ]
    list_filter = ["reason", ("lifted_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["order"]
    actions = [lift_stops]

    def has_add_permission(self, request, obj=None):
        return can_send_reminders(request)

    def save_model(self, request, obj, form, change):
        stop = dunning.stop_dunning(
            obj.order, reason=obj.reason, note=obj.note, user=request.user
        )
        obj.pk = stop.pk
