"""Which letter an order gets next, or why none: the schedule and its refusals."""

import dataclasses
import datetime

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from inkasso import dunning, reminders
from inkasso.models import DunningStop
from shop.collection import ShopOrderAdapter
from tests.factories import DueOrderFactory, OrderFactory, PaymentFactory
from tests.test_dunning_ledger import record_letter

DUE = datetime.date(2026, 10, 15)


def due_order(**fields):
    fields.setdefault("due_date", DUE)
    return DueOrderFactory(letter=None, **fields)


def next_letter(order, *, today, channel="email"):
    [[item]] = reminders.next_letters([order.pk], today=today, channel=channel)
    return item


def codes(item) -> list[str]:
    return [problem.code for problem in item.problems]


@pytest.mark.django_db
def test_the_payment_reminder_goes_out_days_after_the_due_date():
    order = due_order()

    assert codes(next_letter(order, today=DUE)) == ["not_yet_due"]
    assert next_letter(order, today=DUE + datetime.timedelta(days=3)).reasons == [
        "The next letter (Payment reminder) is due on 22.10.2026."
    ]
    item = next_letter(order, today=DUE + datetime.timedelta(days=7))
    assert item.ok
    assert (item.level.number, item.level.name, item.level.is_mahnung) == (
        0,
        "Payment reminder",
        False,
    )
    assert item.deadline == datetime.date(2026, 11, 1)


@pytest.mark.django_db
def test_each_mahnung_waits_for_the_deadline_of_the_letter_before():
    order = due_order()
    record_letter(
        order,
        level=0,
        sent_on=datetime.date(2026, 10, 22),
        deadline=datetime.date(2026, 11, 1),
    )

    running = next_letter(order, today=datetime.date(2026, 11, 1))
    assert running.reasons == [
        "The payment deadline of the last dunning letter has not passed yet "
        "(it runs until 01.11.2026)."
    ]
    assert codes(next_letter(order, today=datetime.date(2026, 11, 3))) == [
        "next_letter_on"
    ]
    item = next_letter(order, today=datetime.date(2026, 11, 4))
    assert (item.level.name, item.level.is_mahnung) == ("1st dunning letter", True)
    assert item.deadline == datetime.date(2026, 11, 18)


@pytest.mark.django_db
def test_after_the_last_level_no_more_letters():
    order = due_order()
    for level in range(4):
        record_letter(order, level=level, sent_on=datetime.date(2026, 10, 20 + level))

    assert next_letter(order, today=datetime.date(2027, 1, 1)).reasons == [
        "The last dunning letter (Final dunning letter) has been sent."
    ]


@pytest.mark.django_db
def test_a_failed_letter_is_due_again_and_a_pending_one_waits():
    order = due_order()
    record_letter(order, level=0, sent_on=DUE, status="failed")
    today = DUE + datetime.timedelta(days=8)

    assert next_letter(order, today=today).level.number == 0

    record_letter(order, level=0, sent_on=today, status="pending")
    assert codes(next_letter(order, today=today)) == ["letter_pending"]


@pytest.mark.django_db
def test_refusals_name_why_an_order_gets_no_letter():
    today = DUE + datetime.timedelta(days=30)
    paid = due_order()
    PaymentFactory(order=paid, amount=paid.lines.get().total)
    stopped = due_order()
    dunning.stop_dunning(stopped, reason=DunningStop.Reason.PAYMENT_PLAN)
    no_email = due_order(customer__email="")
    dollars = due_order(currency="USD")

    assert next_letter(paid, today=today).reasons == ["The order is fully paid."]
    assert next_letter(stopped, today=today).reasons == [
        "A dunning stop (Mahnsperre) is set for the order: Payment plan agreed."
    ]
    assert next_letter(no_email, today=today).reasons == [
        "There is no e-mail address to send the letter to."
    ]
    assert next_letter(no_email, today=today, channel="post").ok
    assert codes(next_letter(dollars, today=today)) == ["currency"]
    assert next_letter(no_email, today=today).needs_attention
    assert not next_letter(paid, today=today).needs_attention


@pytest.mark.django_db
def test_an_order_with_mediafinanz_gets_no_letters_and_is_not_a_candidate():
    from inkasso import services

    order = DueOrderFactory()
    services.hand_over(order_ids=[order.pk], source="command")
    today = datetime.date.today() + datetime.timedelta(days=1)

    assert codes(next_letter(order, today=today))[0] == "open_claim"
    assert order.pk not in reminders.reminder_order_ids(today=today)


@pytest.mark.django_db
def test_stopped_orders_are_no_candidates():
    order = OrderFactory()
    dunning.stop_dunning(order, reason=DunningStop.Reason.DISPUTED)

    assert order.pk not in reminders.reminder_order_ids(today=DUE)


def check_ids():
    return sorted(e.id for e in run_checks() if e.id.startswith("inkasso.E03"))


