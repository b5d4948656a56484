"""Reads of the handover ledger and of the orders due for collection.

:func:`checked_claims` is the one path from the host's orders to checked
claims: the handover, the confirmation page, the order list and page, and the
command's dry run all read it, and :class:`CheckReport` is their one tally.
"""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import contract, rules, schedule
from .adapters import ClaimData, get_adapter, get_order_model
from .conf import app_settings
from .models import Claim, Handover
from .resources import MediafinanzResource, claim_row, get_resource


def batched(iterable: Iterable, size: int) -> Iterator[tuple]:
    """Yield tuples of ``size`` items (``itertools.batched`` before Python 3.12)."""
    iterator = iter(iterable)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


@dataclasses.dataclass(slots=True)
class CheckedClaim:
    """One order after the checks: its file values, or why it is refused."""

    order_id: Any
    label: str
    problems: list[rules.Problem]
    values: list[str] = dataclasses.field(default_factory=list)
    amount: Decimal | None = None
    invoice_number: str = ""
    invoice_date: datetime.date | None = None
    debtor: str = ""
    ok: bool = dataclasses.field(init=False)

    def __post_init__(self):
        self.ok = not any(problem.is_error for problem in self.problems)

    @property
    def errors(self) -> list[str]:
        return [problem.message for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[str]:
        return [problem.message for problem in self.problems if not problem.is_error]

    @property
    def warning_problems(self) -> list[rules.Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def claimed_by(self) -> Any:
        """Return the handover of the order's open claim, if that is the only error."""
        errors = [problem for problem in self.problems if problem.is_error]
        if len(errors) == 1 and errors[0].code == "open_claim":
            return errors[0].params["handover"]
        return None

    def without_values(self) -> "CheckedClaim":
        """Return the claim without its file values, to keep in a long list."""
        return dataclasses.replace(self, values=[])


@dataclasses.dataclass
class CheckReport:
    """How many orders are accepted, refused and warned, and the first of each.

    ``already_claimed`` counts, by handover, the refused orders whose only
    error is an open claim from that handover. They are among the refused
    too: a clerk who picks such an order is told so. For a caller that only
    picked orders without a claim, they were handed over meanwhile.
    """

    keep: int = 1000
    accepted_count: int = 0
    refused_count: int = 0
    warned_count: int = 0
    total: Decimal = Decimal("0.00")
    accepted: list[CheckedClaim] = dataclasses.field(default_factory=list)
    refused: list[CheckedClaim] = dataclasses.field(default_factory=list)
    warned: list[CheckedClaim] = dataclasses.field(default_factory=list)
    already_claimed: Counter = dataclasses.field(default_factory=Counter)

    def add(self, claim: CheckedClaim) -> None:
        if not claim.ok:
            self.refused_count += 1
            if (handover := claim.claimed_by) is not None:
                self.already_claimed[handover] += 1
            if len(self.refused) < self.keep:
                self.refused.append(claim.without_values())
            return
        self.accepted_count += 1
        self.total += claim.amount
        if len(self.accepted) < self.keep:
            self.accepted.append(claim.without_values())
        if claim.warning_problems:
            self.warned_count += 1
            if len(self.warned) < self.keep:
                self.warned.append(claim.without_values())

    @property
    def count(self) -> int:
        return self.accepted_count + self.refused_count

    @property
    def accepted_more(self) -> int:
        return self.accepted_count - len(self.accepted)

    @property
    def refused_more(self) -> int:
        return self.refused_count - len(self.refused)


def active_claims() -> QuerySet:
    """Return the claims that are with mediafinanz (not withdrawn)."""
    return Claim.objects.exclude(state=Claim.State.WITHDRAWN)


def due_orders(*, today: datetime.date) -> QuerySet:
    """Return the orders due for handover.

    Due means: the shop's status flow marks them for collection (or, with
    ``INKASSO_HAND_OVER_AFTER_LAST_LETTER``, the deadline of their last
    dunning letter has passed while the shop still counts them as unpaid),
    they have never had a claim and no dunning stop holds them. An order
    whose claim was withdrawn is not due again by itself; only a clerk's
    explicit choice hands it over again.
    """
    adapter = get_adapter()
    orders = adapter.due_orders(today=today)
    if app_settings.HAND_OVER_AFTER_LAST_LETTER:
        dunned = adapter.dunning_orders(today=today).filter(
            pk__in=schedule.finished_orders(today=today)
        )
        orders = orders.model._default_manager.filter(
            Q(pk__in=orders.values("pk")) | Q(pk__in=dunned.values("pk"))
        )
    return orders.exclude(pk__in=Claim.objects.values("order_id")).exclude(
        pk__in=schedule.stopped_orders()
    )


def due_order_ids(*, today: datetime.date) -> list:
    """Return the keys of the orders due for handover, in key order."""
    return list(due_orders(today=today).order_by("pk").values_list("pk", flat=True))


def changed_claims() -> QuerySet:
    """Return the open claims whose order the shop changed since the handover.

    The shop no longer marks their order as in debt collection (it was paid
    or cancelled, say): the merchant must tell mediafinanz.
    """
    orders = get_adapter().collection_orders()
    if orders is None:
        return Claim.objects.none()
    return active_claims().exclude(order_id__in=orders.values("pk"))


def checked_claims(
    *,
    order_ids: Iterable,
    today: datetime.date,
    encoding: str | None = None,
    withdrawn_chosen: Collection = (),
) -> Iterator[list[CheckedClaim]]:
    """Check the orders chunk by chunk and yield their checked claims.

    The number of queries grows with the number of chunks, never with the
    number of orders. An invoice number that appears twice in the orders
    goes to the first of them; the others are refused.
    """
    adapter = get_adapter()
    policy = rules.Policy.from_settings(today=today, encoding=encoding)
    export_row = get_resource().file_exporter(encoding=policy.encoding)
    codes = app_settings.SALUTATION_CODES
    model = get_order_model()
    # Keys as the model has them: a UUID that came as text from a form, too.
    to_python = model._meta.pk.to_python
    seen_invoice_numbers = {}
    for chunk in batched(map(to_python, order_ids), app_settings.CHUNK_SIZE):
        orders = model._default_manager.filter(pk__in=chunk).order_by("pk")
        # The chunk's keys as a subquery: the ledger queries below reuse it
        # instead of each preparing a list of 2,000 keys again.
        keys = orders.values("pk")
        reported = _with_ledger_dunning(
            {claim.order_id: claim for claim in adapter.claims(orders, today=today)},
            keys,
        )
        exported = {
            pk: _export(claim.data, export_row, codes)
            for pk, claim in reported.items()
            if claim.data is not None
        }
        # A claim's key in the ledger is its invoice number as the file has it,
        # also when a host's resource changes the column.
        invoice_numbers = {
            pk: values[INVOICE_NUMBER_COLUMN] for pk, (values, _) in exported.items()
        }
        ledger = _ledger_facts(chunk, keys, invoice_numbers)
        checked = []
        for pk in chunk:
            reported_claim = reported.get(pk)
            facts = ledger.get(pk, NO_FACTS)
            if pk in withdrawn_chosen and facts.withdrawn_on is not None:
                facts = dataclasses.replace(facts, withdrawn_chosen=True)
            number = invoice_numbers.get(pk)
            if number in seen_invoice_numbers:
                # Taken by an order accepted earlier in this run (in a
                # handover, its claim is already in the ledger): say so once.
                facts = dataclasses.replace(
                    facts,
                    invoice_number_twice=seen_invoice_numbers[number],
                    invoice_number_taken_by=None,
                )
            claim = _check(pk, reported_claim, facts, exported.get(pk), policy, number)
            if claim.ok and number:
                seen_invoice_numbers[number] = claim.label
            checked.append(claim)
        yield checked


NO_FACTS = rules.LedgerFacts()
#: Where the file has the invoice number; the system checks keep the columns
#: of a host's resource in the contract's order.
INVOICE_NUMBER_COLUMN = MediafinanzResource().get_export_order().index("rechnungsnr")


def _with_ledger_dunning(reported: dict, keys: QuerySet) -> dict:
    """Fill the last Mahnung from the dunning ledger where the shop has none.

    A shop with its own dunning records keeps them; for the others, the
    letters django-inkasso sent say when the last real Mahnung went out. The
    shop's data is copied: a shop that keeps it would take the date for its own.
    """
    missing = {
        pk
        for pk, claim in reported.items()
        if claim.data is not None
        and claim.data.dunning_date is None
        and claim.data.dunning_deadline is None
    }
    if not missing:
        return reported
    for pk, (sent_on, deadline) in schedule.last_mahnungen(keys).items():
        if pk in missing:
            claim = reported[pk]
            reported[pk] = claim._replace(
                data=dataclasses.replace(
                    claim.data, dunning_date=sent_on, dunning_deadline=deadline
                )
            )
    return reported


def _ledger_facts(
    order_ids: list, keys: QuerySet, invoice_numbers: dict
) -> dict[Any, rules.LedgerFacts]:
    """Return what the ledger knows about these orders and invoice numbers.

    ``keys`` is a subquery of ``order_ids``.
    """
    open_claims = dict(
        active_claims().filter(order_id__in=keys).values_list("order_id", "handover_id")
    )
    withdrawn = {
        order_id: (withdrawn_at, reason)
        for order_id, withdrawn_at, reason in Claim.objects.filter(
            order_id__in=keys, state=Claim.State.WITHDRAWN
        )
        .order_by("withdrawn_at")
        .values_list("order_id", "withdrawn_at", "withdrawal_reason")
    }
    taken = {
        number: (order_id, handover_id)
        for number, order_id, handover_id in active_claims()
        .filter(invoice_number__in=set(invoice_numbers.values()))
        .values_list("invoice_number", "order_id", "handover_id")
    }
    stops = schedule.active_stops(keys)
    facts = {}
    for pk in order_ids:
        withdrawn_at, reason = withdrawn.get(pk, (None, ""))
        other_order, handover = taken.get(invoice_numbers.get(pk), (pk, None))
        stop = stops.get(pk)
        if (
            pk not in open_claims
            and withdrawn_at is None
            and other_order == pk
            and stop is None
        ):
            continue  # Nothing known: NO_FACTS.
        facts[pk] = rules.LedgerFacts(
            dunning_stop=str(stop.get_reason_display()) if stop else None,
            open_handover=open_claims.get(pk),
            withdrawn_on=timezone.localdate(withdrawn_at) if withdrawn_at else None,
            withdrawal_reason=reason,
            invoice_number_taken_by=handover if other_order != pk else None,
        )
    return facts


def _export(data: ClaimData, export_row, codes) -> tuple[list[str], dict]:
    """Return the claim's values for the file and the notes on what changed."""
    notes = {}
    return export_row(claim_row(data, codes=codes), notes=notes), notes


def _check(pk, reported, facts, exported, policy, invoice_number):
    if reported is None:
        return CheckedClaim(pk, str(pk), [rules.Problem("no_claim_data")])
    if reported.data is None:
        problems = rules.check_ledger(facts)
        if reported.refusal:
            problems.append(
                rules.Problem("refused_by_shop", {"reason": reported.refusal})
            )
        else:
            problems.append(rules.Problem("no_claim_data"))
        return CheckedClaim(pk, reported.label, problems)
    data: ClaimData = reported.data
    values, notes = exported
    problems = rules.check_claim(data, policy=policy, ledger=facts)
    if reported.refusal:
        problems.insert(
            0, rules.Problem("refused_by_shop", {"reason": reported.refusal})
        )
    return CheckedClaim(
        order_id=pk,
        label=reported.label,
        problems=problems + rules.note_problems(notes),
        values=values,
        amount=contract.to_cents(data.open_amount),
        invoice_number=invoice_number,
        invoice_date=data.invoice_date,
        debtor=rules.debtor_name(data),
    )


def check_orders(
    *,
    order_ids: Iterable,
    today: datetime.date,
    encoding: str | None = None,
    keep: int = 1000,
    progress: Callable[[int], object] | None = None,
    withdrawn_chosen: Collection = (),
) -> CheckReport:
    """Check the orders without recording anything; return the tally."""
    report = CheckReport(keep=keep)
    for chunk in checked_claims(
        order_ids=order_ids,
        today=today,
        encoding=encoding,
        withdrawn_chosen=withdrawn_chosen,
    ):
        for claim in chunk:
            report.add(claim)
        if progress is not None:
            progress(len(chunk))
    return report


def check_order(
    order_id, *, today: datetime.date, withdrawn_chosen: bool = False
) -> CheckedClaim:
    """Check one order, as the order page shows it."""
    [[claim]] = checked_claims(
        order_ids=[order_id],
        today=today,
        withdrawn_chosen={order_id} if withdrawn_chosen else (),
    )
    return claim


def withdrawn_order_ids(order_ids: Iterable) -> list:
    """Return those of the orders whose claim was withdrawn, in key order."""
    found = set()
    for chunk in batched(order_ids, app_settings.CHUNK_SIZE):
        found.update(
            Claim.objects.filter(
                order_id__in=chunk, state=Claim.State.WITHDRAWN
            ).values_list("order_id", flat=True)
        )
    return sorted(found)


def handover_file(handover: Handover) -> Iterator[bytes]:
    """Yield the recorded bytes of a handover file, part by part."""
    parts = handover.file_parts.order_by("index").values_list("data", flat=True)
    for data in parts.iterator(chunk_size=4):
        yield bytes(data)
