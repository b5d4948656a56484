"""The confirmation page of the handover action, and the URL it posts to.

The action (Django's machinery) shows the page; the page posts to the order
admin's ``inkasso/hand-over/`` with the signed selection. There the clerk
leaves orders out, pages through a long list, or hands over. The orders left
out are a subset of the signed selection: the form only ever names orders to
take away from it, and anything else it names is ignored.
"""

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import selection, selectors, services
from ..adapters import get_adapter
from ..conf import app_settings
from ..exceptions import InkassoError
from ..forms import HandoverForm
from ..models import Handover
from . import action
from .common import order_url, template_names

#: Claims per page of the confirmation; warned ones come first.
PER_PAGE = 100
#: Refused orders listed (the rest are counted).
REFUSED_SHOWN = 200
#: Above this many refused orders, their list starts folded.
REFUSED_OPEN = 20


def render(
    modeladmin,
    request,
    *,
    order_ids: list,
    withdrawn: list,
    left_out: list = (),
    page: int = 1,
    form: HandoverForm | None = None,
):
    """Check the selected orders (but those left out) and show what happens."""
    form = form or HandoverForm()
    encoding = form.data.get("encoding") if form.is_bound else None
    if encoding not in dict(form.fields["encoding"].choices):
        encoding = app_settings.ENCODING
    left = set(left_out)
    kept = [pk for pk in order_ids if pk not in left]
    page = max(page, 1)
    report = selectors.check_orders(
        order_ids=kept,
        today=timezone.localdate(),
        encoding=encoding,
        keep=max(page * PER_PAGE, REFUSED_SHOWN),
        withdrawn_chosen=set(withdrawn),
    )
    pages = max(math.ceil(report.accepted_count / PER_PAGE), 1)
    page = min(page, pages)
    # Those with warnings first: they are the ones to look at.
    rows = report.warned + [claim for claim in report.accepted if not claim.warnings]
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Hand over to mediafinanz"),
        "opts": opts,
        "form": form,
        "selection": selection.sign(
            user=request.user,
            order_ids=order_ids,
            withdrawn=withdrawn,
            left_out=[pk for pk in order_ids if pk in left],
        ),
        "confirm_url": order_url(modeladmin, "inkasso_hand_over"),
        "changelist_url": order_url(modeladmin, "changelist"),
        "blocked_url": order_url(modeladmin, "changelist") + "?collection=blocked",
        "report": report,
        "rows": [
            (claim, order_url(modeladmin, "change", claim.order_id)) for claim in shown
        ],
        "shown_ids": ",".join(str(claim.order_id) for claim in shown),
        "refused_rows": [
            (claim, order_url(modeladmin, "change", claim.order_id))
            for claim in report.refused[:REFUSED_SHOWN]
        ],
        "refused_more": report.refused_count - min(len(report.refused), REFUSED_SHOWN),
        "refused_open": report.refused_count <= REFUSED_OPEN,
        "left_out_count": len(left),
        "page": page,
        "pages": range(1, pages + 1) if pages > 1 else (),
        "accepted": report.accepted,
        "refused": report.refused,
        "accepted_count": report.accepted_count,
        "refused_count": report.refused_count,
        "status_label": get_adapter().collection_status_label,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template_names(
            modeladmin,
            modeladmin.inkasso_confirmation_template,
            "hand_over_confirmation.html",
        ),
        context,
    )


def _posted_page(request) -> int:
    try:
        return int(request.POST.get("page", 1))
    except ValueError:
        return 1


def view(modeladmin, request):
    """Leave orders out, turn the page, or hand over the confirmed orders."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (
        modeladmin.has_inkasso_hand_over_permission(request)
        and modeladmin.has_view_or_change_permission(request)
    ):
        raise PermissionDenied
    token = request.POST.get("selection", "")
    order_ids = selection.unsign(user=request.user, token=token)
    withdrawn = selection.unsign_withdrawn(user=request.user, token=token)
    left_out = set(selection.unsign_left_out(user=request.user, token=token))
    if "restore" in request.POST:
        left_out = set()
    else:
        # Of the orders shown on this page, those not ticked are left out.
        shown = request.POST.get("shown", "").split(",")
        ticked = set(request.POST.getlist("keep"))
        unticked = [key for key in shown if key not in ticked]
        left_out.update(selection.keys_of(order_ids, unticked))
        left_out.difference_update(selection.keys_of(order_ids, list(ticked)))
    kept = [pk for pk in order_ids if pk not in left_out]
    form = HandoverForm(request.POST)
    if "confirm" in request.POST and form.is_valid():
        if not kept:
            messages.warning(
                request, gettext("You left out every order; nothing was handed over.")
            )
        else:
            try:
                result = services.hand_over(
                    order_ids=kept,
                    source=Handover.Source.ADMIN,
                    user=request.user,
                    encoding=form.cleaned_data["encoding"],
                    # Only the withdrawals this page showed; one made meanwhile
                    # refuses its order.
                    withdrawn_chosen=[pk for pk in withdrawn if pk not in left_out],
                )
            except InkassoError as exc:
                modeladmin.message_user(request, str(exc), messages.ERROR)
            else:
                response = action.handover_done(modeladmin, request, result)
                if response is not None:
                    return response
    return render(
        modeladmin,
        request,
        order_ids=order_ids,
        withdrawn=withdrawn,
        left_out=[pk for pk in order_ids if pk in left_out],
        page=_posted_page(request),
        form=form,
    )
