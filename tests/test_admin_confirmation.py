"""The confirmation page a clerk can trust: figures, names, leaving orders out."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inkasso.adapters import get_adapter
from inkasso.admin import confirm
from inkasso.models import Handover
from tests.factories import DueOrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:shop_order_changelist")
CONFIRM = reverse("admin:shop_order_inkasso_hand_over")


def select(client, orders):
    return client.post(
        CHANGELIST,
        {
            "action": "hand_over_to_mediafinanz",
            ACTION_CHECKBOX_NAME: [order.pk for order in orders],
            "index": 0,
        },
    )


def post(client, shown_page, **data):
    selection = shown_page.context["selection"]
    return client.post(CONFIRM, {"selection": selection, "encoding": "cp1252", **data})


def order_of(amount, **kwargs):
    order = DueOrderFactory(line=None, **kwargs)
    OrderLineFactory(order=order, quantity=1, unit_price=Decimal(amount))
    return order


def handed_over():
    return sorted(Handover.objects.get().claims.values_list("order__number", flat=True))


def test_the_top_says_how_many_what_total_how_many_warned_and_has_the_buttons(
    clerk_client,
):
    first = order_of("1000.50", billing_first_name="Ayşe", billing_last_name="Yılmaz")
    second = order_of("234.06", billing_first_name="Jan", billing_last_name="Kowalski")
    refused = DueOrderFactory(billing_city="")

    page = select(clerk_client, [first, second, refused])

    content = page.content.decode()
    assert page.context["accepted_count"] == 2
    assert page.context["report"].warned_count == 1  # Yılmaz: ı is not in cp1252
    assert '<dd id="inkasso-confirm-count">2</dd>' in content
    assert "€1,234.56" in content
    assert (
        '<dd id="inkasso-confirm-warned"><a href="#inkasso-accepted">1</a>' in content
    )
    # The buttons above the list and below it.
    assert content.index('id="inkasso-confirm"') < content.index("Kowalski")
    assert content.index('id="inkasso-confirm-bottom"') > content.index("Kowalski")
    # Each order with its debtor and amount; warned ones first.
    assert content.index("Ayşe Yılmaz") < content.index("Jan Kowalski")
    assert "€234.06" in content
    # The refused one with its reason and what to do, and a link to it.
    assert "The city is missing." in content
    assert "Fill in “city” and save the order." in content
    assert reverse("admin:shop_order_change", args=[refused.pk]) in content


def test_the_status_sentence_comes_from_the_adapter_or_is_left_out(
    clerk_client, monkeypatch
):
    order = DueOrderFactory()
    content = select(clerk_client, [order]).content.decode()
    assert "the order gets the status “Debt collection in progress”" in content

    monkeypatch.setattr(type(get_adapter()), "collection_status_label", None)
    content = select(clerk_client, [order]).content.decode()
    assert (
        "status"
        not in content.split('id="inkasso-confirm-summary"')[1].split("</p>")[0]
    )
    assert "Debt collection in progress" not in content


def test_an_unticked_order_is_left_out_of_the_handover(clerk_client):
    orders = [DueOrderFactory() for _ in range(3)]
    page = select(clerk_client, orders)
    shown = page.context["shown_ids"]

    response = post(
        clerk_client,
        page,
        shown=shown,
        keep=[orders[0].pk, orders[2].pk],
        confirm="yes",
    )

    assert response.status_code == 302
    assert handed_over() == sorted([orders[0].number, orders[2].number])
    orders[1].refresh_from_db()
    assert not orders[1].inkasso_claims.exists()


def test_posted_orders_beyond_the_signed_selection_are_never_handed_over(
    clerk_client,
):
    selected = [DueOrderFactory() for _ in range(2)]
    stranger = DueOrderFactory()
    page = select(clerk_client, selected)

    # A form that names an order outside the selection, ticked or not.
    response = post(
        clerk_client,
        page,
        shown=f"{page.context['shown_ids']},{stranger.pk}",
        keep=[stranger.pk, *[o.pk for o in selected]],
        confirm="yes",
    )

    assert response.status_code == 302
    assert handed_over() == sorted(o.number for o in selected)


def test_leaving_every_order_out_hands_over_nothing(clerk_client):
    order = DueOrderFactory()
    page = select(clerk_client, [order])

    response = post(clerk_client, page, shown=page.context["shown_ids"], confirm="yes")

    assert response.status_code == 200
    assert not Handover.objects.exists()
    assert "You left out every order" in response.content.decode()


def test_long_selections_page_and_keep_what_was_left_out(clerk_client, monkeypatch):
    monkeypatch.setattr(confirm, "PER_PAGE", 2)
    orders = [DueOrderFactory() for _ in range(5)]
    page = select(clerk_client, orders)
    assert [claim.order_id for claim, _url in page.context["rows"]] == [
        o.pk for o in orders[:2]
    ]
    assert list(page.context["pages"]) == [1, 2, 3]

    # Untick the first order and turn to page 2.
    second = post(
        clerk_client, page, shown=page.context["shown_ids"], keep=[orders[1].pk], page=2
    )
    assert second.status_code == 200
    assert second.context["left_out_count"] == 1
    assert second.context["accepted_count"] == 4
    assert [claim.order_id for claim, _url in second.context["rows"]] == [
        o.pk for o in orders[3:5]
    ]

    post(
        clerk_client,
        second,
        shown=second.context["shown_ids"],
        keep=[o.pk for o in orders[3:5]],
        confirm="yes",
    )
    assert handed_over() == sorted(o.number for o in orders[1:])


def test_left_out_orders_can_be_taken_back_in(clerk_client):
    orders = [DueOrderFactory() for _ in range(2)]
    page = select(clerk_client, orders)
    fewer = post(clerk_client, page, shown=page.context["shown_ids"], keep=[])
    assert fewer.context["accepted_count"] == 0

    again = post(clerk_client, fewer, restore="1")

    assert again.context["left_out_count"] == 0
    assert again.context["accepted_count"] == 2


def test_many_refused_orders_fold_away(clerk_client, monkeypatch):
    monkeypatch.setattr(confirm, "REFUSED_OPEN", 1)
    refused = [DueOrderFactory(billing_city="") for _ in range(2)]
    content = select(clerk_client, refused).content.decode()
    assert '<details class="inkasso-refused-list" id="refused">' in content


def test_turning_a_page_needs_as_many_queries_for_60_orders_as_for_6(
    clerk_client, monkeypatch
):
    monkeypatch.setattr(confirm, "PER_PAGE", 2)

    def queries(count):
        Handover.objects.all().delete()
        orders = [DueOrderFactory() for _ in range(count)]
        page = select(clerk_client, orders)
        with CaptureQueriesContext(connection) as captured:
            response = post(
                clerk_client, page, shown=page.context["shown_ids"], keep=[], page=2
            )
        assert response.context["accepted_count"] == count - 2
        return len(captured)

    assert queries(6) == queries(60)
