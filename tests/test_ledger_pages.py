"""The ledger pages a clerk works in: claims list, payments, withdrawal, handovers."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inkasso import display, services
from inkasso.models import Claim, DirectPayment, Handover
from tests.factories import CustomerFactory, DueOrderFactory, days_ago

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:inkasso_claim_changelist")


def hand_over(*orders, user=None) -> Handover:
    return services.hand_over(
        order_ids=[order.pk for order in orders], source="admin", user=user
    ).handover


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def list_form(claims, **file_numbers) -> dict:
    """The POST of the claims list with its editable file numbers."""
    data = {
        "form-TOTAL_FORMS": str(len(claims)),
        "form-INITIAL_FORMS": str(len(claims)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, claim in enumerate(claims):
        data[f"form-{index}-id"] = str(claim.pk)
        data[f"form-{index}-file_number"] = file_numbers.get(
            claim.invoice_number, claim.file_number
        )
    return data


def named(first_name, last_name, **kwargs):
    return DueOrderFactory(
        customer=CustomerFactory(first_name=first_name, last_name=last_name), **kwargs
    )


# The claims list


def test_the_claims_list_shows_the_debtor_and_amounts_as_money(clerk_client):
    hand_over(named("Käthe", "Groß"), named("Jürgen", "Müller"))
    Claim.objects.filter(invoice_number__isnull=False).update(amount=Decimal("1234.5"))

    page = text_of(clerk_client.get(CLAIMS))

    assert "Käthe Groß" in page
    assert "Jürgen Müller" in page
    assert "€1,234.50" in page
    assert "EUR" not in page


def test_the_claims_list_searches_by_name_invoice_and_file_number(clerk_client):
    grosz, mueller = hand_over(
        named("Käthe", "Groß"), named("Jürgen", "Mueller")
    ).claims.order_by("row_number")
    services.record_file_number(claim=mueller, file_number="12345678901", user=None)

    def found(term):
        response = clerk_client.get(CLAIMS, {"q": term})
        return {claim.pk for claim in response.context["cl"].result_list}

    assert found("Groß") == {grosz.pk}
    assert found("Mueller") == {mueller.pk}
    assert found(grosz.invoice_number) == {grosz.pk}
    assert found("12345678901") == {mueller.pk}


def test_file_numbers_are_typed_into_the_list_and_recorded_by_the_service(
    clerk_client, clerk
):
    first, second = hand_over(*DueOrderFactory.create_batch(2)).claims.order_by(
        "row_number"
    )

    response = clerk_client.post(
        CLAIMS,
        list_form(
            [first, second],
            **{first.invoice_number: "123 4567 8901", second.invoice_number: ""},
        ),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.file_number == "12345678901"
    assert first.file_number_recorded_by == clerk
    assert second.file_number == ""


def test_an_invalid_file_number_in_the_list_is_named_with_its_row(clerk_client):
    first, second = hand_over(*DueOrderFactory.create_batch(2)).claims.order_by(
        "row_number"
    )

    response = clerk_client.post(
        CLAIMS,
        list_form(
            [first, second],
            **{first.invoice_number: "12345678901", second.invoice_number: "1234"},
        ),
        follow=True,
    )

    page = text_of(response)
    assert (
        f"{second.invoice_number}: The mediafinanz file number has exactly 11 "
        "digits. Nothing in the list was saved" in page
    )
    assert not Claim.objects.exclude(file_number="").exists()


def test_a_recorded_file_number_cannot_be_emptied_in_the_list(clerk_client):
    claim = hand_over(DueOrderFactory()).claims.get()
    services.record_file_number(claim=claim, file_number="12345678901", user=None)
    claim.refresh_from_db()

    response = clerk_client.post(
        CLAIMS, list_form([claim], **{claim.invoice_number: ""})
    )

    assert "cannot be removed" in text_of(response)
    claim.refresh_from_db()
    assert claim.file_number == "12345678901"


def test_a_withdrawn_claim_keeps_its_file_number_in_the_list(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    services.withdraw_claim(claim=claim, user=clerk, reason="bezahlt")

    response = clerk_client.post(
        CLAIMS, list_form([claim], **{claim.invoice_number: "12345678901"})
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.file_number == ""


def test_the_claim_page_takes_a_pasted_file_number(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    response = clerk_client.post(
        url,
        {
            "file_number": "123 4567 8902",
            "direct_payments-TOTAL_FORMS": "0",
            "direct_payments-INITIAL_FORMS": "0",
            "direct_payments-MIN_NUM_FORMS": "0",
            "direct_payments-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.file_number == "12345678902"


# Direct payments


def payment_form(claim, amount, *, confirmed=False) -> dict:
    data = {
        "file_number": claim.file_number,
        "direct_payments-TOTAL_FORMS": "1",
        "direct_payments-INITIAL_FORMS": "0",
        "direct_payments-MIN_NUM_FORMS": "0",
        "direct_payments-MAX_NUM_FORMS": "1000",
        "direct_payments-0-received_on": days_ago(1).isoformat(),
        "direct_payments-0-amount": amount,
    }
    if confirmed:
        data["direct_payments-0-above_remaining"] = "on"
    return data


def test_the_claim_page_shows_what_is_still_open(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    Claim.objects.filter(pk=claim.pk).update(amount=Decimal("316.98"))
    services.record_direct_payment(
        claim=claim, amount=Decimal("16.98"), received_on=days_ago(1), user=clerk
    )
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    page = text_of(clerk_client.get(url))

    assert "Still open: €300.00" in page
    assert "More than the €300.00 still open: confirmed" in page


def test_a_payment_above_the_balance_needs_the_confirmation(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    Claim.objects.filter(pk=claim.pk).update(amount=Decimal("316.98"))
    claim.refresh_from_db()
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    refused = clerk_client.post(url, payment_form(claim, "9999.00"))

    assert refused.status_code == 200
    assert (
        f"The payment of €9,999.00 is more than the €316.98 still open on claim "
        f"{claim.invoice_number}." in text_of(refused)
    )
    assert not DirectPayment.objects.exists()

    accepted = clerk_client.post(url, payment_form(claim, "9999.00", confirmed=True))

    assert accepted.status_code == 302
    assert DirectPayment.objects.get().amount == Decimal("9999.00")


def test_the_payment_message_is_german_with_german_amounts(clerk_client, settings):
    settings.LANGUAGE_CODE = "de"
    claim = hand_over(DueOrderFactory()).claims.get()
    Claim.objects.filter(pk=claim.pk).update(amount=Decimal("316.98"))
    url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    page = text_of(
        clerk_client.post(
            url, payment_form(claim, "9999,00"), HTTP_ACCEPT_LANGUAGE="de"
        )
    )

    # (text_of() makes the no-break space before € a space.)
    assert "Die Zahlung von 9.999,00 € ist höher als die 316,98 €" in page
    assert "EUR" not in page


# Withdrawal


def test_the_withdrawal_page_sums_up_the_claim_and_offers_a_way_back(clerk_client):
    handover = hand_over(named("Käthe", "Groß"))
    claim = handover.claims.get()
    services.record_file_number(claim=claim, file_number="12345678901", user=None)
    Claim.objects.filter(pk=claim.pk).update(amount=Decimal("1234.50"))
    change_url = reverse("admin:inkasso_claim_change", args=[claim.pk])

    response = clerk_client.get(
        reverse("admin:inkasso_claim_withdraw", args=[claim.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    summary = text_of(response)
    assert "admin/css/forms.css" in page
    assert 'class="breadcrumbs"' in page
    assert f'href="{change_url}" class="button cancel-link"' in page
    for value in (
        claim.invoice_number,
        "Käthe Groß",
        "€1,234.50",
        "12345678901",
        timezone.localdate(handover.created_at).strftime("%m/%d/%Y"),
    ):
        assert value in summary


def test_a_withdrawal_without_a_reason_is_refused_on_the_page(clerk_client):
    claim = hand_over(DueOrderFactory()).claims.get()
    url = reverse("admin:inkasso_claim_withdraw", args=[claim.pk])

    response = clerk_client.post(url, {"reason": " "})

    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == Claim.State.OPEN


def test_a_withdrawn_claim_goes_back_to_its_page(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    services.withdraw_claim(claim=claim, user=clerk, reason="bezahlt")

    response = clerk_client.get(
        reverse("admin:inkasso_claim_withdraw", args=[claim.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:inkasso_claim_change", args=[claim.pk])


# Handovers


def test_the_handover_pages_speak_the_clerks_language(clerk_client, clerk):
    handover = hand_over(*DueOrderFactory.create_batch(2), user=clerk)
    Claim.objects.update(amount=Decimal("600.10"))
    # 20:39 in Berlin is 19:39 or 18:39 UTC.
    created = timezone.make_aware(datetime.datetime(2026, 9, 18, 20, 39))
    Handover.objects.filter(pk=handover.pk).update(created_at=created)

    listed = text_of(clerk_client.get(reverse("admin:inkasso_handover_changelist")))
    page_response = clerk_client.get(
        reverse("admin:inkasso_handover_change", args=[handover.pk])
    )
    page = text_of(page_response)

    for text in (listed, page):
        assert "€1,200.20" in text
        assert "Windows (mediafinanz default)" in text
        assert "cp1252" not in text
        assert "EUR" not in text
    assert display.moment(created) in listed
    assert f"mediafinanz-{handover.pk:06d}-20260918-2039.csv" in page
    # The checksum and the size in bytes are technical details, collapsed.
    source = page_response.content.decode()
    technical = source.index("Technical details")
    assert source.index(handover.sha256) > technical
    assert 'class="module aligned collapse"' in source or "<details" in source


def test_the_payments_action_is_named_for_the_clerk(clerk_client):
    response = clerk_client.get(reverse("admin:inkasso_directpayment_changelist"))

    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["mark_reported"] == "Mark as reported to mediafinanz"


def test_the_payments_list_shows_money_and_days(clerk_client, clerk):
    claim = hand_over(DueOrderFactory()).claims.get()
    Claim.objects.filter(pk=claim.pk).update(amount=Decimal("5000.00"))
    payment = services.record_direct_payment(
        claim=claim, amount=Decimal("1234.50"), received_on=days_ago(2), user=clerk
    )

    page = text_of(clerk_client.get(reverse("admin:inkasso_directpayment_changelist")))

    assert "€1,234.50" in page
    assert display.day(payment.received_on) in page
