"""What every inkasso admin page shares: the permission and the ledger's base admin."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext

from ..models import Handover

PERMISSION = "inkasso.hand_over"


def can_hand_over(request) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


def purge_date(handover: Handover) -> str:
    return formats.date_format(timezone.localtime(handover.purged_at))


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
