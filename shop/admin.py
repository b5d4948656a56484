from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from inkasso import display, schedule
from inkasso.admin import InkassoFilter, InkassoOrderAdminMixin
from inkasso.admin_dunning import InkassoDunningAdminMixin
from inkasso.dunning_models import level_name

from . import services
from .models import Customer, Order, OrderLine, Payment
from .selectors import days_overdue, orders_with_balance, overdue_q

admin.site.site_header = _("Demo shop: debt collection with mediafinanz")
admin.site.site_title = _("Demo shop")
admin.site.index_title = _("Back office")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "phone"]
    search_fields = ["first_name", "last_name", "company", "email"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        condition = overdue_q(today=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


class DunningLevelFilter(admin.SimpleListFilter):
    title = _("last dunning letter")
    parameter_name = "dunning"

    def lookups(self, request, model_admin):
        return [
            ("none", _("None")),
            *[(str(level.number), level.name) for level in schedule.levels()],
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(last_dunning_level__isnull=True)
        if self.value():
            return queryset.filter(last_dunning_level=self.value())
        return queryset


@admin.register(Order)
class OrderAdmin(InkassoDunningAdminMixin, InkassoOrderAdminMixin, admin.ModelAdmin):
    # What a clerk decides on comes first: status, debt collection, money,
    # dunning; it fits 1400 px (tests/browser/test_order_list_fits.py). The
    # payment method and the order date are filters and the date hierarchy.
    list_display = [
        "number_display",
        "customer",
        "status",
        "inkasso_status",
        "open_amount_display",
        "total_amount",
        "due_date_display",
        "overdue_days",
        "last_dunning",
    ]
    list_filter = [
        InkassoFilter,
        "status",
        "payment_method",
        OverdueFilter,
        DunningLevelFilter,
        "currency",
    ]
    list_select_related = ["customer"]
    search_fields = [
        "number",
        "invoice_number",
        "billing_last_name",
        "billing_company",
        "customer__last_name",
        "customer__email",
    ]
    date_hierarchy = "order_date"

    class Media:
        css = {"all": ["shop/order_list.css"]}

    # The letters are django-inkasso's: the order page lists them with their
    # PDFs (InkassoDunningAdminMixin).
    inlines = [OrderLineInline, PaymentInline]
    actions = ["mark_for_collection"]
    autocomplete_fields = ["customer"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "customer",
                    "status",
                    "order_date",
                    "payment_method",
                    "currency",
                ]
            },
        ),
        (
            _("Invoice"),
            {
                "fields": [
                    "invoice_number",
                    "invoice_date",
                    "due_date",
                    "delivered_date",
                ]
            },
        ),
        (
            _("Billing address"),
            {
                "fields": [
                    "billing_first_name",
                    "billing_last_name",
                    "billing_company",
                    "billing_street",
                    "billing_postcode",
                    "billing_city",
                    "billing_country",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return orders_with_balance(super().get_queryset(request))

    @admin.display(description=pgettext_lazy("column", "no."), ordering="number")
    def number_display(self, obj):
        return obj.number

    @admin.display(description=pgettext_lazy("column", "total"), ordering="total")
    def total_amount(self, obj):
        return display.money(obj.total)

    @admin.display(description=pgettext_lazy("column", "open"), ordering="open_amount")
    def open_amount_display(self, obj):
        return display.money(obj.open_amount)

    @admin.display(description=pgettext_lazy("column", "due"), ordering="due_date")
    def due_date_display(self, obj):
        return display.day(obj.due_date)

    @admin.display(description=pgettext_lazy("column", "overdue"))
    def overdue_days(self, obj):
        days = days_overdue(obj, today=timezone.localdate())
        if not days:
            return display.NO_VALUE
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}

    @admin.display(
        description=pgettext_lazy("column", "last dunning letter"),
        ordering="last_dunning_sent_on",
    )
    def last_dunning(self, obj):
        if obj.last_dunning_level is None:
            return display.NO_VALUE
        return format_html(
            "{}<br><small>{}</small>",
            level_name(obj.last_dunning_level),
            display.day(obj.last_dunning_sent_on),
        )

    @admin.action(
        description=_("Set status “Debt collection in progress”"),
        permissions=["change"],
    )
    def mark_for_collection(self, request, queryset):
        updated = services.put_into_collection(orders=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d order was put into debt collection.",
                "%(count)d orders were put into debt collection.",
                updated,
            )
            % {"count": updated},
            messages.SUCCESS,
        )
