"""The ledger in Oscar's dashboard: handovers, claims, file numbers, payments."""

import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inkasso import services
from inkasso.models import Claim, DirectPayment, Handover

from .factories import create_order, days_ago

pytestmark = pytest.mark.django_db

IMPORT = reverse("inkasso_oscar:file-number-import")
CONFIRM = reverse("inkasso_oscar:file-number-import-confirm")


def handed_over(clerk, *orders) -> Handover:
    return services.hand_over(
        order_ids=[order.pk for order in orders],
        source=Handover.Source.ADMIN,
        user=clerk,
    ).handover


def claim_of(clerk, **order) -> Claim:
    return handed_over(clerk, create_order(**order)).claims.get()


def url(name: str, claim: Claim) -> str:
    return reverse(f"inkasso_oscar:{name}", args=[claim.pk])


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def in_oscars_layout(response) -> bool:
    return "oscar/dashboard/layout.html" in [t.name for t in response.templates]


def csv_file(rows) -> SimpleUploadedFile:
    text = "\r\n".join(["Rechnungsnr;Aktenzeichen", *(";".join(r) for r in rows)])
    return SimpleUploadedFile("aktenzeichen.csv", text.encode("cp1252"), "text/csv")


def test_the_navigation_has_the_ledger_pages_for_clerks(clerk_client):
    page = clerk_client.get(reverse("dashboard:index")).content.decode()

    assert reverse("inkasso_oscar:handovers") in page
    assert reverse("inkasso_oscar:claims") in page


def test_the_handovers_page_lists_every_handover_with_its_file(
    clerk_client, clerk, settings
):
    settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE = 2
    first = handed_over(clerk, create_order(), create_order())
    second = handed_over(clerk, create_order())
    purged = handed_over(clerk, create_order())
    Handover.objects.filter(pk=purged.pk).update(purged_at=timezone.now())

    response = clerk_client.get(reverse("inkasso_oscar:handovers"))

    page = text_of(response)
    assert response.status_code == 200 and in_oscars_layout(response)
    assert "3 handovers to mediafinanz" in page
    assert "Page 1 of 2" in page
    assert f"Deleted on {timezone.localdate():%m/%d/%Y}" in page
    assert (
        reverse("inkasso_oscar:handover-file", args=[second.pk])
        in response.content.decode()
    )
    assert "buchhaltung" in page
    older = text_of(clerk_client.get(reverse("inkasso_oscar:handovers") + "?page=2"))
    assert first.filename in older
    assert "€238.00" in older and " 2 " in older


def test_the_claims_list_links_oscars_order_and_searches_and_filters(
    clerk_client, clerk
):
    mueller = create_order()
    huber = create_order(billing_address__first_name="Franz")
    withdrawn = create_order(billing_address__last_name="Weg")
    claims = {
        claim.order_id: claim
        for claim in handed_over(clerk, mueller, huber, withdrawn).claims.all()
    }
    services.record_file_number(
        claim=claims[huber.pk], file_number="12345678901", user=clerk
    )
    services.withdraw_claim(claim=claims[withdrawn.pk], user=clerk, reason="bezahlt")
    claims_url = reverse("inkasso_oscar:claims")

    response = clerk_client.get(claims_url)

    page = response.content.decode()
    assert response.status_code == 200 and in_oscars_layout(response)
    assert reverse("dashboard:order-detail", kwargs={"number": mueller.number}) in page
    assert "12345678901" in page and "Franz Müller" in page
    assert "€119.00" in page
    # The withdrawn claim's badge (the state filter's options name it too).
    assert '<span class="badge badge-secondary">Withdrawn</span>' in page

    def found(query):
        claims = clerk_client.get(claims_url, query).context["claims"]
        return {claim.order_id for claim in claims}

    assert found({"q": "Franz"}) == {huber.pk}
    assert found({"q": mueller.number}) == {mueller.pk}
    assert found({"state": "withdrawn"}) == {withdrawn.pk}
    assert found({"state": "open", "without_file_number": "on"}) == {mueller.pk}


def test_the_claim_page_shows_the_payments_and_what_to_do(clerk_client, clerk):
    claim = claim_of(clerk)
    services.record_direct_payment(
        claim=claim, amount=Decimal("19.00"), received_on=days_ago(2), user=clerk
    )

    response = clerk_client.get(url("claim", claim))

    page = text_of(response)
    assert response.status_code == 200 and in_oscars_layout(response)
    assert "Still open €100.00" in page
    assert "€19.00" in page and "not reported yet" in page
    for action in ("claim-file-number", "claim-payment", "claim-withdraw"):
        assert url(action, claim) in response.content.decode()


