"""The Inkasso pages in Oscar's dashboard, on inkasso's selectors and services."""

from django.utils.translation import gettext_lazy as _

PERMISSION = "inkasso.hand_over"
REMINDERS_PERMISSION = "inkasso.send_reminders"


def can_hand_over(user, url_name=None, url_args=None, url_kwargs=None) -> bool:
    """Oscar's navigation access function: dashboard staff who may hand over."""
    return bool(user.is_active and user.is_staff and user.has_perm(PERMISSION))


def can_send_reminders(user, url_name=None, url_args=None, url_kwargs=None) -> bool:
    """Oscar's navigation access function: dashboard staff who may send letters."""
    return bool(
        user.is_active and user.is_staff and user.has_perm(REMINDERS_PERMISSION)
    )


NAVIGATION = {
    "label": _("Debt collection"),
    "icon": "fas fa-gavel",
    "children": [
        {
            "label": _("Orders due for handover"),
            "url_name": "inkasso_oscar:orders",
            "access_fn": can_hand_over,
        },
        {
            "label": _("Handovers"),
            "url_name": "inkasso_oscar:handovers",
            "access_fn": can_hand_over,
        },
        {
            "label": _("Claims and file numbers"),
            "url_name": "inkasso_oscar:claims",
            "access_fn": can_hand_over,
        },
        {
            "label": _("Send reminders"),
            "url_name": "inkasso_oscar:reminders",
            "access_fn": can_send_reminders,
        },
    ],
}
