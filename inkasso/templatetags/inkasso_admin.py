from django import template
from django.utils import timezone

from .. import display, story
from ..adapters import get_order_model

register = template.Library()


@register.inclusion_tag("admin/inkasso/index_box.html", takes_context=True)
def inkasso_index_box(context):
    """Show a clerk on the admin's start page what is due and what to do next."""
    # Imported here: Django loads every tag library at start, and a shop
    # without django.contrib.admin (an Oscar shop, say) cannot import the admin.
    from ..admin.common import can_hand_over, site_url

    request = context.get("request")
    if request is None or not can_hand_over(request):
        return {"show": False}
    opts = get_order_model()._meta
    # In the admin site of the start page (a second AdminSite keeps its links).
    site = getattr(request, "current_app", None)
    return {
        "show": True,
        "overview": story.collection_overview(today=timezone.localdate()),
        "orders_url": site_url(site, f"{opts.app_label}_{opts.model_name}_changelist"),
        "claims_url": site_url(site, "inkasso_claim_changelist"),
        "payments_url": site_url(site, "inkasso_directpayment_changelist"),
        "handovers_url": site_url(site, "inkasso_handover_changelist"),
    }


@register.filter
def money(amount):
    """``{{ claim.amount|money }}``: ``1.234,56 €`` in German."""
    return display.money(amount)


@register.filter
def day(value):
    """``{{ letter.deadline|day }}``: ``03.11.2026`` in German."""
    return display.day(value)


@register.filter
def moment(value):
    """``{{ handover.created_at|moment }}``: local time, ``03.11.2026 20:39``."""
    return display.moment(value)
