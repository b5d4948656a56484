"""Whatever customers type into their address, the file stays readable.

Hypothesis fills every text field of the customer, the billing address, the
order and its line with hostile text: every Unicode plane, emoji, right-to-left
and zero-width characters, combining marks, NUL (where the database holds it),
10,000-character strings, ``;``, quotes, CR/LF and formula starts. Each order
is then either refused with reasons, or its row comes back from Python's
``csv`` module (``;``, cp1252) with 18 columns, each equal to the input after
the documented transformations (``inkasso.formats.clean_text``,
``clean_phone``, the salutation codes and the Forderungsgrund text).

Not generated: lone surrogates (no database can store them) and, on
PostgreSQL, NUL (its text type refuses it) and text longer than a column's
``max_length`` (PostgreSQL enforces it; SQLite does not, so there the
10,000-character strings go into every field).
"""

import csv
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from inkasso import formats, selectors, services
from inkasso.resources import HEADERS
from shop.models import Customer, Order, OrderLine
from tests.factories import CustomerFactory, DueOrderFactory

pytestmark = pytest.mark.django_db

ENCODING = "cp1252"
POSTGRES = connection.vendor == "postgresql"

SPECIAL = [
    "",
    " ",
    ";",
    '"',
    "'",
    '";"',
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x1c",
    "\x85",
    "\u2028",
    "=SUM(A1:A9)",
    '=HYPERLINK("http://x";"y")',
    "+49 30 1234567",
    "-1",
    "@SUM",
    "\u202eevil\u202c",
    "\u200b",
    "\u200d",
    "\ufeff",
    "e\u0301",
    "\u0345\u0301",
    "🙂",
    "👩‍👩‍👧",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\U0010fffd",
    "\U000e0041",
    "שלום",
    "مرحبا بالعالم",
    "東京",
    "Łódź",
    "Ștefan Őry",
    "Straße 1",
    "€ … „“",
    "x" * 10_000,
    "Ł" * 10_000,
]

piece = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20),
)
hostile = st.lists(piece, min_size=1, max_size=4).map("".join)
if POSTGRES:
    hostile = hostile.map(lambda text: text.replace("\x00", ""))

CUSTOMER_FIELDS = [
    "salutation",
    "first_name",
    "last_name",
    "company",
    "email",
    "phone",
    "mobile",
    "fax",
]
ORDER_FIELDS = [
    "invoice_number",
    "currency",
    "payment_method",
    "billing_first_name",
    "billing_last_name",
    "billing_company",
    "billing_street",
    "billing_postcode",
    "billing_city",
    "billing_country",
]


def _fits(model, name, text):
    max_length = model._meta.get_field(name).max_length
    return text[:max_length] if POSTGRES and max_length else text


def _fields(model, names):
    # A few fields get hostile text, on its own or after a good value; the
    # others keep the factory's values, so examples mix accepted and refused
    # orders.
    def values(chosen):
        return st.fixed_dictionaries(
            {
                name: st.one_of(hostile, hostile.map(lambda text: "Muster " + text))
                for name in chosen
            }
        )

    return (
        st.sets(st.sampled_from(names), max_size=4)
        .flatmap(values)
        .map(
            lambda values: {
                name: _fits(model, name, text) for name, text in values.items()
            }
        )
    )


order_input = st.tuples(
    _fields(Customer, CUSTOMER_FIELDS),
    _fields(Order, ORDER_FIELDS),
    st.one_of(st.none(), hostile).map(
        lambda text: None if text is None else _fits(OrderLine, "product_name", text)
    ),
)


def _clean(value, max_length=None):
    return formats.clean_text(value, encoding=ENCODING, max_length=max_length)[0]


def _email(value):
    email = _clean(value)
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _salutation(order):
    customer = order.customer
    if order.billing_company.strip() and not (
        order.billing_first_name.strip() or order.billing_last_name.strip()
    ):
        return "c"
    return {"herr": "m", "frau": "f"}.get(customer.salutation, "")


