"""The contract between a host shop and django-inkasso.

A host shop writes one small subclass of :class:`OrderAdapter` and names it in
``INKASSO_ADAPTER``. The adapter turns one of the host's orders into a
:class:`ClaimData`; everything after that (checks, formats, the file, the
ledger) is django-inkasso's job.
"""

import dataclasses
import datetime
import functools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from .conf import app_settings
from .contract import ClaimType, Salutation

__all__ = [
    "ClaimData",
    "ClaimType",
    "OrderAdapter",
    "OrderClaim",
    "Salutation",
    "get_adapter",
    "get_order_model",
]


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

    def __post_init__(self):
        # A shop that gives a datetime (an order's created_at, say) means its
        # local calendar day; the checks compare days.
        for name in _DATE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, datetime.datetime):
                setattr(
                    self,
                    name,
                    timezone.localdate(value)
                    if timezone.is_aware(value)
                    else value.date(),
                )

    @property
    def is_company(self) -> bool:
        """The debtor is a company (a business, not a consumer)."""
        return bool((self.company or "").strip())

    @property
    def person(self) -> str:
        """The debtor's (or the company's contact's) name, or ``""``."""
        return " ".join(
            filter(
                None, [(self.first_name or "").strip(), (self.last_name or "").strip()]
            )
        )


_DATE_FIELDS = (
    "invoice_date",
    "due_date",
    "service_date",
    "dunning_date",
    "dunning_deadline",
)


class OrderClaim(NamedTuple):
    """One order as the adapter reports it: its key, its label and its claim.

    ``refusal`` is the shop's own reason not to hand the order over (a status
    workflow that does not allow it, say); ``data`` may then be None.
    """

    order_id: Any
    label: str
    data: ClaimData | None
    refusal: str = ""


class OrderAdapter:
    """Base class for the adapter a host shop names in ``INKASSO_ADAPTER``.

    Override :meth:`claim_data` (or, to read a chunk of orders at once,
    :meth:`claims`). A shop whose orders have a status field sets
    :attr:`status_field` and :attr:`collection_status` and is done: the
    defaults of :meth:`collection_orders`, :meth:`due_orders`,
    :meth:`mark_handed_over` and :meth:`mark_withdrawn` use them. A shop
    without such a field overrides those methods instead. To refuse an order
    for a reason of the shop's own, return it from :meth:`refusal`.
    """

    #: Name of the order model's status field, e.g. ``"status"``.
    status_field: str | None = None
    #: The status "Inkasso ist in Arbeit": orders with it are due for handover
    #: (until they have a claim), and handed-over orders get it.
    collection_status = None
    #: The status an order gets back when its claim is withdrawn; ``None``
    #: leaves the status as it is.
    withdrawn_status = None
    #: How the clerk calls :attr:`collection_status` ("Inkasso ist in
    #: Arbeit"); pages that promise a status change show it, or say nothing.
    collection_status_label = None

    def get_queryset(self, queryset: QuerySet) -> QuerySet:
        """Return ``queryset`` prepared for :meth:`claim_data` (joins, prefetches).

        Called once per chunk of orders; no query should be needed per order.
        """
        return queryset

    def claim_data(self, order: Model, *, today: datetime.date) -> ClaimData:
        """Return the claim that ``order`` makes, in the shop's own values."""
        raise NotImplementedError("An inkasso adapter must implement claim_data().")

    def refusal(self, order: Model) -> str:
        """Return why the shop does not allow ``order`` to be handed over, or ``""``.

        The reason is shown to the clerk as it is (translate it yourself).
        """
        return ""

    def claims(
        self, queryset: QuerySet, *, today: datetime.date
    ) -> Iterator[OrderClaim]:
        """Yield an :class:`OrderClaim` for each order of ``queryset``.

        Called once per chunk of orders. The default reads model instances
        through :meth:`get_queryset` and asks :meth:`order_label`,
        :meth:`refusal` and :meth:`claim_data` about each. A shop can override
        it to read ``values_list()`` rows instead, as the demo shop does.
        """
        for order in self.get_queryset(queryset).order_by("pk"):
            label = self.order_label(order)
            if refusal := self.refusal(order):
                yield OrderClaim(order.pk, label, None, refusal=str(refusal))
            else:
                yield OrderClaim(order.pk, label, self.claim_data(order, today=today))

    def collection_orders(self) -> QuerySet | None:
        """Return the orders that the shop marks as being in debt collection.

        An order with an open claim that is no longer among them was changed
        in the shop after its handover (paid, cancelled): the ledger flags its
        claim. None means the shop cannot tell.
        """
        if not _uses_status(self):
            return None
        return get_order_model()._default_manager.filter(
            **{self.status_field: self.collection_status}
        )

    def due_orders(self, *, today: datetime.date) -> QuerySet:
        """Return the orders that the shop's status flow marks for collection.

        The ledger leaves out those with a claim, open or withdrawn.
        """
        orders = self.collection_orders()
        if orders is None:
            raise NotImplementedError(
                "An inkasso adapter must set status_field and collection_status "
                "or implement due_orders()."
            )
        return orders

    def dunning_orders(self, *, today: datetime.date) -> QuerySet:
        """Return the orders that may be due for a reminder or Mahnung.

        The default is every order; django-inkasso then asks
        :meth:`claims` about each and sends only where money is open and
        the schedule says so. Narrow it (unpaid, past due) to read fewer.
        """
        return get_order_model()._default_manager.all()

    def mark_handed_over(self, order_ids: Iterable, *, handover) -> None:
        """Record in the shop that these orders went to debt collection."""
        if not _uses_status(self):
            raise NotImplementedError(
                "An inkasso adapter must set status_field and collection_status "
                "or implement mark_handed_over()."
            )
        get_order_model()._default_manager.filter(pk__in=list(order_ids)).exclude(
            **{self.status_field: self.collection_status}
        ).update(**{self.status_field: self.collection_status})

    def mark_withdrawn(self, order: Model, *, claim) -> None:
        """Record in the shop that ``claim``, the claim of ``order``, was withdrawn."""
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
