"""How the demo shop plugs into django-inkasso: one adapter, named in settings."""

import datetime

from django.db.models import Prefetch, QuerySet

from inkasso.adapters import ClaimData, ClaimType, OrderAdapter, Salutation

from .models import Order, OrderLine, OrderStatus, PaymentMethod
from .models import Salutation as ShopSalutation
from .selectors import last_dunning_letters, orders_with_balance

SALUTATIONS = {
    ShopSalutation.HERR: Salutation.MALE,
    ShopSalutation.FRAU: Salutation.FEMALE,
}


class ShopOrderAdapter(OrderAdapter):
    # Due orders and the status after a handover come from the status flow.
    status_field = "status"
    collection_status = OrderStatus.COLLECTION

    def get_queryset(self, queryset: QuerySet) -> QuerySet:
        return (
            last_dunning_letters(orders_with_balance(queryset))
            .select_related("customer")
            .prefetch_related(
                # A plain list (to_attr) rather than a related manager: Django
                # then builds no queryset per order, a tenth of a handover.
                Prefetch(
                    "lines",
                    queryset=OrderLine.objects.only(
                        "order_id", "product_name", "quantity", "is_service"
                    ),
                    to_attr="inkasso_lines",
                )
            )
        )

    def claim_data(self, order: Order, *, today: datetime.date) -> ClaimData:
        customer = order.customer
        # Take the prefetched lines off the order: each line points back to its
        # order, and that cycle would keep every chunk of orders in memory until
        # the garbage collector runs, a third of a large handover's memory.
        lines = vars(order).pop("inkasso_lines", None)
        if lines is None:
            lines = list(order.lines.all())
        if (
            order.payment_method == PaymentMethod.PREPAYMENT
            and not order.delivered_date
        ):
            claim_type = ClaimType.GOODS_PREPAID_NOT_SHIPPED
            service_date = order.order_date
        else:
            services_only = bool(lines) and all(line.is_service for line in lines)
            claim_type = (
                ClaimType.SERVICE if services_only else ClaimType.GOODS_DELIVERED
            )
            service_date = order.delivered_date
        return ClaimData(
            first_name=order.billing_first_name,
            last_name=order.billing_last_name,
            salutation=SALUTATIONS.get(customer.salutation, Salutation.UNKNOWN),
            company=order.billing_company,
            street=order.billing_street,
            postcode=order.billing_postcode,
            city=order.billing_city,
            country=order.billing_country,
            phone=customer.phone,
            mobile=customer.mobile,
            fax=customer.fax,
            email=customer.email,
            invoice_number=order.invoice_number,
            invoice_date=order.invoice_date,
            invoice_total=order.total,
            open_amount=order.open_amount,
            currency=order.currency,
            items=[(line.quantity, line.product_name) for line in lines],
            due_date=order.due_date,
            service_date=service_date,
            dunning_date=order.last_mahnung_on,
            dunning_deadline=order.last_mahnung_deadline,
            claim_type=claim_type,
            is_cancelled=order.status == OrderStatus.CANCELLED,
        )
