"""The worst bugs: a withdrawn claim sent again, a stale form, rules bypassed."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from inkasso import selectors, services
from inkasso.adapters import get_adapter
from inkasso.models import Claim, Handover
from shop.collection import ShopOrderAdapter
from shop.models import Order, OrderStatus
from tests.factories import DueOrderFactory, PaymentFactory, days_ago

pytestmark = pytest.mark.django_db


def hand_over(*orders) -> Handover:
    return services.hand_over(
        order_ids=[order.pk for order in orders], source="command"
    ).handover


def export() -> str:
    stdout, stderr = io.BytesIO(), io.StringIO()
    call_command("inkasso_export", stdout=stdout, stderr=stderr)
    return stderr.getvalue()


def test_a_withdrawn_claim_is_not_handed_over_again_by_the_next_cron_run():
    order = DueOrderFactory()
    export()
    claim = Claim.objects.get(order=order)
    services.withdraw_claim(claim=claim, user=None, reason="Kunde hat bezahlt")
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTION  # the demo shop keeps it

    messages = export()

    assert messages == "No orders are due for handover.\n"
    assert Handover.objects.count() == 1
    assert selectors.due_order_ids(today=timezone.localdate()) == []


def test_a_stale_order_form_does_not_undo_a_handover(clerk_client):
    order = DueOrderFactory(status=OrderStatus.SHIPPED)
    url = reverse("admin:shop_order_change", args=[order.pk])
    page = clerk_client.get(url)
    data = _form_data(page)
    assert data["status"] == OrderStatus.SHIPPED

    services.hand_over(order_ids=[order.pk], source="admin")
    response = clerk_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTION
    assert not selectors.changed_claims().exists()


def test_the_status_of_an_order_with_mediafinanz_is_shown_but_not_editable(
    clerk_client,
):
    order = DueOrderFactory()
    hand_over(order)
    page = clerk_client.get(reverse("admin:shop_order_change", args=[order.pk]))
    assert "status" not in page.context["adminform"].form.fields


def test_an_order_changed_in_the_shop_after_the_handover_flags_its_claim(
    clerk_client,
):
    paid, untouched = DueOrderFactory(), DueOrderFactory()
    hand_over(paid, untouched)
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.PAID)

    assert list(selectors.changed_claims().values_list("order", flat=True)) == [paid.pk]
    overview = clerk_client.get(reverse("admin:inkasso_handover_changelist"))
    assert overview.context["overview"]["changed_count"] == 1
    flagged = clerk_client.get(
        reverse("admin:inkasso_claim_changelist"), {"order_changed": "yes"}
    )
    assert [claim.order_id for claim in flagged.context["cl"].result_list] == [paid.pk]


def test_a_customer_who_pays_the_shop_after_the_handover_flags_the_claim():
    paid, untouched = DueOrderFactory(), DueOrderFactory()
    hand_over(paid, untouched)
    # The status stays "Inkasso ist in Arbeit"; the money came in anyway.
    PaymentFactory(order=paid, amount=paid.lines.get().total)

    assert list(selectors.changed_claims().values_list("order", flat=True)) == [paid.pk]


# The services keep their own rules, whoever calls them.


def test_a_direct_payment_from_the_future_is_refused_by_the_service():
    claim = hand_over(DueOrderFactory()).claims.get()
    with pytest.raises(services.ClaimError, match="cannot be in the future"):
        services.record_direct_payment(
            claim=claim, amount=Decimal("1.00"), received_on=days_ago(-1), user=None
        )
    assert not claim.direct_payments.exists()


def test_a_direct_payment_before_the_invoice_date_is_refused():
    order = DueOrderFactory()
    claim = hand_over(order).claims.get()
    assert claim.invoice_date == order.invoice_date
    with pytest.raises(services.ClaimError, match="before the invoice date"):
        services.record_direct_payment(
            claim=claim,
            amount=Decimal("1.00"),
            received_on=order.invoice_date - datetime.timedelta(days=1),
            user=None,
        )


def test_a_direct_payment_above_the_remaining_amount_needs_a_confirmation():
    claim = hand_over(DueOrderFactory()).claims.get()
    services.record_direct_payment(
        claim=claim, amount=claim.amount - 1, received_on=days_ago(1), user=None
    )
    with pytest.raises(services.ClaimError, match="above the 1,00 EUR still open"):
        services.record_direct_payment(
            claim=claim, amount=Decimal("2.00"), received_on=days_ago(1), user=None
        )
    services.record_direct_payment(
        claim=claim,
        amount=Decimal("2.00"),
        received_on=days_ago(1),
        user=None,
        above_remaining=True,
    )
    assert claim.direct_payments.count() == 2


@pytest.mark.parametrize(
    "record",
    [
        lambda claim: services.record_file_number(
            claim=claim, file_number="12345678901", user=None
        ),
        lambda claim: services.record_direct_payment(
            claim=claim, amount=Decimal("1.00"), received_on=days_ago(1), user=None
        ),
    ],
)
def test_nothing_is_recorded_on_a_withdrawn_claim(record):
    claim = hand_over(DueOrderFactory()).claims.get()
    services.withdraw_claim(claim=claim, user=None, reason="Storniert")
    with pytest.raises(services.ClaimError, match="is withdrawn"):
        record(claim)
    claim.refresh_from_db()
    assert claim.file_number == ""
    assert not claim.direct_payments.exists()


def test_a_pasted_file_number_is_recorded_without_spaces_or_dashes():
    claim = hand_over(DueOrderFactory()).claims.get()
    services.record_file_number(claim=claim, file_number="123 4567-8902", user=None)
    claim.refresh_from_db()
    assert claim.file_number == "12345678902"
    with pytest.raises(services.ClaimError, match="exactly 11 digits"):
        services.record_file_number(claim=claim, file_number="1234", user=None)


# The adapter: a refusal of the shop's own, and the ledger records it gets.


class RefusingAdapter(ShopOrderAdapter):
    def refusal(self, order):
        if order.billing_city == "Nirgendwo":
            return "Der Status-Workflow erlaubt kein Inkasso aus diesem Status."
        return ""

    def claims(self, queryset, *, today):
        # The model-instance path of the base class, with the refusal.
        yield from super(ShopOrderAdapter, self).claims(queryset, today=today)

    def get_queryset(self, queryset):
        return queryset

    def claim_data(self, order, *, today):
        [claim] = ShopOrderAdapter.claims(
            self, type(order).objects.filter(pk=order.pk), today=today
        )
        return claim.data

    received = []

    def mark_handed_over(self, order_ids, *, handover):
        self.received.append(("handed_over", list(order_ids), handover.pk))
        super().mark_handed_over(order_ids, handover=handover)

    def mark_withdrawn(self, order, *, claim):
        self.received.append(("withdrawn", order.pk, claim.pk))


@override_settings(INKASSO_ADAPTER="tests.test_never_a_wrong_claim.RefusingAdapter")
def test_an_adapter_refuses_an_order_cleanly_and_gets_the_ledger_records():
    RefusingAdapter.received.clear()
    refused = DueOrderFactory(billing_city="Nirgendwo")
    accepted = DueOrderFactory()
    assert isinstance(get_adapter(), RefusingAdapter)

    result = services.hand_over(order_ids=[refused.pk, accepted.pk], source="command")

    assert [claim.label for claim in result.refused] == [refused.number]
    assert result.refused[0].errors == [
        "Der Status-Workflow erlaubt kein Inkasso aus diesem Status."
    ]
    claim = result.handover.claims.get()
    services.withdraw_claim(claim=claim, user=None, reason="Irrtum")
    assert RefusingAdapter.received == [
        ("handed_over", [accepted.pk], result.handover.pk),
        ("withdrawn", accepted.pk, claim.pk),
    ]


def _form_data(response) -> dict:
    """Return what the browser would post back for an admin change form."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data
