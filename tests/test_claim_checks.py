"""The contract's checks on real demo orders: what the adapter and ledger add.

The rules themselves are tested on plain claim data in ``test_rules.py``.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from inkasso import services
from inkasso.problems import Problem
from inkasso.selectors import checked_claims
from inkasso.services import hand_over
from shop.models import OrderStatus, PaymentMethod
from tests.contract import HEADERS
from tests.factories import (
    DueOrderFactory,
    DunningLetterFactory,
    DunningLevel,
    OrderLineFactory,
    PaymentFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def check(order, **kwargs):
    [[claim]] = list(
        checked_claims(order_ids=[order.pk], today=timezone.localdate(), **kwargs)
    )
    return claim


def column(claim, header: str) -> str:
    return claim.values[HEADERS.index(header)]


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
        "The currency is CHF; only EUR claims can be handed over, "
        "so this order has to be collected another way.",
    )


def test_handover_refuses_an_order_without_an_open_amount():
    order = DueOrderFactory(line=None)
    assert_refused_only_for(order, "The open amount is not above zero.")


@pytest.mark.parametrize(
    ("field", "header"),
    [
        ("billing_first_name", "first name"),
        ("billing_last_name", "last name"),
    ],
)
def test_handover_refuses_a_person_without_a_full_name(field, header):
    order = DueOrderFactory(**{field: "  "})
    assert_refused_only_for(
        order, f"The {header} is missing (required unless the debtor is a company)."
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
        ("billing_street", "street and house number"),
        ("billing_city", "city"),
        ("billing_postcode", "postcode"),
        ("invoice_number", "invoice number"),
    ],
)
def test_handover_refuses_a_missing_required_column(field, header):
    assert_refused_only_for(DueOrderFactory(**{field: ""}), f"The {header} is missing.")


@pytest.mark.parametrize(
    ("country", "postcode"),
    [("DE", "1067"), ("DE", "0106A"), ("AT", "10100"), ("CH", "800")],
)
def test_handover_refuses_a_postcode_of_the_wrong_shape(country, postcode):
    order = DueOrderFactory(billing_country=country, billing_postcode=postcode)
    assert check(order).errors == [
        f"The postcode {postcode!r} is not valid for {country}."
    ]


def test_a_postcode_abroad_only_needs_to_be_there():
    order = DueOrderFactory(billing_country="NL", billing_postcode="1012 JS")
    assert check(order).errors == []


def test_handover_refuses_a_country_that_is_not_an_iso_code():
    assert_refused_only_for(
        DueOrderFactory(billing_country="XX"),
        "The country 'XX' is not an ISO country code such as DE.",
    )


def test_a_lower_case_country_code_is_written_upper_case():
    claim = check(DueOrderFactory(billing_country="de"))
    assert claim.errors == []
    assert column(claim, "Land") == "DE"


def test_handover_refuses_an_invoice_number_longer_than_40_characters():
    assert_refused_only_for(
        DueOrderFactory(invoice_number="R" * 41),
        "The invoice number is longer than 40 characters.",
    )


def test_an_invoice_number_of_exactly_40_characters_is_fine():
    assert check(DueOrderFactory(invoice_number="R" * 40)).errors == []


def test_handover_refuses_an_order_without_invoice_date():
    assert_refused_only_for(
        DueOrderFactory(invoice_date=None), "The invoice date is missing."
    )


def test_handover_refuses_a_delivered_invoice_order_without_service_date():
    assert_refused_only_for(
        DueOrderFactory(delivered_date=None),
        "The delivery or service date is missing.",
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
        f"The last Mahnung ({days_ago(20):%d.%m.%Y}) is before the delivery date "
        f"({days_ago(10):%d.%m.%Y}).",
    )


def test_handover_refuses_a_mahndatum_in_the_future():
    order = DueOrderFactory(letter=None)
    tomorrow = days_ago(-1)
    DunningLetterFactory(order=order, sent_on=tomorrow, deadline=days_ago(-30))
    claim = check(order)
    assert (
        f"The last Mahnung is dated in the future ({tomorrow:%d.%m.%Y})."
        in claim.errors
    )


def test_handover_refuses_while_the_recorded_deadline_runs():
    order = DueOrderFactory(letter=None)
    DunningLetterFactory(order=order, sent_on=days_ago(3), deadline=days_ago(0))
    assert_refused_only_for(
        order,
        "The payment deadline of the last dunning letter has not passed yet "
        f"(it runs until {days_ago(0):%d.%m.%Y}).",
    )


def test_without_a_recorded_deadline_the_grace_days_apply(monkeypatch):
    # The ledger records every letter's deadline; a host's own dunning
    # records may not (the second host shop's "frist" is optional).
    from shop.collection import ShopOrderAdapter

    claims = ShopOrderAdapter.claims
    sent = {}

    def without_deadline(self, queryset, *, today):
        for claim in claims(self, queryset, today=today):
            yield claim._replace(
                data=dataclasses.replace(claim.data, dunning_date=sent[claim.order_id])
            )

    monkeypatch.setattr(ShopOrderAdapter, "claims", without_deadline)
    order = DueOrderFactory(letter=None)
    sent[order.pk] = days_ago(7)
    assert check(order).errors == [
        "The payment deadline of the last dunning letter has not passed yet "
        f"(it runs until {days_ago(0):%d.%m.%Y})."
    ]
    with override_settings(INKASSO_DUNNING_GRACE_DAYS=6):
        assert check(order).errors == []
    with override_settings(INKASSO_DUNNING_GRACE_DAYS=0):
        late = DueOrderFactory(letter=None)
        sent[late.pk] = days_ago(0)
        assert check(late).errors == []


def test_the_last_mahnung_counts_not_the_first():
    order = DueOrderFactory(letter=None)
    DunningLetterFactory(order=order, level=DunningLevel.FIRST, sent_on=days_ago(30))
    DunningLetterFactory(order=order, level=DunningLevel.SECOND, sent_on=days_ago(15))
    claim = check(order)
    assert column(claim, "Mahndatum") == f"{days_ago(15):%d.%m.%Y}"


def test_claim_type_follows_payment_method_shipping_and_services():
    goods = DueOrderFactory()
    prepaid = DueOrderFactory(
        payment_method=PaymentMethod.PREPAYMENT, delivered_date=None
    )
    service = DueOrderFactory(line=None)
    OrderLineFactory(order=service, product_name="Einweisung", is_service=True)
    assert column(check(goods), "Forderungstyp") == "1"
    prepaid_claim = check(prepaid)
    assert column(prepaid_claim, "Forderungstyp") == "2"
    assert column(prepaid_claim, "Leistungsdatum") == f"{prepaid.order_date:%d.%m.%Y}"
    assert column(check(service), "Forderungstyp") == "3"


# Warnings: handed over, but shown.


def test_transliterated_characters_are_a_warning():
    order = DueOrderFactory(billing_last_name="Wróbel-Łukasiewicz")
    claim = check(order)
    assert claim.errors == []
    assert column(claim, "Nachname") == "Wróbel-Lukasiewicz"
    assert claim.warnings == ["Last name: characters changed for the file (Ł → L)."]


def test_utf8_files_need_no_transliteration():
    order = DueOrderFactory(billing_last_name="Wróbel-Łukasiewicz")
    claim = check(order, encoding="utf-8-sig")
    assert column(claim, "Nachname") == "Wróbel-Łukasiewicz"
    assert claim.warnings == []


def test_a_formula_start_is_neutralised_with_a_warning():
    order = DueOrderFactory(billing_company="=HYPERLINK(1)")
    claim = check(order)
    assert column(claim, "Firma") == "'=HYPERLINK(1)"
    assert claim.warnings == [
        "Company starts like a spreadsheet formula; a ' was put in front."
    ]


def test_a_long_reason_is_shortened_at_a_word_boundary_with_a_warning():
    order = DueOrderFactory(line=None)
    for number in range(30):
        OrderLineFactory(order=order, product_name=f"Ersatzfilter Nummer {number}")
    claim = check(order)
    reason = column(claim, "Forderungsgrund")
    assert len(reason) <= 250
    assert reason.endswith("…")
    assert not reason.endswith(" …")
    assert claim.warnings == ["Claim description was shortened to 250 characters."]


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
    assert column(claim, "Email") == ""
    assert claim.warnings == ["The e-mail address is not valid and was left out."]


@pytest.mark.parametrize(
    "email", ["o'brien+shop@example.de", "kaethe@localhost", "kaethe@müller.de"]
)
def test_unusual_but_valid_emails_are_kept(email):
    claim = check(DueOrderFactory(customer__email=email))
    assert column(claim, "Email") == email
    assert claim.warnings == []


def test_a_claim_below_the_minimum_amount_is_a_warning():
    order = DueOrderFactory(line__quantity=1, line__unit_price=Decimal("4.99"))
    assert check(order).warnings == [
        "The open amount €4.99 is below the minimum of €10.00."
    ]
    with translation.override("de"):
        assert check(order).warnings == [
            "Der offene Betrag von 4,99\u00a0€ liegt unter dem Mindestbetrag von "
            "10,00\u00a0€."
        ]
    with override_settings(INKASSO_MINIMUM_AMOUNT="0"):
        assert check(order).warnings == []


def test_a_minimum_warning_stored_with_amounts_in_the_file_format_still_reads():
    stored = Problem("below_minimum", {"amount": "4,99", "minimum": "10,00"})
    assert stored.message == (
        "The open amount 4,99 EUR is below the minimum of 10,00 EUR."
    )


def test_the_amount_is_the_open_principal_without_dunning_fees():
    order = DueOrderFactory(line__quantity=3, line__unit_price=Decimal("19.99"))
    PaymentFactory(order=order, amount=Decimal("20.00"))
    PaymentFactory(order=order, amount=Decimal("-5.00"))  # a refund
    order.inkasso_letters.update(fee=Decimal("5.00"), sent_on=days_ago(19))
    assert column(check(order), "Forderungsbetrag") == "44,97"


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
    assert "vom 04.03.2026" in english[HEADERS.index("Forderungsgrund")]


def test_an_order_the_shop_no_longer_has_is_refused_by_its_key():
    order = DueOrderFactory()
    missing = order.pk + 1000

    [claims] = checked_claims(order_ids=[order.pk, missing], today=timezone.localdate())

    assert [(claim.order_id, claim.ok) for claim in claims] == [
        (order.pk, True),
        (missing, False),
    ]
    assert claims[1].label == str(missing)
    assert claims[1].errors == [
        "The shop has no claim data for this order; it may have been deleted."
    ]


# The ledger: never a claim twice.


def test_an_invoice_number_twice_in_a_selection_goes_to_the_first_order_only():
    first = DueOrderFactory(invoice_number="R-2026-0001")
    second = DueOrderFactory(invoice_number="R-2026-0001")

    result = hand_over(order_ids=[first.pk, second.pk], source="command")

    assert [claim.order_id for claim in result.handover.claims.all()] == [first.pk]
    assert [claim.label for claim in result.refused] == [second.number]
    assert result.refused[0].errors == [
        "Invoice number R-2026-0001 is also on order "
        f"{first.number} of this selection; correct the invoice number of the "
        "wrong order."
    ]


def test_an_invoice_number_already_with_mediafinanz_is_refused_for_another_order():
    first = DueOrderFactory(invoice_number="R-2026-0002")
    handed_over = hand_over(order_ids=[first.pk], source="command").handover
    second = DueOrderFactory(invoice_number=" R-2026-0002 ")

    result = hand_over(order_ids=[second.pk], source="command")

    assert result.handover is None
    assert result.refused[0].errors == [
        "Invoice number R-2026-0002 is already on a claim with mediafinanz "
        f"(handover {handed_over.pk}); each invoice can be handed over once."
    ]


def test_a_withdrawn_invoice_number_may_be_handed_over_again():
    first = DueOrderFactory(invoice_number="R-2026-0003")
    claim = hand_over(order_ids=[first.pk], source="command").handover.claims.get()
    services.withdraw_claim(claim=claim, user=None, reason="Falsche Rechnung")
    second = DueOrderFactory(invoice_number="R-2026-0003")

    assert check(second).errors == []


def test_the_database_refuses_a_second_open_claim_for_an_invoice_number():
    from django.db import IntegrityError, transaction

    from inkasso.models import Claim

    order = DueOrderFactory(invoice_number="R-2026-0004")
    claim = hand_over(order_ids=[order.pk], source="command").handover.claims.get()
    other = DueOrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            handover=claim.handover,
            order=other,
            row_number=2,
            invoice_number="R-2026-0004",
            amount=Decimal("1.00"),
            line="",
        )


def test_an_order_selected_again_after_a_withdrawal_shows_when_and_why():
    order = DueOrderFactory()
    claim = hand_over(order_ids=[order.pk], source="command").handover.claims.get()
    services.withdraw_claim(claim=claim, user=None, reason="Kunde bestreitet")

    checked = check(order, withdrawn_chosen={order.pk})

    assert checked.ok
    assert checked.warnings == [
        f"A claim for this order was withdrawn on {timezone.localdate():%d.%m.%Y} "
        "(Kunde bestreitet); it is handed over again only because you selected it."
    ]


def test_a_withdrawn_order_nobody_chose_again_is_refused_naming_the_withdrawal():
    # cron listed the order before a clerk handed it over and withdrew it.
    order = DueOrderFactory()
    claim = hand_over(order_ids=[order.pk], source="admin").handover.claims.get()
    services.withdraw_claim(claim=claim, user=None, reason="Kunde hat bezahlt")

    result = hand_over(order_ids=[order.pk], source="command")

    assert result.handover is None
    assert result.refused[0].errors == [
        f"A claim for this order was withdrawn on {timezone.localdate():%d.%m.%Y} "
        "(Kunde hat bezahlt); select the order yourself to hand it over again."
    ]
    again = hand_over(order_ids=[order.pk], source="admin", withdrawn_chosen=[order.pk])
    assert again.count == 1


def test_an_invoice_number_goes_to_the_first_order_that_is_accepted():
    cancelled = DueOrderFactory(invoice_number="R-2026-0009", status="cancelled")
    valid = DueOrderFactory(invoice_number="R-2026-0009")

    result = hand_over(order_ids=[cancelled.pk, valid.pk], source="command")

    assert [c.order_id for c in result.handover.claims.all()] == [valid.pk]
    assert result.refused[0].errors == ["The order is cancelled."]


@override_settings(INKASSO_CHUNK_SIZE=1)
def test_an_invoice_number_twice_across_chunks_is_named_once():
    first = DueOrderFactory(invoice_number="R-2026-0010")
    second = DueOrderFactory(invoice_number="R-2026-0010")

    result = hand_over(order_ids=[first.pk, second.pk], source="command")

    assert result.count == 1
    assert [problem.code for problem in result.refused[0].problems] == [
        "invoice_number_twice"
    ]