def _reason(order):
    line = order.lines.get()
    reason = (
        f"Rechnung {order.invoice_number} vom "
        f"{formats.format_date(order.invoice_date)}: "
        f"{line.quantity} x {line.product_name}"
    )
    return _clean(reason, max_length=250)


def _expected_row(order):
    """The 18 values the contract promises for this order."""
    customer = order.customer
    return [
        _clean(order.billing_first_name),
        _clean(order.billing_last_name),
        _salutation(order),
        _clean(order.billing_company),
        _clean(order.billing_street),
        _clean(order.billing_postcode),
        _clean(order.billing_city),
        _clean(order.billing_country.strip().upper()),
        formats.clean_phone(customer.phone),
        formats.clean_phone(customer.mobile),
        formats.clean_phone(customer.fax),
        _email(customer.email),
        _clean(order.invoice_number),
        "99,80",
        _reason(order),
        formats.format_date(order.delivered_date),
        formats.format_date(order.dunning_letters.get().sent_on),
        "1",
    ]


def _make_order(customer_fields, order_fields, product_name):
    customer = CustomerFactory(**customer_fields)
    order_fields = {
        "billing_first_name": customer.first_name,
        "billing_last_name": customer.last_name,
        "billing_company": customer.company,
        **order_fields,
    }
    line = {} if product_name is None else {"line__product_name": product_name}
    return DueOrderFactory(customer=customer, **order_fields, **line)


def _read_back(handover):
    data = b"".join(selectors.handover_file(handover))
    return list(
        csv.reader(io.StringIO(data.decode(ENCODING), newline=""), delimiter=";")
    )


def _assert_clean_value(header, value):
    assert value == value.strip()
    assert not any(unicodedata.category(char) in ("Cc", "Cs") for char in value)
    value.encode(ENCODING)
    if not header.startswith(("Telefon", "Fax")):
        assert not value.startswith(formats.FORMULA_STARTS)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(inputs=st.lists(order_input, min_size=1, max_size=3))
def test_hostile_text_is_refused_or_comes_back_in_its_own_column(inputs):
    with transaction.atomic():
        orders = [_make_order(*values) for values in inputs]

        result = services.hand_over(
            order_ids=[order.pk for order in orders],
            source="command",
            encoding=ENCODING,
        )

        refused = {claim.order_id for claim in result.refused}
        for claim in result.refused:
            assert claim.errors
            assert all(isinstance(error, str) and error for error in claim.errors)
        accepted = [order for order in orders if order.pk not in refused]
        event(f"{len(accepted)} of {len(orders)} orders accepted")
        if result.handover is None:
            assert not accepted
        else:
            rows = _read_back(result.handover)
            assert rows[0] == list(HEADERS)
            assert len(rows) == 1 + len(accepted) == 1 + result.count
            for order, row in zip(accepted, rows[1:], strict=True):
                assert len(row) == 18
                assert row == _expected_row(order)
                for header, value in zip(HEADERS, row, strict=True):
                    _assert_clean_value(header, value)
        transaction.set_rollback(True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_hostile_text_in_every_field_of_one_order_never_crashes(text):
    """The same hostile text everywhere: refused with reasons, or a clean row."""
    customer_fields = {name: _fits(Customer, name, text) for name in CUSTOMER_FIELDS}
    order_fields = {name: _fits(Order, name, text) for name in ORDER_FIELDS}
    with transaction.atomic():
        order = _make_order(
            customer_fields, order_fields, _fits(OrderLine, "product_name", text)
        )

        result = services.hand_over(order_ids=[order.pk], source="command")

        event("refused" if result.handover is None else "accepted")
        if result.handover is None:
            [claim] = result.refused
            assert claim.errors
        else:
            rows = _read_back(result.handover)
            assert len(rows) == 2
            assert rows[1] == _expected_row(order)
        transaction.set_rollback(True)