def test_a_file_number_is_recorded_on_a_claim(clerk_client, clerk):
    claim = claim_of(clerk)

    response = clerk_client.post(
        url("claim-file-number", claim), {"file_number": "123 4567-890/1"}
    )

    claim.refresh_from_db()
    assert response["Location"] == url("claim", claim)
    assert claim.file_number == "12345678901"
    assert claim.file_number_recorded_by == clerk
    page = text_of(clerk_client.get(response["Location"]))
    assert f"The file number 12345678901 was recorded on claim {claim}." in page


def test_a_wrong_file_number_is_refused_and_nothing_recorded(clerk_client, clerk):
    claim = claim_of(clerk)

    response = clerk_client.post(url("claim-file-number", claim), {"file_number": "1"})

    assert response.status_code == 200 and in_oscars_layout(response)
    assert "11 digits" in text_of(response)
    assert Claim.objects.get().file_number == ""


def test_the_import_previews_first_and_records_on_confirmation(clerk_client, clerk):
    good, refused = handed_over(clerk, create_order(), create_order()).claims.all()
    upload = csv_file(
        [(good.invoice_number, "123 4567 8901"), (refused.invoice_number, "12")]
    )

    preview = clerk_client.post(IMPORT, {"format": "0", "import_file": upload})

    assert preview.status_code == 200 and in_oscars_layout(preview)
    page = text_of(preview)
    assert "1 file numbers to record" in page and "1 refused (see below)" in page
    assert f"“12” is not a file number for {refused.invoice_number}" in page
    assert set(Claim.objects.values_list("file_number", flat=True)) == {""}

    form = preview.context["confirm_form"]
    done = clerk_client.post(CONFIRM, form.initial, follow=True)

    messages = text_of(done)
    assert "1 file number was recorded." in messages
    assert f"1 row was left out: {refused.invoice_number}." in messages
    good.refresh_from_db()
    assert (good.file_number, good.file_number_recorded_by) == ("12345678901", clerk)
    assert Claim.objects.get(pk=refused.pk).file_number == ""


def test_a_file_without_the_columns_says_which_it_lacks(clerk_client):
    upload = SimpleUploadedFile("liste.csv", b"Nummer;AZ\r\n1;2\r\n", "text/csv")

    response = clerk_client.post(IMPORT, {"format": "0", "import_file": upload})

    assert "The file has no column „Rechnungsnr“." in text_of(response)
    assert response.context["confirm_form"] is None


