"""The installation settings of django-inkasso, read on every access.

Reading ``django.conf.settings`` each time keeps ``override_settings`` working
in tests; the defaults live here and nowhere else.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_SALUTATION_CODES = {"male": "m", "female": "f", "company": "c"}


class Settings:
    @property
    def ORDER_MODEL(self) -> str:
        """The host shop's order model as ``"app_label.ModelName"``."""
        try:
            return settings.INKASSO_ORDER_MODEL
        except AttributeError:
            raise ImproperlyConfigured(
                "Set INKASSO_ORDER_MODEL to the order model of your shop, "
                'for example "shop.Order".'
            ) from None

    @property
    def ORDER_MODEL_FOR_RELATION(self) -> str:
        """``ORDER_MODEL``, or a placeholder while it is not set.

        The ledger's foreign key needs a target when the models load; the
        placeholder lets Django start, so that ``manage.py check`` can say
        ``inkasso.E001`` instead of a traceback.
        """
        return getattr(settings, "INKASSO_ORDER_MODEL", "inkasso.OrderModelNotSet")

    @property
    def ADAPTER(self) -> str:
        """Dotted path of the host's :class:`inkasso.adapters.OrderAdapter`."""
        return getattr(settings, "INKASSO_ADAPTER", "")

    @property
    def RESOURCE(self) -> str:
        """Dotted path of the resource that renders the file."""
        return getattr(
            settings, "INKASSO_RESOURCE", "inkasso.resources.MediafinanzResource"
        )

    @property
    def ENCODING(self) -> str:
        """``cp1252`` (the default) or ``utf-8-sig`` for Excel."""
        return getattr(settings, "INKASSO_ENCODING", "cp1252")

    @property
    def HEADER_ROW(self) -> bool:
        return getattr(settings, "INKASSO_HEADER_ROW", True)

    @property
    def SALUTATION_CODES(self) -> dict[str, str]:
        """Codes for ``male``, ``female`` and ``company`` in the Geschlecht column."""
        return {
            **DEFAULT_SALUTATION_CODES,
            **getattr(settings, "INKASSO_SALUTATION_CODES", {}),
        }

    @property
    def DUNNING_GRACE_DAYS(self) -> int:
        """Days after the last Mahnung when no deadline is recorded; 0 turns it off."""
        return getattr(settings, "INKASSO_DUNNING_GRACE_DAYS", 7)

    @property
    def MINIMUM_AMOUNT(self) -> Decimal:
        """Claims below this open amount are handed over with a warning."""
        return Decimal(str(getattr(settings, "INKASSO_MINIMUM_AMOUNT", "10.00")))

    @property
    def CHUNK_SIZE(self) -> int:
        """How many orders are read, checked and written at a time."""
        return getattr(settings, "INKASSO_CHUNK_SIZE", 2000)


app_settings = Settings()
