"""Deterministic demo data: a German shop's orders in every stage of payment."""

import datetime
import random
from decimal import Decimal

from anyascii import anyascii
from django.db import transaction

from inkasso import schedule

from . import demo_letters
from .demo_names import (
    ABROAD,
    CITIES,
    COMPANIES,
    FEMALE,
    GOODS,
    LAST,
    MALE,
    SERVICES,
    STREETS,
)
from .models import (
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    Salutation,
)

STAGES = [
    ("paid", 25),
    ("open_not_due", 14),
    ("overdue", 10),
    ("reminded", 10),
    ("first_dunning", 8),
    ("second_dunning", 6),
    ("final_dunning", 6),
    ("collection", 18),
    ("cancelled", 3),
]
SAVE_EVERY = 5000
# Orders a handover must refuse, each in status "Inkasso ist in Arbeit".
BROKEN = ["missing_street", "no_dunning_letter", "foreign_currency", "deadline_running"]


class DemoShop:
    def __init__(self, *, seed: int, today: datetime.date, letter_copies: bool = True):
        self.rng = random.Random(seed)
        self.today = today
        self.letter_copies = letter_copies
        self.customers, self.orders = [], []
        self.lines, self.payments, self.letters = [], [], []

    def days_ago(self, low, high):
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def add(self, number: int, stage: str) -> None:
        rng = self.rng
        abroad = rng.random() < 0.04
        company = not abroad and rng.random() < 0.12
        if abroad:
            country, city, postcode, street, first, last = rng.choice(ABROAD)
            salutation = (
                Salutation.HERR
                if first in ("Maximilian", "Reto", "Joost", "Łukasz", "Zbigniew")
                else Salutation.FRAU
            )
        else:
            salutation = rng.choice([Salutation.HERR, Salutation.FRAU, Salutation.NONE])
            first = rng.choice(FEMALE if salutation == Salutation.FRAU else MALE)
            last = rng.choice(LAST)
            postcode, city = rng.choice(CITIES)
            suffix = rng.choice(["", "", "", "a", "b"])
            street = f"{rng.choice(STREETS)} {rng.randint(1, 180)}{suffix}"
            country = "DE"
        company_name = rng.choice(COMPANIES) if company else ""
        if company and rng.random() < 0.3:
            first = last = ""
            salutation = Salutation.NONE
        local = anyascii(first or "info").lower().replace(" ", "")
        customer = Customer(
            salutation=salutation,
            first_name=first,
            last_name=last,
            company=company_name,
            email=f"{local}.{number}@example.de" if rng.random() < 0.9 else "",
            phone=f"+49 {rng.randint(30, 991)} {rng.randint(100000, 9999999)}"
            if rng.random() < 0.6
            else "",
            mobile=f"0{rng.randint(151, 179)} {rng.randint(1000000, 99999999)}"
            if rng.random() < 0.3
            else "",
        )
        if stage == "collection" and rng.random() < 0.15:
            payment_method = PaymentMethod.PREPAYMENT
        else:
            payment_method = rng.choice(
                [PaymentMethod.INVOICE] * 6
                + [PaymentMethod.DIRECT_DEBIT, PaymentMethod.PAYPAL]
            )
        order_date = self.days_ago(
            *{
                "paid": (5, 400),
                "open_not_due": (1, 12),
                "overdue": (20, 35),
                "reminded": (30, 45),
                "first_dunning": (45, 60),
                "second_dunning": (60, 80),
                "final_dunning": (70, 90),
                "collection": (90, 300),
                "cancelled": (5, 200),
            }.get(stage, (90, 200))
        )
        prepaid_unshipped = payment_method == PaymentMethod.PREPAYMENT
        delivered = (
            None
            if prepaid_unshipped or stage == "cancelled"
            else order_date + datetime.timedelta(days=rng.randint(1, 4))
        )
        invoice_date = order_date if prepaid_unshipped else delivered or order_date
        due_date = invoice_date + datetime.timedelta(days=14)
        if stage == "open_not_due":
            due_date = self.today + datetime.timedelta(days=rng.randint(1, 14))
        status = {
            "paid": OrderStatus.PAID,
            "cancelled": OrderStatus.CANCELLED,
            "collection": OrderStatus.COLLECTION,
            "open_not_due": OrderStatus.SHIPPED,
        }.get(stage, OrderStatus.SHIPPED)
        if stage in BROKEN:
            status = OrderStatus.COLLECTION
        order = Order(
            number=f"B-{100000 + number}",
            order_date=order_date,
            payment_method=payment_method,
            invoice_number=f"R-{invoice_date.year}-{number:06d}",
            invoice_date=invoice_date,
            due_date=due_date,
            delivered_date=delivered,
            currency="CHF" if stage == "foreign_currency" else "EUR",
            status=status,
            billing_first_name=first,
            billing_last_name=last,
            billing_company=company_name,
            billing_street="" if stage == "missing_street" else street,
            billing_postcode=postcode,
            billing_city=city,
            billing_country=country,
        )
        self.customers.append(customer)
        self.orders.append(order)

        services_only = not prepaid_unshipped and rng.random() < 0.08
        pool = SERVICES if services_only else GOODS
        total = Decimal("0.00")
        for product, price in rng.sample(pool, rng.randint(1, min(3, len(pool)))):
            quantity = rng.choice([1, 1, 1, 2, 3])
            self.lines.append(
                (
                    order,
                    OrderLine(
                        product_name=product,
                        quantity=quantity,
                        unit_price=Decimal(price),
                        is_service=services_only,
                    ),
                )
            )
            total += quantity * Decimal(price)

        if stage == "paid":
            self.payments.append(
                (
                    order,
                    Payment(
                        received_on=due_date - datetime.timedelta(days=3), amount=total
                    ),
                )
            )
        elif stage in ("collection", "final_dunning") and rng.random() < 0.2:
            part = (total / 3).quantize(Decimal("0.01"))
            self.payments.append(
                (
                    order,
                    Payment(
                        received_on=due_date + datetime.timedelta(days=5), amount=part
                    ),
                )
            )

        if levels := demo_letters.HISTORIES.get(stage):
            # The last letter's day anchors the history. The last letter of an
            # order due for handover ran out 1 to 50 days ago; a final
            # letter 1 to 5 days old still runs.
            if stage in ("collection", "missing_street", "foreign_currency"):
                last_sent = self.days_ago(1, 50) - datetime.timedelta(
                    days=schedule.levels()[-1].deadline_days
                )
            else:
                last_sent = {
                    "final_dunning": self.days_ago(1, 5),
                    "deadline_running": self.days_ago(1, 3),
                    "reminded": self.days_ago(3, 10),
                }.get(stage) or self.days_ago(2, 12)
            self.letters.append(
                demo_letters.History(
                    order=order,
                    levels=levels,
                    last_sent=last_sent,
                    payments=[
                        (payment.received_on, payment.amount)
                        for paid_order, payment in self.payments[-1:]
                        if paid_order is order
                    ],
                )
            )

    def save(self) -> None:
        """Write the orders added since the last save, in bulk."""
        batch = 2000
        Customer.objects.bulk_create(self.customers, batch_size=batch)
        for customer, order in zip(self.customers, self.orders):
            order.customer = customer
        Order.objects.bulk_create(self.orders, batch_size=batch)
        for related, model in ((self.lines, OrderLine), (self.payments, Payment)):
            objects = []
            for order, obj in related:
                obj.order = order
                objects.append(obj)
            model.objects.bulk_create(objects, batch_size=batch)
        demo_letters.record_letters(self.letters, copies=self.letter_copies)
        self.customers, self.orders = [], []
        self.lines, self.payments, self.letters = [], [], []


def stage_plan(count: int, rng: random.Random, *, stage: str | None) -> list[str]:
    """Return the stage of each demo order: every stage, in realistic shares."""
    if stage:
        return [stage] * count
    plan = []
    if count >= 50:
        plan = [name for name in BROKEN for _ in range(2)]
    names = [name for name, _weight in STAGES]
    weights = [weight for _name, weight in STAGES]
    plan += names[: max(0, min(len(names), count - len(plan)))]
    plan += rng.choices(names, weights=weights, k=max(0, count - len(plan)))
    return plan[:count]


def create_demo_data(
    *,
    orders: int,
    seed: int,
    today: datetime.date,
    stage: str | None = None,
    letter_copies: bool = True,
) -> int:
    """Fill the shop with ``orders`` deterministic orders and return how many."""
    shop = DemoShop(seed=seed, today=today, letter_copies=letter_copies)
    first = (
        Order.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1
    with transaction.atomic():
        plan = stage_plan(orders, shop.rng, stage=stage)
        for offset, order_stage in enumerate(plan):
            shop.add(first + offset, order_stage)
            if len(shop.orders) == SAVE_EVERY:
                shop.save()
        shop.save()
    return orders
