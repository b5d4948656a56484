"""The one family of errors the services raise; the admin and commands show them."""


class InkassoError(Exception):
    """A rule refused a change; nothing was changed. ``str()`` says what and why."""


class HandoverError(InkassoError):
    """A handover that could not be recorded."""


class ClaimError(InkassoError):
    """A change to a claim that its state or the contract does not allow."""


class DatabaseBusy(HandoverError):
    """The orders or the ledger are locked by another handover for too long."""
