"""The orders of a confirmation page, signed for the user who confirms them.

The admin action's confirmation page carries the keys of the selected orders
(all 100,000 of a "select all") in one signed field, so that the handover
takes exactly the orders the clerk saw, and nobody else's selection.
"""

import zlib

from django.core import signing
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError

from .adapters import get_order_model

SALT = "inkasso.selection"
MAX_AGE = 60 * 60
NOT_ORDER_KEYS = "The selection is not a list of order keys."


def _json_keys(order_ids: list) -> list:
    # JSON holds no UUID: such primary keys travel as text, ints stay ints.
    return [pk if isinstance(pk, int) else str(pk) for pk in order_ids]


def sign(*, user, order_ids: list, withdrawn: list = (), left_out: list = ()) -> str:
    """Return the token of these orders for this user.

    ``withdrawn`` are those of them whose withdrawn claim the clerk was shown,
    ``left_out`` those the clerk left out on the confirmation page.
    """
    return signing.dumps(
        {
            "user": str(user.pk),
            "orders": _json_keys(order_ids),
            "withdrawn": _json_keys(list(withdrawn)),
            "left_out": _json_keys(list(left_out)),
        },
        salt=SALT,
        compress=True,
    )


def _subset(user, token: str, name: str) -> list:
    """Return the orders of a token's list ``name``; never one beyond its orders."""
    order_ids = unsign(user=user, token=token)
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    listed = data.get(name, [])
    if not isinstance(listed, list):
        raise BadRequest(NOT_ORDER_KEYS)
    keys = dict(zip(_json_keys(order_ids), order_ids, strict=True))
    return [keys[pk] for pk in listed if type(pk) in (int, str) and pk in keys]


def unsign_withdrawn(*, user, token: str) -> list:
    """Return the orders of a token whose withdrawn claim the clerk was shown."""
    return _subset(user, token, "withdrawn")


def unsign_left_out(*, user, token: str) -> list:
    """Return the orders of a token that the clerk left out."""
    return _subset(user, token, "left_out")


def keys_of(order_ids: list, posted: list[str]) -> list:
    """Return the keys among ``order_ids`` that ``posted`` names, as text.

    Whatever else is posted is ignored: a form can only pick from the signed
    selection, never add to it.
    """
    wanted = set(posted)
    return [pk for pk in order_ids if str(pk) in wanted]


def unsign(*, user, token: str) -> list:
    """Return the order keys of a token that :func:`sign` made for this user.

    A token that is forged, too old or another user's is refused (403). A
    signed token that is not what :func:`sign` makes is a bad request (400):
    only a holder of the secret key, or another version, can make one.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        raise PermissionDenied from None
    except (ValueError, zlib.error):
        raise BadRequest("The selection cannot be read.") from None
    if not isinstance(data, dict) or data.get("user") != str(user.pk):
        raise PermissionDenied
    orders = data.get("orders")
    if not isinstance(orders, list) or not all(type(pk) in (int, str) for pk in orders):
        raise BadRequest(NOT_ORDER_KEYS)
    field = get_order_model()._meta.pk
    try:
        order_ids = [field.to_python(pk) for pk in orders]
        for pk in order_ids:
            field.run_validators(pk)
    except ValidationError:
        raise BadRequest(NOT_ORDER_KEYS) from None
    # "1" for an integer key, or 5 for a UUID, converts; only the form that
    # sign() gives each key is taken.
    if _json_keys(order_ids) != orders:
        raise BadRequest(NOT_ORDER_KEYS)
    return order_ids
