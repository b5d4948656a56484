"""Writes to the dunning ledger: dunning stops, and the letters sent.

Each service checks its own preconditions and raises an
:class:`~inkasso.exceptions.InkassoError` when a rule refuses.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .dunning_models import DunningStop
from .exceptions import InkassoError

__all__ = ["lift_dunning_stop", "stop_dunning"]


def stop_dunning(order, *, reason: str, note: str = "", user=None) -> DunningStop:
    """Set a dunning stop (Mahnsperre): no letters, no handover, until lifted."""
    if reason not in DunningStop.Reason.values:
        raise InkassoError(_("Choose a reason for the dunning stop."))
    try:
        with transaction.atomic():
            return DunningStop.objects.create(
                order_id=order.pk, reason=reason, note=note, created_by=user
            )
    except IntegrityError:
        raise InkassoError(_("The order already has a dunning stop.")) from None


def lift_dunning_stop(stop: DunningStop, *, user=None) -> DunningStop:
    """Lift a dunning stop; the order gets letters and may be handed over again."""
    lifted = DunningStop.objects.filter(pk=stop.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=user
    )
    if not lifted:
        raise InkassoError(_("The dunning stop has been lifted already."))
    stop.refresh_from_db()
    return stop
