"""Oscar's order admin with the inkasso action, column, filter and order button.

With ``INKASSO_OSCAR["ADMIN"]`` (the default) the app registers it in place of
Oscar's own. A shop with an order admin of its own sets it to False and
builds on :func:`with_inkasso` or :class:`InkassoOrderAdminMixin` instead.
"""

from importlib import import_module

from django.apps import apps
from django.contrib import admin
from django.utils.module_loading import module_has_submodule

from inkasso.admin import InkassoFilter, InkassoOrderAdminMixin

from . import conf

__all__ = ["register_order_admin", "with_inkasso"]


def with_inkasso(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """Return ``admin_class`` with the inkasso mixin, column and filter."""
    if issubclass(admin_class, InkassoOrderAdminMixin):
        return admin_class
    list_display = list(admin_class.list_display)
    for name in ("status", "inkasso_status"):
        if name not in list_display:
            list_display.append(name)
    list_filter = list(admin_class.list_filter)
    if InkassoFilter not in list_filter:
        list_filter.insert(0, InkassoFilter)
    if "status" not in list_filter:
        list_filter.append("status")
    return type(
        admin_class.__name__,
        (InkassoOrderAdminMixin, admin_class),
        {
            "__module__": __name__,
            "list_display": list_display,
            "list_filter": list_filter,
        },
    )


def register_order_admin(site: admin.AdminSite = admin.site) -> None:
    """Register Oscar's order admin on ``site`` again, with the inkasso mixin."""
    order_app = apps.get_app_config("order")
    if module_has_submodule(order_app.module, "admin"):
        # Oscar's (or the forked app's) admin registers the order admin.
        import_module(f"{order_app.name}.admin")
    order = order_app.get_model("Order")
    current = site._registry.get(order)
    admin_class = type(current) if current is not None else admin.ModelAdmin
    if issubclass(admin_class, InkassoOrderAdminMixin):
        return
    if current is not None:
        site.unregister(order)
    site.register(order, with_inkasso(admin_class))


if conf.get("ADMIN") and apps.is_installed("django.contrib.admin"):
    register_order_admin()
