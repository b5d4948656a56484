from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InkassoConfig(AppConfig):
    name = "inkasso"
    verbose_name = _("Debt collection (mediafinanz)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, dunning_checks  # noqa: F401  (registers the checks)
