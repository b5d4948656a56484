"""The admin action: check the selected orders, confirm, hand them over."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import selectors, services
from . import confirm
from .common import admin_url, order_url

REFUSED_MESSAGES = 20


def handover_done(
    modeladmin, request, result: services.HandoverResult
) -> HttpResponseRedirect | None:
    """Tell the clerk what happened and send them to the handover and its file."""
    # Messages travel in the session; a few name the orders, a count says the rest.
    for claim in result.refused[:REFUSED_MESSAGES]:
        messages.error(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                gettext("Order %(order)s was not handed over: %(reasons)s")
                % {"order": claim.label, "reasons": " ".join(claim.errors)},
                order_url(modeladmin, "change", claim.order_id),
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
    url = admin_url(modeladmin, "inkasso_handover_change", handover.pk)
    download = admin_url(modeladmin, "inkasso_handover_download", handover.pk)
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
    """Check the selected orders and show the confirmation page.

    Django's action machinery calls it (``get_action``, and the permission
    ``has_inkasso_hand_over_permission``); the page posts to the admin's own
    URL ``inkasso/hand-over/``, which hands over what the clerk confirmed.
    """
    order_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    # The clerk selected these orders: a withdrawn claim among them is shown
    # as a warning, and handed over again only if they confirm.
    return confirm.render(
        modeladmin,
        request,
        order_ids=order_ids,
        withdrawn=selectors.withdrawn_order_ids(order_ids),
    )
