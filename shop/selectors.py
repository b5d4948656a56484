"""Reads of the demo shop's orders, with their money and dunning state."""

import datetime
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from inkasso.models import Letter

from .models import Order, OrderLine, OrderStatus, Payment

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum_per_order(model, expression):
    return Subquery(
        model.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total"),
        output_field=MONEY,
    )


def orders_with_balance(queryset: QuerySet | None = None) -> QuerySet:
    """Annotate orders with total, paid, open amount and their last dunning letter.

    Everything is computed in the database, so a changelist of 100,000 orders
    needs no query per row. The letters are django-inkasso's: the shop keeps
    none of its own.
    """
    if queryset is None:
        queryset = Order.objects.all()
    zero = Value(Decimal("0.00"), output_field=MONEY)
    letters = _sent_letters().order_by("-sent_on", "-level", "-id")
    return queryset.annotate(
        total=Coalesce(
            _sum_per_order(OrderLine, F("quantity") * F("unit_price")), zero
        ),
        paid=Coalesce(_sum_per_order(Payment, F("amount")), zero),
        open_amount=ExpressionWrapper(F("total") - F("paid"), output_field=MONEY),
        last_dunning_level=Subquery(letters.values("level")[:1]),
        last_dunning_sent_on=Subquery(letters.values("sent_on")[:1]),
    )


def _sent_letters() -> QuerySet:
    return Letter.objects.filter(order=OuterRef("pk"), status=Letter.Status.SENT)


def last_dunning_letters(queryset: QuerySet) -> QuerySet:
    """Annotate the date and deadline of the last real Mahnung (not a reminder).

    In SQL, for reports; the handover reads the same from the dunning ledger.
    """
    mahnungen = (
        _sent_letters().filter(is_mahnung=True).order_by("-sent_on", "-level", "-id")
    )
    return queryset.annotate(
        last_mahnung_on=Subquery(mahnungen.values("sent_on")[:1]),
        last_mahnung_deadline=Subquery(mahnungen.values("deadline")[:1]),
    )


def overdue_q(*, today: datetime.date) -> Q:
    """Return the condition for orders past their due date with money still open.

    Needs the ``open_amount`` annotation of :func:`orders_with_balance`.
    """
    return Q(due_date__lt=today, open_amount__gt=0) & ~Q(
        status__in=[OrderStatus.CANCELLED, OrderStatus.PAID]
    )


def days_overdue(order: Order, *, today: datetime.date) -> int | None:
    """Return how many days an annotated order is past due, or None if it is not."""
    if (
        order.due_date is None
        or order.status in (OrderStatus.CANCELLED, OrderStatus.PAID)
        or order.open_amount <= 0
        or order.due_date >= today
    ):
        return None
    return (today - order.due_date).days
