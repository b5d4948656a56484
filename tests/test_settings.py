"""Installation settings change what differs between installations, never the layout."""

import csv
import io

import pytest
from django.test import override_settings

from inkasso.selectors import handover_file
from inkasso.services import hand_over
from shop.models import Salutation
from tests.factories import CustomerFactory, DueOrderFactory

pytestmark = pytest.mark.django_db


def file_of(result) -> bytes:
    return b"".join(handover_file(result.handover))


@override_settings(INKASSO_HEADER_ROW=False)
def test_the_header_row_can_be_switched_off():
    order = DueOrderFactory()
    result = hand_over(order_ids=[order.pk], source="command")
    rows = list(
        csv.reader(io.StringIO(file_of(result).decode("cp1252")), delimiter=";")
    )
    assert len(rows) == 1
    assert rows[0][12] == order.invoice_number
    assert result.handover.header_row is False


@override_settings(INKASSO_SALUTATION_CODES={"female": "w"})
def test_salutation_codes_are_a_setting():
    frau = DueOrderFactory(customer=CustomerFactory(salutation=Salutation.FRAU))
    herr = DueOrderFactory(customer=CustomerFactory(salutation=Salutation.HERR))
    result = hand_over(order_ids=[frau.pk, herr.pk], source="command")
    rows = list(
        csv.reader(io.StringIO(file_of(result).decode("cp1252")), delimiter=";")
    )
    assert [row[2] for row in rows[1:]] == ["w", "m"]


@override_settings(INKASSO_ENCODING="utf-8-sig")
def test_the_default_encoding_is_a_setting():
    result = hand_over(order_ids=[DueOrderFactory().pk], source="command")
    assert result.handover.encoding == "utf-8-sig"
    assert file_of(result).startswith(b"\xef\xbb\xbfVorname;Nachname;")
