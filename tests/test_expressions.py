"""KeyList: the IN list of a chunk's keys, built in one pass."""

import pytest

from inkasso.expressions import MAX_PARAMETERS, KeyList
from shop.models import Order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

PK = Order._meta.pk


def test_a_key_list_matches_what_a_plain_in_matches():
    orders = OrderFactory.create_batch(3)
    keys = [orders[2].pk, orders[0].pk, orders[0].pk + 1000]

    matched = Order.objects.filter(pk__in=KeyList(keys, PK))

    assert set(matched) == set(Order.objects.filter(pk__in=keys))
    assert set(Order.objects.exclude(pk__in=KeyList(keys, PK))) == {orders[1]}


def test_an_empty_key_list_matches_nothing():
    OrderFactory()
    assert not Order.objects.filter(pk__in=KeyList([], PK)).exists()
    assert Order.objects.exclude(pk__in=KeyList([], PK)).count() == 1


def test_integer_keys_beyond_the_parameter_limit_are_written_into_the_sql():
    order = OrderFactory()
    keys = [*range(order.pk + 1, order.pk + MAX_PARAMETERS + 1), order.pk]

    matched = Order.objects.filter(pk__in=KeyList(keys, PK))

    assert matched.query.sql_with_params()[1] == ()
    assert list(matched) == [order]


def test_integer_keys_within_the_limit_are_parameters_so_the_statement_is_reused():
    keys = [1, 2, 3]
    query = Order.objects.filter(pk__in=KeyList(keys, PK)).query
    assert query.sql_with_params()[1] == (1, 2, 3)


def test_keys_that_are_not_integers_are_parameters():
    with pytest.raises(ValueError):
        # Prepared by the field: text that is not a key is refused, not inlined.
        list(Order.objects.filter(pk__in=KeyList(["1) OR (1=1"], PK)))
