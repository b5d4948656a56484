"""What every inkasso admin page shares: the permission and the ledger's base admin."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from .. import display
from ..models import Handover

PERMISSION = "inkasso.hand_over"


def can_hand_over(request) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


def template_names(modeladmin, template: str | list | None, name: str) -> list:
    """Return the templates a page of ``modeladmin`` looks for, as Django's admin.

    ``template`` is the admin's own choice (a ``*_template`` attribute); without
    one, ``admin/<app>/<model>/<name>``, ``admin/<app>/<name>`` and
    ``admin/inkasso/<name>``, the first that exists.
    """
    if template:
        return [template] if isinstance(template, str) else list(template)
    opts = modeladmin.model._meta
    return [
        f"admin/{opts.app_label}/{opts.model_name}/{name}",
        f"admin/{opts.app_label}/{name}",
        f"admin/inkasso/{name}",
    ]


def site_url(site_name: str | None, name: str, *args) -> str:
    """Reverse ``admin:<name>`` in the admin site ``site_name``.

    A site without that page (a second site with the orders only, say)
    links to the default admin's.
    """
    try:
        return reverse(f"admin:{name}", args=args, current_app=site_name)
    except NoReverseMatch:
        return reverse(f"admin:{name}", args=args)


def admin_url(modeladmin, name: str, *args) -> str:
    """Reverse ``admin:<name>`` in the admin site of ``modeladmin``."""
    return site_url(modeladmin.admin_site.name, name, *args)


def order_url(modeladmin, view: str, *args) -> str:
    """Reverse an order-admin URL (``change``, ``changelist``, ``inkasso`` …)."""
    opts = modeladmin.model._meta
    return admin_url(modeladmin, f"{opts.app_label}_{opts.model_name}_{view}", *args)


def purge_date(handover: Handover) -> str:
    return display.day(handover.purged_at)


def purged_on(handover: Handover) -> str:
    """Say when the purge deleted the handover's file and personal data."""
    return gettext("Deleted on %(date)s (retention ended)") % {
        "date": purge_date(handover)
    }


class LedgerAdmin(admin.ModelAdmin):
    """Read-only ledger pages for users with the handover permission only."""

    def has_view_permission(self, request, obj=None):
        return can_hand_over(request)

    def has_module_permission(self, request):
        return can_hand_over(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object_or_404(self, request, object_id):
        """Return the object of a URL, or 404 for any id that is not one."""
        # get_object() answers None for a malformed id ("abc", "1.5") as well.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj
