from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import conf


class InkassoOscarConfig(AppConfig):
    name = "inkasso.contrib.oscar"
    label = "inkasso_oscar"
    verbose_name = _("Debt collection for django-oscar")

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Settings alone: the order model and the adapter are Oscar's. Set
        # before any model loads (the ledger's foreign key reads the first).
        for name, value in (
            ("INKASSO_ORDER_MODEL", conf.ORDER_MODEL),
            ("INKASSO_ADAPTER", conf.ADAPTER),
        ):
            if not hasattr(settings, name):
                setattr(settings, name, value)

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)

        if conf.get("DASHBOARD"):
            from .dashboard import NAVIGATION

            # A new list: Oscar's default is shared with oscar.defaults.
            navigation = list(getattr(settings, "OSCAR_DASHBOARD_NAVIGATION", []))
            if NAVIGATION not in navigation:
                settings.OSCAR_DASHBOARD_NAVIGATION = [*navigation, NAVIGATION]
