"""Every hard error and every warning of the handover contract, each by itself."""

import datetime
from decimal import Decimal

import pytest
from django.core.validators import validate_email
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inkasso import claims
from inkasso.selectors import prepared_claims
from inkasso.services import hand_over
from shop.models import DunningLevel, OrderStatus, PaymentMethod
from tests.factories import (
    DueOrderFactory,
    DunningLetterFactory,
    OrderLineFactory,
    PaymentFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def check(order, **kwargs):
    [[claim]] = list(
        prepared_claims(order_ids=[order.pk], today=timezone.localdate(), **kwargs)
    )
    return claim


def assert_refused_only_for(order, expected: str):
    claim = check(order)
    assert claim.errors == [expected]
    assert claim.label == order.number


def test_a_complete_due_order_passes_without_errors_or_warnings():
    claim = check(DueOrderFactory())
    assert claim.errors == []
    assert claim.warnings == []


def test_handover_refuses_an_order_that_already_has_an_open_claim():
    order = DueOrderFactory()
    first = hand_over(order_ids=[order.pk], source="command")
    assert check(order).errors == [
        "The order already has a claim with mediafinanz "
        f"(handover {first.handover.pk})."
    ]


def test_handover_refuses_a_cancelled_order():
    assert_refused_only_for(
        DueOrderFactory(status=OrderStatus.CANCELLED), "The order is cancelled."
    )


def test_handover_refuses_a_fully_paid_order():
    order = DueOrderFactory()
    PaymentFactory(order=order, amount=Decimal("99.80"))
    assert_refused_only_for(order, "The order is fully paid.")


def test_handover_refuses_an_order_that_is_not_yet_due():
    order = DueOrderFactory(due_date=timezone.localdate())
    assert_refused_only_for(
        order,
        f"The order is not yet due (due date {timezone.localdate():%d.%m.%Y}).",
    )


def test_handover_refuses_a_foreign_currency():
    assert_refused_only_for(
        DueOrderFactory(currency="CHF"),
        "The currency is CHF; only EUR claims can be handed over.",
    )


def test_handover_refuses_an_order_without_an_open_amount():
    order = DueOrderFactory(line=None)
    assert_refused_only_for(order, "The open amount is not above zero.")


@pytest.mark.parametrize(
    ("field", "header"),
    [
        ("billing_first_name", "Vorname"),
        ("billing_last_name", "Nachname"),
    ],
)
def test_handover_refuses_a_person_without_a_full_name(field, header):
    order = DueOrderFactory(**{field: "  "})
    assert_refused_only_for(
        order, f"{header} is missing (required unless the debtor is a company)."
    )


def test_a_company_needs_no_person_and_gets_salutation_code_c():
    order = DueOrderFactory(
        billing_first_name="", billing_last_name="", billing_company="Müller GmbH"
    )
    claim = check(order)
    assert claim.errors == []
    assert claim.values[:4] == ["", "", "c", "Müller GmbH"]


@pytest.mark.parametrize(
    ("field", "header"),
    [
        ("billing_street", "Strasse"),
        ("billing_city", "Ort"),
        ("billing_postcode", "PLZ"),
        ("invoice_number", "Rechnungsnr"),
    ],
)
def test_handover_refuses_a_missing_required_column(field, header):
    assert_refused_only_for(DueOrderFactory(**{field: ""}), f"{header} is missing.")


@pytest.mark.parametrize(
    ("country", "postcode"),
    [("DE", "1067"), ("DE", "0106A"), ("AT", "10100"), ("CH", "800")],
)
def test_handover_refuses_a_postcode_of_the_wrong_shape(country, postcode):
    order = DueOrderFactory(billing_country=country, billing_postcode=postcode)
    assert check(order).errors == [
        f"PLZ {postcode!r} is not a valid postcode for {country}."
    ]


def test_a_postcode_abroad_only_needs_to_be_there():
    order = DueOrderFactory(billing_country="NL", billing_postcode="1012 JS")
    assert check(order).errors == []


def test_handover_refuses_a_country_that_is_not_an_iso_code():
    assert_refused_only_for(
        DueOrderFactory(billing_country="XX"),
        "Land 'XX' is not an ISO 3166-1 alpha-2 country code.",
    )


def test_a_lower_case_country_code_is_written_upper_case():
    claim = check(DueOrderFactory(billing_country="de"))
    assert claim.errors == []
    assert claim.values[7] == "DE"


def test_handover_refuses_an_invoice_number_longer_than_40_characters():
    assert_refused_only_for(
        DueOrderFactory(invoice_number="R" * 41),
        "Rechnungsnr is longer than 40 characters.",
    )


def test_an_invoice_number_of_exactly_40_characters_is_fine():
    assert check(DueOrderFactory(invoice_number="R" * 40)).errors == []


def test_handover_refuses_an_order_without_invoice_date():
    assert_refused_only_for(
        DueOrderFactory(invoice_date=None), "The invoice date is missing."
    )


def test_handover_refuses_a_delivered_invoice_order_without_service_date():
    assert_refused_only_for(
        DueOrderFactory(delivered_date=None), "Leistungsdatum is missing."
    )


def test_handover_refuses_an_order_without_a_dunning_letter():
    assert_refused_only_for(
        DueOrderFactory(letter=None),
        "No dunning letter (Mahnung) has been recorded.",
    )


def test_a_payment_reminder_alone_is_not_a_mahnung():
    order = DueOrderFactory(letter=None)
    DunningLetterFactory(order=order, level=DunningLevel.REMINDER)
    assert_refused_only_for(order, "No dunning letter (Mahnung) has been recorded.")


def test_handover_refuses_a_mahndatum_before_the_leistungsdatum():
    order = DueOrderFactory(letter=None, delivered_date=days_ago(10))
    DunningLetterFactory(order=order, sent_on=days_ago(20))
    assert_refused_only_for(
        order,
        f"Mahndatum {days_ago(20):%d.%m.%Y} is before Leistungsdatum "
        f"{days_ago(10):%d.%m.%Y}.",
    )


def test_handover_refuses_a_mahndatum_in_the_future():
    order = DueOrderFactory(letter=None)
    tomorrow = days_ago(-1)
    DunningLetterFactory(order=order, sent_on=tomorrow, deadline=days_ago(-30))
    claim = check(order)
    assert f"Mahndatum {tomorrow:%d.%m.%Y} is in the future." in claim.errors


def test_handover_refuses_while_the_recorded_deadline_runs():
    order = DueOrderFactory(letter=None)
    DunningLetterFactory(order=order, sent_on=days_ago(3), deadline=days_ago(0))
    assert_refused_only_for(
        order,
        "The payment deadline of the last dunning letter has not passed yet "
        f"(it runs until {days_ago(0):%d.%m.%Y}).",
    )


def test_without_a_recorded_deadline_the_grace_days_apply():
    order = DueOrderFactory(letter=None)
    DunningLetterFactory(order=order, sent_on=days_ago(7), deadline=None)
    assert check(order).errors == [
        "The payment deadline of the last dunning letter has not passed yet "
        f"(it runs until {days_ago(0):%d.%m.%Y})."
    ]
    with override_settings(INKASSO_DUNNING_GRACE_DAYS=6):
        assert check(order).errors == []
    with override_settings(INKASSO_DUNNING_GRACE_DAYS=0):
        late = DueOrderFactory(letter=None)
        DunningLetterFactory(order=late, sent_on=days_ago(0), deadline=None)
        assert check(late).errors == []


def test_the_last_mahnung_counts_not_the_first():
    order = DueOrderFactory(letter=None)
    DunningLetterFactory(order=order, level=DunningLevel.FIRST, sent_on=days_ago(30))
    DunningLetterFactory(order=order, level=DunningLevel.SECOND, sent_on=days_ago(15))
    claim = check(order)
    assert claim.values[16] == f"{days_ago(15):%d.%m.%Y}"


def test_claim_type_follows_payment_method_shipping_and_services():
    goods = DueOrderFactory()
    prepaid = DueOrderFactory(
        payment_method=PaymentMethod.PREPAYMENT, delivered_date=None
    )
    service = DueOrderFactory(line=None)
    OrderLineFactory(order=service, product_name="Einweisung", is_service=True)
    assert check(goods).values[17] == "1"
    prepaid_claim = check(prepaid)
    assert prepaid_claim.values[17] == "2"
    assert prepaid_claim.values[15] == f"{prepaid.order_date:%d.%m.%Y}"
    assert check(service).values[17] == "3"


# Warnings: handed over, but shown.


def test_transliterated_characters_are_a_warning():
    order = DueOrderFactory(billing_last_name="Wróbel-Łukasiewicz")
    claim = check(order)
    assert claim.errors == []
    assert claim.values[1] == "Wróbel-Lukasiewicz"
    assert claim.warnings == [
        "Nachname: characters transliterated for the file (Ł → L)."
    ]


def test_utf8_files_need_no_transliteration():
    order = DueOrderFactory(billing_last_name="Wróbel-Łukasiewicz")
    claim = check(order, encoding="utf-8-sig")
    assert claim.values[1] == "Wróbel-Łukasiewicz"
    assert claim.warnings == []


def test_a_formula_start_is_neutralised_with_a_warning():
    order = DueOrderFactory(billing_company="=HYPERLINK(1)")
    claim = check(order)
    assert claim.values[3] == "'=HYPERLINK(1)"
    assert claim.warnings == [
        "Firma starts like a spreadsheet formula; a ' was put in front."
    ]


def test_a_long_reason_is_shortened_at_a_word_boundary_with_a_warning():
    order = DueOrderFactory(line=None)
    for number in range(30):
        OrderLineFactory(order=order, product_name=f"Ersatzfilter Nummer {number}")
    claim = check(order)
    reason = claim.values[14]
    assert len(reason) <= 250
    assert reason.endswith("…")
    assert not reason.endswith(" …")
    assert claim.warnings == ["Forderungsgrund was shortened to 250 characters."]


def test_a_debtor_abroad_is_a_warning():
    order = DueOrderFactory(billing_country="AT", billing_postcode="1010")
    assert check(order).warnings == ["The debtor lives abroad (AT)."]


def test_no_email_and_no_phone_is_a_warning():
    order = DueOrderFactory(customer__email="", customer__phone="")
    assert check(order).warnings == [
        "There is neither an e-mail address nor a phone number."
    ]


def test_an_invalid_email_is_left_out_with_a_warning():
    order = DueOrderFactory(customer__email="kaethe at example")
    claim = check(order)
    assert claim.values[11] == ""
    assert claim.warnings == ["The e-mail address is not valid and was left out."]


@pytest.mark.parametrize(
    "email", ["o'brien+shop@example.de", "kaethe@localhost", "kaethe@müller.de"]
)
def test_unusual_but_valid_emails_are_kept(email):
    claim = check(DueOrderFactory(customer__email=email))
    assert claim.values[11] == email
    assert claim.warnings == []


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=st.from_regex(claims._PLAIN_EMAIL, fullmatch=True))
def test_emails_that_skip_the_full_validation_pass_it(email):
    # The checker skips validate_email for addresses of a plain shape.
    assume(len(email) <= 254)
    validate_email(email)


