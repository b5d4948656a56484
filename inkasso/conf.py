"""The installation settings of django-inkasso, read on every access.

Reading ``django.conf.settings`` each time keeps ``override_settings`` working
in tests; the defaults live here and nowhere else.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

DEFAULT_SALUTATION_CODES = {"male": "m", "female": "f", "company": "c"}

#: The dunning levels and their schedule. Index = level stored in the ledger.
#: ``mahnung``: a real Mahnung (the handover's Mahndatum); a reminder is not.
#: ``days``: days after the due date (first level) or after the previous
#: letter's deadline; ``deadline_days``: how long the letter's deadline runs;
#: ``fee``: the real costs the shop charges for the letter ("0.00": none).
DEFAULT_DUNNING_LEVELS = [
    {
        "name": _("Payment reminder"),
        "mahnung": False,
        "days": 7,
        "deadline_days": 10,
        "fee": "0.00",
    },
    {
        "name": _("1st dunning letter"),
        "mahnung": True,
        "days": 3,
        "deadline_days": 14,
        "fee": "0.00",
    },
    {
        "name": _("2nd dunning letter"),
        "mahnung": True,
        "days": 3,
        "deadline_days": 14,
        "fee": "0.00",
    },
    {
        "name": _("Final dunning letter"),
        "mahnung": True,
        "days": 3,
        "deadline_days": 10,
        "fee": "0.00",
    },
]


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

    @property
    def LOCK_TIMEOUT(self) -> float:
        """Seconds a ledger write waits for another's locks before it gives up.

        Longer than a handover of 100,000 orders takes, shorter than the 30 s
        after which servers such as gunicorn give up on a request.
        """
        return getattr(settings, "INKASSO_LOCK_TIMEOUT", 15)

    @property
    def RETENTION_YEARS(self) -> int:
        """Full years after the year of a handover that its personal data is kept."""
        return getattr(settings, "INKASSO_RETENTION_YEARS", 10)

    @property
    def DUNNING_LEVELS(self) -> list[dict]:
        """The dunning levels and their schedule (``DEFAULT_DUNNING_LEVELS``)."""
        return getattr(settings, "INKASSO_DUNNING_LEVELS", DEFAULT_DUNNING_LEVELS)

    @property
    def DUNNING_CHANNEL(self) -> str:
        """How letters go out unless the sender says otherwise: email or post."""
        return getattr(settings, "INKASSO_DUNNING_CHANNEL", "email")

    @property
    def DUNNING_LANGUAGE(self) -> str:
        """The language of the letters (a language with letter templates)."""
        return getattr(settings, "INKASSO_DUNNING_LANGUAGE", "de")

    @property
    def DUNNING_FLAT_FEE(self) -> bool:
        """Claim the 40 EUR flat fee of §288 (5) BGB from company debtors."""
        return getattr(settings, "INKASSO_DUNNING_FLAT_FEE", False)

    @property
    def HAND_OVER_AFTER_LAST_LETTER(self) -> bool:
        """Orders are due for handover once the last letter's deadline passed."""
        return getattr(settings, "INKASSO_HAND_OVER_AFTER_LAST_LETTER", True)

    @property
    def CREDITOR(self) -> dict | None:
        """The shop as the letters name it: ``name``, ``address`` lines, ``details``."""
        return getattr(settings, "INKASSO_CREDITOR", None)

    @property
    def DUNNING_PENDING_TIMEOUT(self) -> int:
        """Seconds after which a letter still being sent counts as failed.

        A worker that died after it claimed a letter leaves it pending; after
        this time the next run sends the order its letter again. Longer than
        the sending of a chunk of letters ever takes.
        """
        return getattr(settings, "INKASSO_DUNNING_PENDING_TIMEOUT", 3600)

    @property
    def DUNNING_FROM_EMAIL(self) -> str | None:
        """Sender of the e-mailed letters; None: ``DEFAULT_FROM_EMAIL``."""
        return getattr(settings, "INKASSO_DUNNING_FROM_EMAIL", None)


app_settings = Settings()
