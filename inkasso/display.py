"""How the pages show money, days and times to a clerk, in the clerk's language.

German: ``1.234,56 €``, ``03.11.2026``, ``03.11.2026 20:39``; English:
``€1,234.56``, ``11/03/2026``. Times are local. The admin and Oscar's
dashboard both use these. The handover file never uses
these: its formats are the contract's (``inkasso.contract``).
"""

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

NO_VALUE = "–"
NBSP = "\u00a0"


def money(amount: Decimal | int | None) -> str:
    """An amount in euros with thousands separators: ``1.234,56 €``."""
    if amount is None:
        return NO_VALUE
    number = formats.number_format(amount, 2, use_l10n=True, force_grouping=True)
    # Translators: an amount in euros; %(amount)s is already formatted.
    text = pgettext("money", "€%(amount)s") % {"amount": number}
    return text.replace(" ", NBSP)


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A calendar day, ``03.11.2026``; a datetime counts as its local day."""
    if value is None:
        return NO_VALUE
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def moment(value: datetime.datetime | None) -> str:
    """A point in time, local: ``03.11.2026 20:39``."""
    if value is None:
        return NO_VALUE
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def recorded(at, user) -> str:
    """``03.11.2026 20:39 by clerk``."""
    return gettext("%(date)s by %(user)s") % {
        "date": moment(at),
        "user": user or NO_VALUE,
    }
