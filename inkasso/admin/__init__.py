"""The inkasso admin, one module per room.

- ``orders``: what the app adds to the host's order admin (column, filter,
  order page), and ``action``: the handover action and its confirmation;
- ``handovers``, ``claims``, ``payments`` and ``filters``: the ledger;
- ``inkasso.admin_dunning``: the reminders (letters, dunning stops).

Hosts import ``InkassoOrderAdminMixin`` and ``InkassoFilter`` from here.
"""

from .. import admin_dunning  # noqa: E402, I001  (the reminders: letters, stops)
from .action import hand_over_to_mediafinanz
from .claims import ClaimAdmin, DirectPaymentInline
from .common import PERMISSION, LedgerAdmin, can_hand_over
from .handovers import HandoverAdmin
from .orders import InkassoFilter, InkassoOrderAdminMixin
from .payments import DirectPaymentAdmin, mark_reported

__all__ = [
    "PERMISSION",
    "ClaimAdmin",
    "DirectPaymentAdmin",
    "DirectPaymentInline",
    "HandoverAdmin",
    "InkassoFilter",
    "InkassoOrderAdminMixin",
    "LedgerAdmin",
    "admin_dunning",
    "can_hand_over",
    "hand_over_to_mediafinanz",
    "mark_reported",
]
