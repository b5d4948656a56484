"""The order's Inkasso story: ready, blocked and why, with mediafinanz, withdrawn.

The same box shows on the order's change page and on its own Inkasso page
(``<order>/inkasso/``), where the clerk hands the order over and gets its file.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import services
from ..adapters import get_adapter
from ..exceptions import InkassoError
from ..forms import HandoverForm
from ..models import Handover
from ..story import order_story
from . import action
from .common import admin_url, can_hand_over, order_url, template_names

WITH_MEDIAFINANZ = "with_mediafinanz"
READY = "ready"
BLOCKED = "blocked"


def state(order) -> dict:
    """Return where ``order`` stands in debt collection, for the templates.

    ``inkasso_state`` is one of :data:`WITH_MEDIAFINANZ`, :data:`READY` and
    :data:`BLOCKED`; with it the open claim, the last withdrawn claim, and the
    order's check (its errors with what to do, and its warnings).
    """
    story = order_story(order.pk, today=timezone.localdate())
    if story.claim is not None:
        return {
            "inkasso_state": story.state,
            "inkasso_claim": story.claim,
            "inkasso_changed": story.changed,
            "inkasso_withdrawn": story.withdrawn,
        }
    return {
        "inkasso_state": story.state,
        "inkasso_check": story.check,
        "inkasso_errors": story.errors,
        "inkasso_warnings": story.warnings,
        "inkasso_withdrawn": story.withdrawn,
        "inkasso_status_label": get_adapter().collection_status_label,
    }


def context(modeladmin, request, order) -> dict:
    """Return the order's story and the links of its box."""
    found = state(order)
    claim = found.get("inkasso_claim")
    return {
        **found,
        "inkasso_url": order_url(modeladmin, "inkasso", order.pk),
        "inkasso_change_url": order_url(modeladmin, "change", order.pk),
        "inkasso_claim_url": claim
        and admin_url(modeladmin, "inkasso_claim_change", claim.pk),
        "inkasso_download_url": claim
        and not claim.handover.purged_at
        and admin_url(modeladmin, "inkasso_handover_download", claim.handover_id),
        "inkasso_handover_url": claim
        and admin_url(modeladmin, "inkasso_handover_change", claim.handover_id),
    }


def view(modeladmin, request, object_id):
    """Show the order's story; hand it over and give its file."""
    if not can_hand_over(request):
        raise PermissionDenied
    order = modeladmin.get_object(request, unquote(object_id))
    if order is None:
        raise Http404
    if not modeladmin.has_view_or_change_permission(request, order):
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
            modeladmin.message_user(request, str(exc), messages.ERROR)
        else:
            response = action.handover_done(modeladmin, request, result)
            if response is not None:
                return response
        return HttpResponseRedirect(request.path)
    story = context(modeladmin, request, order)
    checked = story.get("inkasso_check")
    page = {
        **modeladmin.admin_site.each_context(request),
        **story,
        "title": _("Inkasso mediafinanz"),
        "opts": modeladmin.model._meta,
        "original": order,
        "form": form,
        "on_inkasso_page": True,
        "claim": checked,
        "active_claim": story.get("inkasso_claim"),
        # The page shows the withdrawal: handing over is the clerk's choice.
        "withdrawn_seen": checked is not None
        and any(problem.code == "withdrawn_before" for problem in checked.problems),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template_names(
            modeladmin, modeladmin.inkasso_order_template, "order_handover.html"
        ),
        page,
    )
