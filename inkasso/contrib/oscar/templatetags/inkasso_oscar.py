from django import template

from ..dashboard import order

register = template.Library()


@register.inclusion_tag("inkasso_oscar/dashboard/order_panel.html", takes_context=True)
def inkasso_order_panel(context):
    """Show the order's Inkasso state and letters on the dashboard's order page."""
    request = context.get("request")
    if request is None:
        return {"show": False}
    return {**order.panel(request.user, context.get("order")), "request": request}
