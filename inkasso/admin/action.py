"""The admin action: check the selected orders, confirm, hand them over."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import selection, selectors, services
from ..adapters import get_adapter, get_order_model
from ..conf import app_settings
from ..exceptions import InkassoError
from ..forms import HandoverForm
from ..models import Handover

PREVIEW_LIMIT = 1000
REFUSED_MESSAGES = 20


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
