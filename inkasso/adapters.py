"""The contract between a host shop and django-inkasso.

A host shop writes one small subclass of :class:`OrderAdapter` and names it in
``INKASSO_ADAPTER``. The adapter turns one of the host's orders into a
:class:`ClaimData`; everything after that (checks, formats, the file, the
ledger) is django-inkasso's job.
"""

import dataclasses
import datetime
import enum
import functools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string

from .conf import app_settings
from .expressions import KeyList


class Salutation(enum.Enum):
    UNKNOWN = ""
    MALE = "male"
    FEMALE = "female"


class ClaimType(enum.IntEnum):
    GOODS_DELIVERED = 1
    GOODS_PREPAID_NOT_SHIPPED = 2
    SERVICE = 3


@dataclasses.dataclass(slots=True)
class ClaimData:
    """What a host order says about a claim, before any formatting or checking.

    Text is given as the shop stores it; django-inkasso cleans, transliterates
    and formats it. Leave a value empty (``""`` or ``None``) when the shop does
    not know it: the checks then say what is missing.
    """

    first_name: str = ""
    last_name: str = ""
    salutation: Salutation = Salutation.UNKNOWN
    company: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    phone: str = ""
    mobile: str = ""
    fax: str = ""
    email: str = ""
    invoice_number: str = ""
    invoice_date: datetime.date | None = None
    invoice_total: Decimal | None = None
    open_amount: Decimal | None = None
    currency: str = "EUR"
    items: Sequence[tuple[int | Decimal, str]] = ()
    due_date: datetime.date | None = None
    service_date: datetime.date | None = None
    dunning_date: datetime.date | None = None
    dunning_deadline: datetime.date | None = None
    claim_type: ClaimType | None = None
    is_cancelled: bool = False


class OrderAdapter:
    """Base class for the adapter a host shop names in ``INKASSO_ADAPTER``.

    Override :meth:`claim_data` (or, to read a chunk of orders at once,
    :meth:`claims`). A shop whose orders have a status field sets
    :attr:`status_field` and :attr:`collection_status` and is done: the
    defaults of :meth:`due_orders`, :meth:`mark_handed_over` and
    :meth:`mark_withdrawn` use them. A shop without such a field overrides
    those methods instead.
    """

    #: Name of the order model's status field, e.g. ``"status"``.
    status_field: str | None = None
    #: The status "Inkasso ist in Arbeit": orders with it are due for handover
    #: (until they have a claim), and handed-over orders get it.
    collection_status = None
    #: The status an order gets back when its claim is withdrawn; ``None``
    #: leaves the status as it is.
    withdrawn_status = None

    def get_queryset(self, queryset: QuerySet) -> QuerySet:
        """Return ``queryset`` prepared for :meth:`claim_data` (joins, prefetches).

        Called once per chunk of orders; no query should be needed per order.
        """
        return queryset

    def claim_data(self, order: Model, *, today: datetime.date) -> ClaimData:
        """Return the claim that ``order`` makes, in the shop's own values."""
        raise NotImplementedError("An inkasso adapter must implement claim_data().")

    def claims(
        self, queryset: QuerySet, *, today: datetime.date
    ) -> Iterator[tuple[object, str, ClaimData]]:
        """Yield ``(pk, label, claim data)`` for the orders of ``queryset``.

        Called once per chunk of orders. The default reads model instances
        through :meth:`get_queryset` and asks :meth:`claim_data` and
        :meth:`order_label` about each. Building model instances is most of
        the time a large handover takes: a shop that hands over tens of
        thousands of orders at once can override this to read ``values_list()``
        rows instead, as the demo shop's adapter does.
        """
        for order in self.get_queryset(queryset).order_by("pk"):
            yield order.pk, self.order_label(order), self.claim_data(order, today=today)

    def due_orders(self, *, today: datetime.date) -> QuerySet:
        """Return the orders that the shop's status flow marks for collection."""
        if not _uses_status(self):
            raise NotImplementedError(
                "An inkasso adapter must set status_field and collection_status "
                "or implement due_orders()."
            )
        return get_order_model()._default_manager.filter(
            **{self.status_field: self.collection_status}
        )

    def mark_handed_over(self, order_ids: Iterable) -> None:
        """Record in the shop that these orders went to debt collection."""
        if not _uses_status(self):
            raise NotImplementedError(
                "An inkasso adapter must set status_field and collection_status "
                "or implement mark_handed_over()."
            )
        model = get_order_model()
        model._default_manager.filter(
            pk__in=KeyList(order_ids, model._meta.pk)
        ).exclude(**{self.status_field: self.collection_status}).update(
            **{self.status_field: self.collection_status}
        )

    def mark_withdrawn(self, order: Model) -> None:
        """Record in the shop that the claim of ``order`` was withdrawn."""
        if self.status_field and self.withdrawn_status is not None:
            type(order)._default_manager.filter(pk=order.pk).update(
                **{self.status_field: self.withdrawn_status}
            )
            setattr(order, self.status_field, self.withdrawn_status)

    def order_label(self, order: Model) -> str:
        """Return how messages name the order (its number, usually)."""
        return str(order)


def _uses_status(adapter) -> bool:
    return bool(adapter.status_field) and adapter.collection_status is not None


def missing_adapter_methods(adapter_class: type[OrderAdapter]) -> list[str]:
    """Return the methods ``adapter_class`` must implement but does not."""
    # claims() reads a chunk at once; a shop that overrides it needs no claim_data().
    required = [] if _overrides(adapter_class, "claims") else ["claim_data"]
    if not _uses_status(adapter_class):
        required += ["due_orders", "mark_handed_over"]
    return [name for name in required if not _overrides(adapter_class, name)]


def _overrides(adapter_class: type[OrderAdapter], name: str) -> bool:
    return getattr(adapter_class, name) is not getattr(OrderAdapter, name)


def get_order_model() -> type[Model]:
    """Return the host's order model that is active in this project."""
    try:
        return apps.get_model(app_settings.ORDER_MODEL, require_ready=False)
    except ValueError:
        raise ImproperlyConfigured(
            "INKASSO_ORDER_MODEL must be of the form 'app_label.model_name'."
        ) from None
    except LookupError:
        raise ImproperlyConfigured(
            f"INKASSO_ORDER_MODEL refers to model {app_settings.ORDER_MODEL!r} "
            "that has not been installed."
        ) from None


@functools.cache
def _adapter_class(path: str) -> type[OrderAdapter]:
    return import_string(path)


def get_adapter() -> OrderAdapter:
    """Return an instance of the adapter named in ``INKASSO_ADAPTER``."""
    path = app_settings.ADAPTER
    if not path:
        raise ImproperlyConfigured("Set INKASSO_ADAPTER to your shop's adapter.")
    return _adapter_class(path)()
