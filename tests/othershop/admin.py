from django.contrib import admin

from inkasso.admin import InkassoOrderAdminMixin

from .models import Purchase, PurchaseItem


class PurchaseItemInline(admin.TabularInline):
    model = PurchaseItem
    extra = 0


@admin.register(Purchase)
class PurchaseAdmin(InkassoOrderAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "family_name",
        "state",
        "total_cents",
        "inkasso_status",
    ]
    list_filter = ["state"]
    inlines = [PurchaseItemInline]