def test_a_confirmation_without_its_preview_asks_for_the_file_again(clerk_client):
    response = clerk_client.post(
        CONFIRM,
        {
            "import_file_name": "gone.csv",
            "original_file_name": "aktenzeichen.csv",
            "format": "0",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == IMPORT
    assert "Upload the file again; its preview expired." in text_of(response)


def test_a_payment_received_directly_is_recorded(clerk_client, clerk):
    claim = claim_of(clerk)

    response = clerk_client.post(
        url("claim-payment", claim),
        {"received_on": days_ago(1).strftime("%Y-%m-%d"), "amount": "50.00"},
    )

    payment = DirectPayment.objects.get()
    assert response["Location"] == url("claim", claim)
    assert (payment.amount, payment.received_on) == (Decimal("50.00"), days_ago(1))
    assert payment.recorded_by == clerk
    page = text_of(clerk_client.get(response["Location"]))
    assert f"The payment of €50.00 on claim {claim} was recorded." in page
    assert "Still open €69.00" in page


def test_a_payment_above_the_balance_needs_the_clerks_confirmation(clerk_client, clerk):
    claim = claim_of(clerk)
    data = {"received_on": days_ago(1).strftime("%Y-%m-%d"), "amount": "150.00"}

    refused = clerk_client.post(url("claim-payment", claim), data)

    assert refused.status_code == 200 and in_oscars_layout(refused)
    assert "is more than the €119.00 still open on claim" in text_of(refused)
    assert not DirectPayment.objects.exists()

    confirmed = clerk_client.post(
        url("claim-payment", claim), {**data, "above_remaining": "on"}
    )

    assert confirmed.status_code == 302
    assert DirectPayment.objects.get().amount == Decimal("150.00")


def test_a_payment_on_a_withdrawn_claim_shows_the_services_refusal(clerk_client, clerk):
    claim = claim_of(clerk)
    services.withdraw_claim(claim=claim, user=clerk, reason="bezahlt")

    response = clerk_client.post(
        url("claim-payment", claim),
        {"received_on": days_ago(1).strftime("%Y-%m-%d"), "amount": "5.00"},
    )

    assert response.status_code == 200
    assert f"The claim {claim} is withdrawn; nothing can be recorded on it." in text_of(
        response
    )
    assert not DirectPayment.objects.exists()


def test_a_claim_is_withdrawn_with_a_reason_after_its_summary(clerk_client, clerk):
    claim = claim_of(clerk)
    withdraw = url("claim-withdraw", claim)

    page = clerk_client.get(withdraw)

    assert page.status_code == 200 and in_oscars_layout(page)
    text = text_of(page)
    assert f"Are you sure you want to take the claim {claim} back" in text
    assert "Still open €119.00" in text and "not recorded yet" in text
    assert f'href="{url("claim", claim)}"' in page.content.decode()
    assert clerk_client.post(withdraw, {"reason": ""}).status_code == 200
    assert Claim.objects.get().state == Claim.State.OPEN

    response = clerk_client.post(withdraw, {"reason": "Paid at the counter."})

    claim.refresh_from_db()
    assert (claim.state, claim.withdrawn_by) == (Claim.State.WITHDRAWN, clerk)
    assert claim.withdrawal_reason == "Paid at the counter."
    done = text_of(clerk_client.get(response["Location"]))
    assert f"The claim {claim} was withdrawn. Tell mediafinanz as well." in done
    again = clerk_client.get(withdraw, follow=True)
    assert f"The claim {claim} is already withdrawn." in text_of(again)


def test_staff_without_the_permission_neither_see_nor_use_the_ledger(client, clerk):
    from tests.users import UserFactory

    claim = claim_of(clerk)
    client.force_login(UserFactory(username="lager"))

    dashboard = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("inkasso_oscar:claims") not in dashboard
    assert reverse("inkasso_oscar:handovers") not in dashboard
    for page in ("handovers", "claims", "file-number-import"):
        assert client.get(reverse(f"inkasso_oscar:{page}")).status_code == 403
    for action in ("claim", "claim-file-number", "claim-payment", "claim-withdraw"):
        assert client.get(url(action, claim)).status_code == 403
    client.post(url("claim-file-number", claim), {"file_number": "12345678901"})
    client.post(url("claim-withdraw", claim), {"reason": "weg"})
    assert client.post(CONFIRM, {}).status_code == 403
    claim.refresh_from_db()
    assert (claim.file_number, claim.state) == ("", Claim.State.OPEN)


def test_the_ledger_speaks_german_with_german_money(clerk_client, clerk):
    claim = claim_of(clerk, total_incl_tax=Decimal("1234.56"))

    claims = clerk_client.get(
        reverse("inkasso_oscar:claims"), HTTP_ACCEPT_LANGUAGE="de"
    )
    page = text_of(clerk_client.get(url("claim", claim), HTTP_ACCEPT_LANGUAGE="de"))

    # One line: the euro sign stays with its amount.
    assert "1.234,56\u00a0€" in claims.content.decode()
    assert "Aktenzeichen" in text_of(claims)
    assert "Noch offen 1.234,56 €" in page
    assert "Direkt erhaltene Zahlungen" in page


def test_a_claim_whose_order_changed_in_the_shop_is_shown_to_tell_mediafinanz(
    clerk_client, clerk
):
    changed = claim_of(clerk)
    unchanged = claim_of(clerk)
    changed.order.set_status("Complete")

    overview = clerk_client.get(reverse("inkasso_oscar:orders")).content.decode()
    assert 'id="inkasso-changed-count"' in overview
    assert reverse("inkasso_oscar:claims") + "?changed=on" in overview
    listed = clerk_client.get(reverse("inkasso_oscar:claims"), {"changed": "on"})
    assert [claim.pk for claim in listed.context["claims"]] == [changed.pk]
    assert "order changed in the shop" in listed.content.decode()
    panel = clerk_client.get(
        reverse("dashboard:order-detail", args=[changed.order.number])
    ).content.decode()
    assert 'id="inkasso-changed"' in panel
    other = clerk_client.get(
        reverse("dashboard:order-detail", args=[unchanged.order.number])
    ).content.decode()
    assert 'id="inkasso-changed"' not in other
