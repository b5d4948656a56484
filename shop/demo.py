"""Deterministic demo data: a German shop's orders in every stage of payment."""

import datetime
import random
from decimal import Decimal

from anyascii import anyascii
from django.db import transaction

from .models import (
    Customer,
    DunningLetter,
    DunningLevel,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    Salutation,
)

MALE = [
    "Lukas",
    "Jürgen",
    "Günther",
    "Björn",
    "Sören",
    "Jörg",
    "Klaus",
    "Maximilian",
    "Stefan",
    "Matthias",
    "Uwe",
    "Felix",
    "Hans-Peter",
    "Ömer",
    "Till",
]
FEMALE = [
    "Anna",
    "Käthe",
    "Hannelore",
    "Gisela",
    "Birgit",
    "Ursula",
    "Zoë",
    "Lena",
    "Sophie",
    "Jördis",
    "Marie-Luise",
    "Heike",
    "Gülşen",
    "Frauke",
    "Mia",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weiß",
    "Meyer",
    "Wagner",
    "Becker",
    "Schäfer",
    "Groß",
    "Köhler",
    "Hoffmann",
    "Schröder",
    "Krüger",
    "Strauß",
    "Jäger",
    "Öztürk",
    "Fuß",
    "Bäumer",
    "von der Höh",
]
COMPANIES = [
    "Müller & Söhne GmbH",
    "Bäckerei Groß KG",
    "Schäfer Gartenbau GmbH",
    "Köhler IT-Service UG (haftungsbeschränkt)",
    "Weiß & Partner mbB",
    "Grünwald Möbelhaus e.K.",
    "Café Süßholz OHG",
    "Straßenbau Jäger AG",
]
STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Gartenweg",
    "Lindenallee",
    "Am Mühlbach",
    "Königstraße",
    "Rosenstraße",
    "Schloßallee",
    "Goethestraße",
    "Kirchplatz",
    "Mühlenweg",
    "Zur Alten Brücke",
    "Fröbelstraße",
]
CITIES = [
    ("10115", "Berlin"),
    ("20095", "Hamburg"),
    ("80331", "München"),
    ("50667", "Köln"),
    ("60311", "Frankfurt am Main"),
    ("01067", "Dresden"),
    ("04109", "Leipzig"),
    ("70173", "Stuttgart"),
    ("90402", "Nürnberg"),
    ("99084", "Erfurt"),
    ("06108", "Halle (Saale)"),
    ("79098", "Freiburg im Breisgau"),
    ("48143", "Münster"),
    ("37073", "Göttingen"),
    ("01968", "Senftenberg"),
]
ABROAD = [
    ("AT", "Wien", "1010", "Stephansplatz 4", "Maximilian", "Hölzl"),
    ("AT", "Graz", "8010", "Herrengasse 16", "Theresa", "Pöschl"),
    ("CH", "Zürich", "8001", "Bahnhofstrasse 12", "Reto", "Brändli"),
    ("CH", "Bern", "3011", "Kramgasse 49", "Ursina", "Zürcher"),
    ("NL", "Amsterdam", "1012 JS", "Damrak 1", "Joost", "van den Berg"),
    ("PL", "Łódź", "90-001", "ul. Piotrkowska 104", "Łukasz", "Wróbel"),
    ("PL", "Wrocław", "50-001", "ul. Świdnicka 8", "Małgorzata", "Dąbrowska"),
    ("PL", "Gdańsk", "80-001", "ul. Długa 45", "Zbigniew", "Szczęsny"),
]
GOODS = [
    ("Kaffeemühle", "49.90"),
    ("Filter", "4.99"),
    ("Espressokocher", "34.50"),
    ("Milchaufschäumer", "59.00"),
    ("Wasserkessel", "29.95"),
    ("Teeservice „Größe L“", "89.00"),
    ("Kaffeebohnen 1 kg", "17.80"),
    ("Entkalker", "8.49"),
    ("Thermoskanne", "24.99"),
    ("Porzellantasse", "12.50"),
]
SERVICES = [
    ("Reparatur Espressomaschine", "89.00"),
    ("Einweisung vor Ort", "120.00"),
    ("Wartungsvertrag 12 Monate", "199.00"),
]

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
    def __init__(self, *, seed: int, today: datetime.date):
        self.rng = random.Random(seed)
        self.today = today
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

        levels = {
            "reminded": [DunningLevel.REMINDER],
            "first_dunning": [DunningLevel.REMINDER, DunningLevel.FIRST],
            "second_dunning": [
                DunningLevel.REMINDER,
                DunningLevel.FIRST,
                DunningLevel.SECOND,
            ],
            "final_dunning": [
                DunningLevel.REMINDER,
                DunningLevel.FIRST,
                DunningLevel.SECOND,
                DunningLevel.FINAL,
            ],
            "collection": [
                DunningLevel.REMINDER,
                DunningLevel.FIRST,
                DunningLevel.FINAL,
            ],
            "missing_street": [DunningLevel.FIRST, DunningLevel.FINAL],
            "foreign_currency": [DunningLevel.FIRST, DunningLevel.FINAL],
            "deadline_running": [DunningLevel.FIRST, DunningLevel.FINAL],
        }.get(stage, [])
        if levels:
            # The last letter's date anchors the history: final letters of the
            # due orders are 10 to 60 days old, so their deadline has passed.
            last_sent = {
                "final_dunning": self.days_ago(1, 5),
                "deadline_running": self.days_ago(1, 3),
                "reminded": self.days_ago(3, 10),
            }.get(
                stage,
                self.days_ago(10, 60)
                if stage in ("collection", "missing_street", "foreign_currency")
                else self.days_ago(2, 12),
            )
            for step, level in enumerate(reversed(levels)):
                sent_on = max(
                    last_sent - datetime.timedelta(days=14 * step),
                    due_date + datetime.timedelta(days=1),
                )
                self.letters.append(
                    (
                        order,
                        DunningLetter(
                            level=level,
                            sent_on=sent_on,
                            deadline=sent_on + datetime.timedelta(days=7),
                            fee=Decimal("0.00")
                            if level == DunningLevel.REMINDER
                            else Decimal("5.00"),
                        ),
                    )
                )

    def save(self) -> None:
        """Write the orders added since the last save, in bulk."""
        batch = 2000
        Customer.objects.bulk_create(self.customers, batch_size=batch)
        for customer, order in zip(self.customers, self.orders):
            order.customer = customer
        Order.objects.bulk_create(self.orders, batch_size=batch)
        for related, model in (
            (self.lines, OrderLine),
            (self.payments, Payment),
            (self.letters, DunningLetter),
        ):
            objects = []
            for order, obj in related:
                obj.order = order
                objects.append(obj)
            model.objects.bulk_create(objects, batch_size=batch)
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
    *, orders: int, seed: int, today: datetime.date, stage: str | None = None
) -> int:
    """Fill the shop with ``orders`` deterministic orders and return how many."""
    shop = DemoShop(seed=seed, today=today)
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