@pytest.mark.parametrize(
    "levels",
    [
        [],
        [{"name": "Erinnerung", "mahnung": False, "days": 3, "deadline_days": 7}],
        [{"name": "", "mahnung": True, "days": 3, "deadline_days": 7}],
        [{"name": "Mahnung", "mahnung": True, "days": -1, "deadline_days": 7}],
        [{"name": "Mahnung", "mahnung": True, "days": 1, "deadline_days": 0}],
        [{"name": "M", "mahnung": True, "deadline_days": 7, "fee": "-2"}],
        "Mahnung",
    ],
)
def test_a_broken_schedule_is_a_system_check_error(levels):
    with override_settings(INKASSO_DUNNING_LEVELS=levels):
        assert check_ids() == ["inkasso.E030"]


def test_the_default_schedule_and_settings_pass_the_checks():
    assert check_ids() == []


@pytest.mark.parametrize(
    "creditor",
    [{}, {"name": "", "address": ["x"]}, {"name": "Shop", "address": []}, "Shop"],
)
def test_an_empty_creditor_is_a_system_check_error(creditor):
    with override_settings(INKASSO_CREDITOR=creditor):
        assert check_ids() == ["inkasso.E031"]


@pytest.mark.parametrize(
    ("name", "value", "check_id"),
    [
        ("INKASSO_DUNNING_CHANNEL", "fax", "inkasso.E032"),
        ("INKASSO_DUNNING_FLAT_FEE", "yes", "inkasso.E033"),
        ("INKASSO_DUNNING_LANGUAGE", "fr", "inkasso.E034"),
        ("INKASSO_HAND_OVER_AFTER_LAST_LETTER", 1, "inkasso.E035"),
        ("INKASSO_DUNNING_PENDING_TIMEOUT", 59, "inkasso.E036"),
        ("INKASSO_DUNNING_PENDING_TIMEOUT", "3600", "inkasso.E036"),
        ("INKASSO_DUNNING_PENDING_TIMEOUT", 3600.0, "inkasso.E036"),
        ("INKASSO_DUNNING_PENDING_TIMEOUT", True, "inkasso.E036"),
    ],
)
def test_other_dunning_settings_are_checked(name, value, check_id):
    with override_settings(**{name: value}):
        assert check_ids() == [check_id]


def test_the_pending_timeout_has_a_default_of_an_hour_and_may_be_set():
    assert check_ids() == []
    with override_settings(INKASSO_DUNNING_PENDING_TIMEOUT=60):
        assert check_ids() == []


# A host with dunning records of its own: its adapter reports the last Mahnung.


class ShopDunningAdapter(ShopOrderAdapter):
    #: Order key -> (sent on, deadline) of the shop's own last Mahnung.
    mahnungen = {}

    def claims(self, queryset, *, today):
        for claim in super().claims(queryset, today=today):
            if claim.order_id in self.mahnungen:
                sent_on, deadline = self.mahnungen[claim.order_id]
                data = dataclasses.replace(
                    claim.data, dunning_date=sent_on, dunning_deadline=deadline
                )
                claim = claim._replace(data=data)
            yield claim


@pytest.fixture
def shop_dunning(settings):
    settings.INKASSO_ADAPTER = "tests.test_reminders.ShopDunningAdapter"
    ShopDunningAdapter.mahnungen = {}
    return ShopDunningAdapter.mahnungen


@pytest.mark.django_db
def test_no_letter_follows_a_mahnung_the_shop_sent_itself(shop_dunning):
    order = due_order()
    shop_dunning[order.pk] = (datetime.date(2026, 10, 20), datetime.date(2026, 11, 3))

    item = next_letter(order, today=datetime.date(2026, 11, 20))

    assert codes(item) == ["shop_dunning"]
    assert item.reasons == ["The shop sent a Mahnung of its own on 20.10.2026."]
    assert item.level is None


@pytest.mark.django_db
def test_an_adapter_that_reports_the_ledgers_own_mahnung_gets_the_next_letter(
    shop_dunning,
):
    order = due_order()
    record_letter(
        order,
        level=1,
        sent_on=datetime.date(2026, 10, 22),
        deadline=datetime.date(2026, 11, 5),
    )
    shop_dunning[order.pk] = (datetime.date(2026, 10, 22), datetime.date(2026, 11, 5))

    item = next_letter(order, today=datetime.date(2026, 11, 20))

    assert item.ok, item.reasons
    assert item.level.number == 2


@pytest.mark.django_db
def test_a_payment_reminder_after_the_shops_mahnung_does_not_hide_it(shop_dunning):
    order = due_order()
    shop_dunning[order.pk] = (datetime.date(2026, 10, 20), datetime.date(2026, 11, 3))
    record_letter(order, level=0, sent_on=datetime.date(2026, 10, 25))

    item = next_letter(order, today=datetime.date(2026, 11, 20))

    assert codes(item) == ["shop_dunning"]