def test_a_claim_below_the_minimum_amount_is_a_warning():
    order = DueOrderFactory(line__quantity=1, line__unit_price=Decimal("4.99"))
    assert check(order).warnings == [
        "The open amount 4,99 EUR is below the minimum of 10,00 EUR."
    ]
    with override_settings(INKASSO_MINIMUM_AMOUNT="0"):
        assert check(order).warnings == []


def test_the_amount_is_the_open_principal_without_dunning_fees():
    order = DueOrderFactory(line__quantity=3, line__unit_price=Decimal("19.99"))
    PaymentFactory(order=order, amount=Decimal("20.00"))
    PaymentFactory(order=order, amount=Decimal("-5.00"))  # a refund
    DunningLetterFactory(order=order, fee=Decimal("5.00"), sent_on=days_ago(19))
    assert check(order).values[13] == "44,97"


def test_messages_name_the_order_even_in_german():
    from django.utils import translation

    order = DueOrderFactory(billing_street="")
    with translation.override("de"):
        claim = check(order)
    assert claim.label == order.number
    assert len(claim.errors) == 1


def test_dates_are_independent_of_the_active_language():
    from django.utils import translation

    order = DueOrderFactory(invoice_date=datetime.date(2026, 3, 4))
    with translation.override("en"):
        english = check(order).values
    with translation.override("de"):
        german = check(order).values
    assert english == german
    assert "vom 04.03.2026" in english[14]


def test_an_order_the_shop_no_longer_has_is_refused_by_its_key():
    order = DueOrderFactory()
    missing = order.pk + 1000

    [claims] = prepared_claims(
        order_ids=[order.pk, missing], today=timezone.localdate()
    )

    assert [(claim.order_id, claim.ok) for claim in claims] == [
        (order.pk, True),
        (missing, False),
    ]
    assert claims[1].label == str(missing)
    assert claims[1].errors == [
        "The shop has no claim data for this order; it may have been deleted."
    ]
