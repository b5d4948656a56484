"""The demo order list's columns: money and days in the clerk's one format."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import OrderFactory, OrderLineFactory, days_ago

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "money", "day", "overdue", "columns"),
    [
        (
            GERMAN,
            "1.234,50\u00a0€",
            days_ago(30).strftime("%d.%m.%Y"),
            "30 Tage",
            ["Nr.", "Offen", "Summe", "Fällig", "Überfällig", "Letzte Mahnung"],
        ),
        (
            {"HTTP_ACCEPT_LANGUAGE": "en"},
            "€1,234.50",
            days_ago(30).strftime("%m/%d/%Y"),
            "30 days",
            ["no.", "open", "total", "due", "overdue", "last dunning letter"],
        ),
    ],
)
def test_money_dates_and_headers_in_the_clerks_language(
    admin_client, headers, money, day, overdue, columns
):
    order = OrderFactory(due_date=days_ago(30))
    OrderLineFactory(order=order, quantity=1, unit_price=Decimal("1234.50"))

    response = admin_client.get(reverse("admin:shop_order_changelist"), **headers)

    page = response.content.decode()
    assert f'<td class="field-open_amount_display">{money}</td>' in page
    assert f'<td class="field-total_amount">{money}</td>' in page
    assert f'<td class="field-due_date_display">{day}</td>' in page
    assert f'<td class="field-overdue_days">{overdue}</td>' in page
    headers_text = [
        str(header["text"]) for header in response.context["result_headers"]
    ]
    assert [headers_text[1], *headers_text[5:10]] == columns
