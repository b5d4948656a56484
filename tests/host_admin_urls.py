"""Two more admin sites for tests/test_admin_host_fit.py.

``second`` registers the demo shop's own order admin; ``host`` an order admin
with its own templates and django-import-export's ExportMixin, which lists
no InkassoFilter.
"""

from django.contrib import admin
from django.urls import path
from import_export.admin import ExportMixin

from inkasso.admin import InkassoOrderAdminMixin
from shop.admin import CustomerAdmin, OrderAdmin
from shop.models import Customer, Order
from shop.urls import urlpatterns as shop_urlpatterns

second_site = admin.AdminSite(name="second")
second_site.register(Order, OrderAdmin)
# OrderAdmin looks customers up by autocomplete, which needs their admin
# in the same site (admin.E039 for every command run after this import).
second_site.register(Customer, CustomerAdmin)


class HostOrderAdmin(InkassoOrderAdminMixin, ExportMixin, admin.ModelAdmin):
    change_list_template = "host/order_change_list.html"
    change_form_template = "host/order_change_form.html"
    list_display = ["number", "inkasso_status"]
    list_filter = ["status"]


class ExportFirstOrderAdmin(ExportMixin, InkassoOrderAdminMixin, admin.ModelAdmin):
    change_list_template = "host/order_change_list.html"


host_site = admin.AdminSite(name="host")
host_site.register(Order, HostOrderAdmin)

urlpatterns = [
    path("second/", second_site.urls),
    path("host/", host_site.urls),
    *shop_urlpatterns,
]
