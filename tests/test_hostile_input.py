"""Whatever customers type into their address, the file stays readable.

Hypothesis fills every text field of the customer, the billing address, the
order and its line with hostile text: every Unicode plane, emoji, right-to-left
and zero-width characters, combining marks, NUL (where the database holds it),
10,000-character strings, ``;``, quotes, CR/LF and formula starts. Each order
is then either refused with reasons, or its row comes back from Python's
``csv`` module (``;``, in cp1252 and in utf-8-sig) with 18 columns, each equal
to the input after the documented transformations
(``inkasso.formats.clean_text``, ``clean_phone``, the salutation codes and the
Forderungsgrund text), with no control or format character and no unguarded
formula start; the dry run (``checked_claims``) promises the same rows and
warns about what was changed.

Not generated: lone surrogates (no database can store them) and, on
PostgreSQL, NUL (its text type refuses it) and text longer than a column's
``max_length`` (PostgreSQL enforces it; SQLite does not, so there the
10,000-character strings go into every field).
"""

import codecs
import csv
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from inkasso import contract, formats, resources, rules, selectors, services
from shop.models import Customer, Order, OrderLine
from tests.contract import HEADERS
from tests.factories import CustomerFactory, DueOrderFactory

pytestmark = pytest.mark.django_db

ENCODINGS = ["cp1252", "utf-8-sig"]
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
    "\u2066=1+1\u2069",
    "\ufeff-1",
    "\u200b@SUM",
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


def _clean(value, encoding, max_length=None, formula_guard=True):
    return formats.clean_text(
        value, encoding=encoding, max_length=max_length, formula_guard=formula_guard
    )[0]


def _email(value, encoding):
    # As the Email column documents it: a valid address, or nothing.
    email = _clean(value, encoding, formula_guard=False)
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


def _reason_text(order):
    line = order.lines.get()
    return (
        f"Rechnung {order.invoice_number} vom "
        f"{contract.format_date(order.invoice_date)}: "
        f"{line.quantity} x {line.product_name}"
    )


def _expected_row(order, encoding):
    """The 18 values the contract promises for this order."""
    customer = order.customer
    return [
        _clean(order.billing_first_name, encoding),
        _clean(order.billing_last_name, encoding),
        _salutation(order),
        _clean(order.billing_company, encoding),
        _clean(order.billing_street, encoding),
        _clean(order.billing_postcode, encoding),
        _clean(order.billing_city, encoding),
        _clean(order.billing_country.strip().upper(), encoding),
        formats.clean_phone(customer.phone),
        formats.clean_phone(customer.mobile),
        formats.clean_phone(customer.fax),
        _email(customer.email, encoding),
        _clean(order.invoice_number, encoding),
        "99,80",
        _clean(_reason_text(order), encoding, max_length=contract.MAX_REASON),
        contract.format_date(order.delivered_date),
        contract.format_date(order.inkasso_letters.get().sent_on),
        "1",
    ]


NOTE_CODES = {"transliterated", "formula", "shortened", "invisible", "email_invalid"}


def _expected_notes(order, encoding):
    """The warnings about changed values that the claim must carry."""
    texts = {
        "first_name": (order.billing_first_name, None),
        "last_name": (order.billing_last_name, None),
        "company": (order.billing_company, None),
        "street": (order.billing_street, None),
        "postcode": (order.billing_postcode, None),
        "city": (order.billing_city, None),
        "invoice_number": (order.invoice_number, None),
        "reason": (_reason_text(order), contract.MAX_REASON),
    }
    expected = set()
    for field, (value, max_length) in texts.items():
        _text, notes = formats.clean_text(
            value, encoding=encoding, max_length=max_length
        )
        expected |= {(rules.NOTE_CODES[note], field) for note in notes}
    email = order.customer.email
    if email.strip() and not _email(email, encoding):
        expected.add(("email_invalid", None))
    return expected


def _notes(claim):
    return {
        (problem.code, problem.params.get("field"))
        for problem in claim.problems
        if problem.code in NOTE_CODES
    }


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


def _read_back(handover, encoding):
    data = b"".join(selectors.handover_file(handover))
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
        assert codecs.BOM_UTF8 not in data[len(codecs.BOM_UTF8) :]
    text = data.decode(encoding)
    assert text.endswith("\r\n")
    assert text.count("\r\n") == handover.row_count + 1
    assert all(char not in text for char in "\x85\u2028\u2029\x1c\x1d\x1e")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _assert_clean_value(header, value, encoding):
    assert value == value.strip()
    # No control character (CR, LF, NUL, ...) and no format character
    # (zero-width, bidi controls, BOM, tags) reaches the file.
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in value)
    value.encode(encoding)
    if not header.startswith(("Telefon", "Fax")):
        # A formula start is guarded by a leading "'".
        assert not value.startswith(contract.FORMULA_STARTS)


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=60, **SETTINGS)
@given(inputs=st.lists(order_input, min_size=1, max_size=3))
def test_hostile_text_is_refused_or_comes_back_in_its_own_column(inputs, encoding):
    with transaction.atomic():
        orders = [_make_order(*values) for values in inputs]
        order_ids = [order.pk for order in orders]
        today = timezone.localdate()

        # The dry run: what the confirmation page and the command show.
        checked = {
            claim.order_id: claim
            for chunk in selectors.checked_claims(
                order_ids=order_ids, today=today, encoding=encoding
            )
            for claim in chunk
        }
        result = services.hand_over(
            order_ids=order_ids, source="command", encoding=encoding, today=today
        )

        assert set(checked) == set(order_ids)
        refused = {claim.order_id for claim in result.refused}
        assert refused == {pk for pk, claim in checked.items() if not claim.ok}
        for claim in result.refused:
            assert claim.errors
            assert all(isinstance(error, str) and error for error in claim.errors)
        accepted = [order for order in orders if order.pk not in refused]
        event(f"{encoding}: {len(accepted)} of {len(orders)} orders accepted")
        if result.handover is None:
            assert not accepted
        else:
            assert result.handover.encoding == encoding
            rows = _read_back(result.handover, encoding)
            assert rows[0] == HEADERS == resources.contract_headers()
            assert len(rows) == 1 + len(accepted) == 1 + result.count
            for order, row in zip(accepted, rows[1:], strict=True):
                assert len(row) == 18
                assert row == _expected_row(order, encoding)
                assert row == checked[order.pk].values
                assert _notes(checked[order.pk]) == _expected_notes(order, encoding)
                for header, value in zip(HEADERS, row, strict=True):
                    _assert_clean_value(header, value, encoding)
        transaction.set_rollback(True)


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=40, **SETTINGS)
@given(text=hostile)
def test_hostile_text_in_every_field_of_one_order_never_crashes(text, encoding):
    """The same hostile text everywhere: refused with reasons, or a clean row."""
    customer_fields = {name: _fits(Customer, name, text) for name in CUSTOMER_FIELDS}
    order_fields = {name: _fits(Order, name, text) for name in ORDER_FIELDS}
    with transaction.atomic():
        order = _make_order(
            customer_fields, order_fields, _fits(OrderLine, "product_name", text)
        )

        result = services.hand_over(
            order_ids=[order.pk], source="command", encoding=encoding
        )

        event("refused" if result.handover is None else "accepted")
        if result.handover is None:
            [claim] = result.refused
            assert claim.errors
        else:
            rows = _read_back(result.handover, encoding)
            assert len(rows) == 2
            assert rows[1] == _expected_row(order, encoding)
            for header, value in zip(HEADERS, rows[1], strict=True):
                _assert_clean_value(header, value, encoding)
        transaction.set_rollback(True)
