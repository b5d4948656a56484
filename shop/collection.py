"""How the demo shop plugs into django-inkasso: one adapter, named in settings."""

import collections
import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from inkasso.adapters import ClaimData, ClaimType, OrderAdapter, OrderClaim, Salutation

from .models import Order, OrderLine, OrderStatus, PaymentMethod
from .models import Salutation as ShopSalutation
from .selectors import orders_with_balance, overdue_q

SALUTATIONS = {
    ShopSalutation.HERR: Salutation.MALE,
    ShopSalutation.FRAU: Salutation.FEMALE,
}


class ShopOrderAdapter(OrderAdapter):
    # Due orders and the status after a handover come from the status flow.
    status_field = "status"
    collection_status = OrderStatus.COLLECTION
    collection_status_label = OrderStatus.COLLECTION.label

    def due_orders(self, *, today: datetime.date) -> QuerySet:
        # The status flow alone: a paid order in it is due and refused with
        # its reason, so the clerk sees it.
        return Order.objects.filter(status=OrderStatus.COLLECTION)

    def collection_orders(self) -> QuerySet:
        # In debt collection: the status says so and money is still open. A
        # customer who pays the shop in full after the handover flags the
        # claim, as a changed status does.
        in_status = Order.objects.filter(status=OrderStatus.COLLECTION)
        return orders_with_balance(in_status).filter(open_amount__gt=0)

    def dunning_orders(self, *, today: datetime.date) -> QuerySet:
        # Unpaid orders past their due date: django-inkasso sends their
        # reminders and Mahnungen.
        return orders_with_balance().filter(overdue_q(today=today))

    def claims(
        self, queryset: QuerySet, *, today: datetime.date
    ) -> Iterator[OrderClaim]:
        # Plain rows instead of model instances: one query for the orders with
        # their customer and money, one for their lines. Model instances would
        # be half the time of a 100,000-order handover. The open amount is
        # subtracted here: in SQL it would repeat the subquery of the total.
        # The shop keeps no letters of its own: the date and deadline of the
        # last Mahnung come from django-inkasso's dunning ledger.
        orders = list(
            orders_with_balance(queryset).values_list(
                "pk",
                "number",
                "status",
                "billing_first_name",
                "billing_last_name",
                "customer__salutation",
                "billing_company",
                "billing_street",
                "billing_postcode",
                "billing_city",
                "billing_country",
                "customer__phone",
                "customer__mobile",
                "customer__fax",
                "customer__email",
                "invoice_number",
                "invoice_date",
                "total",
                "paid",
                "currency",
                "payment_method",
                "order_date",
                "due_date",
                "delivered_date",
            )
        )
        lines = collections.defaultdict(list)
        for order_id, *line in (
            OrderLine.objects.filter(order_id__in=[order[0] for order in orders])
            .order_by("order_id", "pk")
            .values_list("order_id", "quantity", "product_name", "is_service")
        ):
            lines[order_id].append(line)
        for (
            pk,
            number,
            status,
            first_name,
            last_name,
            salutation,
            company,
            street,
            postcode,
            city,
            country,
            phone,
            mobile,
            fax,
            email,
            invoice_number,
            invoice_date,
            total,
            paid,
            currency,
            payment_method,
            order_date,
            due_date,
            delivered_date,
        ) in orders:
            order_lines = lines.get(pk, ())
            if payment_method == PaymentMethod.PREPAYMENT and not delivered_date:
                claim_type = ClaimType.GOODS_PREPAID_NOT_SHIPPED
                service_date = order_date
            else:
                services_only = bool(order_lines) and all(
                    is_service for _quantity, _name, is_service in order_lines
                )
                claim_type = (
                    ClaimType.SERVICE if services_only else ClaimType.GOODS_DELIVERED
                )
                service_date = delivered_date
            yield OrderClaim(
                order_id=pk,
                label=number,
                data=ClaimData(
                    first_name=first_name,
                    last_name=last_name,
                    salutation=SALUTATIONS.get(salutation, Salutation.UNKNOWN),
                    company=company,
                    street=street,
                    postcode=postcode,
                    city=city,
                    country=country,
                    phone=phone,
                    mobile=mobile,
                    fax=fax,
                    email=email,
                    invoice_number=invoice_number,
                    invoice_date=invoice_date,
                    invoice_total=total,
                    open_amount=total - paid,
                    currency=currency,
                    items=[
                        (quantity, name) for quantity, name, _service in order_lines
                    ],
                    due_date=due_date,
                    service_date=service_date,
                    claim_type=claim_type,
                    is_cancelled=status == OrderStatus.CANCELLED,
                ),
            )
