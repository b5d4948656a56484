"""List filters of the claims and payments pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import Claim


class ClaimStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Claim.State.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


class FileNumberFilter(admin.SimpleListFilter):
    title = _("mediafinanz file number")
    parameter_name = "file_number"

    def lookups(self, request, model_admin):
        return [("missing", _("Not recorded yet")), ("recorded", _("Recorded"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(file_number="")
        if self.value() == "recorded":
            return queryset.exclude(file_number="")
        return queryset


class OrderChangedFilter(admin.SimpleListFilter):
    title = _("order changed in the shop")
    parameter_name = "order_changed"

    def lookups(self, request, model_admin):
        return [("yes", _("Changed since the handover: tell mediafinanz"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=selectors.changed_claims().values("pk"))
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported to mediafinanz")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("no", _("Not reported yet")), ("yes", _("Reported"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(reported_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(reported_at__isnull=False)
        return queryset
