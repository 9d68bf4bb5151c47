"""Benchmark: the subcontracting model's month-end invoice run (issue 17): invoices, PDFs and
Finvoice messages per second, peak memory, and the group's economics page at two sizes.

Builds one wellbeing county with its invoicing details (``Seller``), ``--groups`` work groups,
each with its own supervisor and ``--members`` members (clients with an identity, the
supervisor in their team, as ``conftest.make_client`` and ``add_to_team`` make them), customers
of the four kinds (private persons who want the household deduction; municipalities,
associations and companies with a valid Y-tunnus and an e-invoice address), ``--orders`` orders
done in the last full month spread over the groups (1–7 parts of work each, so that hour rows
per order vary from a few to a few dozen), ``--hours`` hour rows (at most 12 h per member and
day, one row per member, order and day) and a materials line on every third order. The data is
written with ``bulk_create`` straight into the models, not through the services: building is
not what is measured (and orders reach "done" without their lifecycle events).

Measured, in one run:

  (a) the invoice run: ``services.invoice_send`` as the group's supervisor for every order,
      issued on the month's last day; seconds, invoices per second and SQL queries per invoice
      (counted by an execute wrapper) in the timed pass; peak and retained memory (tracemalloc,
      which slows Python down) in a separate traced pass over the same orders, rolled back;
  (b) ``invoicing.invoice_pdf`` (WeasyPrint) for ``--pdfs`` of the invoices, spread over the
      run, loaded as the PDF view loads them: PDFs per second, queries and peak memory;
  (c) ``finvoice.finvoice_xml(invoicing.invoice_document(...))`` for the organisation
      customers' invoices among them: messages per second;
  (d) the group's economics page ``/alihankinta/ryhmat/<id>/talous/?vuosi=`` as its supervisor
      over HTTP (the whole middleware, second factor and gatekeeper; Django's test client)
      beside the trivial staff page of ``bench/paths.py``, taking turns: p50/p95, SQL queries
      and Python calls per request, at ``--small`` groups and orders (hour rows in proportion;
      built in a transaction that is rolled back) and at the full size: the group's own orders
      and hours, and the registry around them, both grow.

    .venv/bin/python bench/subcontracting.py [--groups 50] [--orders 2000] [--hours 40000]
        [--members 10] [--pdfs 100] [--requests 20] [--small 2 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import os
import platform
import random
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from measure import bench_database, traced, verified_client  # noqa: E402
from paths import measure, trivial_page  # noqa: E402
from stdnum.fi import ytunnus  # noqa: E402

from tyollisyystalo.clients.categories import DataCategory  # noqa: E402
from tyollisyystalo.demo.bulk import bulk_clients  # noqa: E402
from tyollisyystalo.organisations.models import (  # noqa: E402
    Municipality,
    Organisation,
    OrganisationType,
)
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402
from tyollisyystalo.subcontracting import finvoice, invoicing, services  # noqa: E402
from tyollisyystalo.subcontracting.models import (  # noqa: E402
    Customer,
    CustomerKind,
    GroupKind,
    HourEntry,
    Invoice,
    LineKind,
    Member,
    Order,
    OrderLine,
    OrderStatus,
    Seller,
    WorkGroup,
)

BATCH = 2000
CUSTOMERS_PER_GROUP = 4  # one of each kind
KINDS = [
    CustomerKind.PERSON,
    CustomerKind.MUNICIPALITY,
    CustomerKind.ASSOCIATION,
    CustomerKind.COMPANY,
]

# The project's URLs plus the trivial staff page of bench/paths.py, behind the same middleware.
urlpatterns = [
    path("bench/trivial-page/", trivial_page),
    path("", include("config.urls")),
]


def business_id(n: int) -> str:
    """The ``n``-th valid Y-tunnus from 2,000,000 up (bases with no valid check digit skipped)."""
    base = 2_000_000 + 3 * n
    while True:
        for digit in range(10):
            candidate = f"{base}-{digit}"
            if ytunnus.is_valid(candidate):
                return candidate
        base += 1


def last_full_month(today: dt.date) -> tuple[dt.date, dt.date]:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def spread(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), at least 1 each."""
    scale = sum(weights)
    shares = [total * w / scale for w in weights]
    counts = [max(1, math.floor(s)) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - math.floor(shares[i]))
    while sum(counts) < total:
        counts[order.pop()] += 1
    return counts


@dataclass
class Built:
    organisation: Organisation
    groups: list[WorkGroup]
    supervisors: list[StaffMember]
    orders: list[tuple[uuid.UUID, StaffMember]]  # (order, its group's supervisor)
    rows_per_order: dict[uuid.UUID, int]
    with_materials: set[uuid.UUID]
    month: tuple[dt.date, dt.date]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build(tag: str, groups: int, orders: int, hours: int, members: int) -> Built:
    """The county, its groups, members, customers, done orders and hour rows, bulk inserted."""
    started = time.perf_counter()
    first, last = last_full_month(timezone.localdate())
    days = weekdays(first, last)
    county = Organisation.objects.create(
        code=f"bench-county-{tag}",
        name_fi="Bench-hyvinvointialue",
        type=OrganisationType.WELLBEING_COUNTY,
        business_id=business_id(0),
    )
    seller_ovt = "0037" + ytunnus.compact(county.business_id)
    Seller.objects.create(
        organisation=county,
        iban="FI4950009420028730",
        bic="OKOYFIHH",
        e_invoice_address=seller_ovt,
        e_invoice_operator="003723078069",
        street="Valtakatu 1",
        postcode="55100",
        city="Imatra",
    )
    municipality, _new = Municipality.objects.get_or_create(
        code="153", defaults={"name_fi": "Imatra"}
    )
    users = get_user_model().objects
    supervisors = [
        StaffMember.objects.create(
            user=users.create_user(f"bench-{tag}-supervisor{g}"),
            organisation=county,
            role=Role.WORK_GROUP_SUPERVISOR,
        )
        for g in range(groups)
    ]
    work_groups = WorkGroup.objects.bulk_create(
        WorkGroup(
            organisation=county,
            name=f"Ryhmä {g:03d}",
            kind=GroupKind.values[g % len(GroupKind.values)],
            supervisor=supervisors[g],
            cost_centre=f"47{g:03d}",
            municipality=municipality,
            active_from=first - dt.timedelta(days=400),
            supervisor_monthly_cents=420_000,
        )
        for g in range(groups)
    )
    start = first - dt.timedelta(days=200)
    group_members: list[list[Member]] = []
    for g, group in enumerate(work_groups):
        clients = bulk_clients(
            members,
            organisation=county,
            staff=supervisors[g],
            start=g * members,
            with_hetu=True,
        )
        group_members.append(
            Member.objects.bulk_create(
                Member(
                    client=client,
                    owner_organisation=county,
                    category=DataCategory.EDUCATION_WORK,
                    group=group,
                    decision_on=start - dt.timedelta(days=10),
                    decision_maker="Vammaispalvelujen johtava sosiaalityöntekijä",
                    contract_start=start,
                    hours_per_week=Decimal(25),
                    collective_agreement="Sote-sopimus",
                    pay_grade="02SOS020",
                    hourly_wage_cents=1450 + 10 * (n % 5),
                    subsidy_from=start,
                    subsidy_percent=70,
                    subsidy_monthly_cents=140_000,
                    arrangement_support_monthly_cents=20_000 if n % 3 == 0 else 0,
                    added_by=supervisors[g],
                )
                for n, client in enumerate(clients)
            )
        )
    customers = Customer.objects.bulk_create(
        Customer(
            organisation=county,
            kind=kind,
            name=f"Tilaaja {c:04d}",
            street=f"Koivukuja {c % 90 + 1}",
            postcode="55120",
            city="Imatra",
            language="fi" if c % 10 else "sv",
            household_deduction=kind == CustomerKind.PERSON,
            **(
                {}
                if kind == CustomerKind.PERSON
                else {
                    "business_id": business_id(c + 1),
                    "e_invoice_address": "0037" + ytunnus.compact(business_id(c + 1)),
                    "e_invoice_operator": "003721291126",
                }
            ),
        )
        for c in range(groups * CUSTOMERS_PER_GROUP)
        for kind in [KINDS[c % len(KINDS)]]
    )
    weights = [n % 7 + 1 for n in range(orders)]  # one to seven parts of work
    rows = spread(hours, weights)
    order_objects = [
        Order(
            group=work_groups[n % groups],
            customer=customers[n % len(customers)],
            title=f"Työ {n}",
            site=f"Koivukuja {n % 90 + 1}, Imatra",
            customer_reference=f"PO-{n:05d}" if n % 2 else "",
            estimate_hours=Decimal(rows[n] * 3),
            scheduled_from=first,
            scheduled_to=last,
            risk_assessed_on=first - dt.timedelta(days=7),
            risk_assessed_by="Työvalmentaja",
            status=OrderStatus.DONE,
            created_by=supervisors[n % groups],
        )
        for n in range(orders)
    ]
    Order.objects.bulk_create(order_objects, batch_size=BATCH)
    OrderLine.objects.bulk_create(
        (
            OrderLine(
                order=order,
                kind=LineKind.MATERIALS,
                description="Jätesäkit ja suojamuovit",
                quantity=Decimal(n % 4 + 1),
                unit="C62",
                unit_price_cents=1290,
            )
            for n, order in enumerate(order_objects)
            if n % 3 == 0
        ),
        batch_size=BATCH,
    )
    # Hours: each group goes through its orders taking (day, member) places day by day, every
    # member on an order on the same days; a pass over the month adds a row to every member-day.
    entries: list[HourEntry] = []
    for g in range(groups):
        mine = [n for n in range(orders) if n % groups == g]
        places = [(day, member) for day in days for member in group_members[g]]
        needed = sum(rows[n] for n in mine)
        passes = max(1, math.ceil(needed / len(places)))
        assert max((rows[n] for n in mine), default=0) <= len(places), "too many rows an order"
        per_row = (Decimal(12) / passes).quantize(Decimal("0.25"), rounding=ROUND_DOWN)
        per_row = min(per_row, Decimal(4))
        assert per_row > 0, "too many hour rows for the members: raise --members"
        cursor = 0
        for n in mine:
            for _row in range(rows[n]):
                day, member = places[cursor % len(places)]
                cursor += 1
                entries.append(
                    HourEntry(
                        client_id=member.client_id,
                        owner_organisation_id=member.owner_organisation_id,
                        category=member.category,
                        member=member,
                        order=order_objects[n],
                        day=day,
                        hours=per_row,
                        entered_by=supervisors[g],
                    )
                )
    HourEntry.objects.bulk_create(entries, batch_size=BATCH)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Autovacuum would analyse the new rows soon; a benchmark cannot wait for it.
        with connection.cursor() as cursor_:
            cursor_.execute("ANALYZE")
    built = Built(
        organisation=county,
        groups=work_groups,
        supervisors=supervisors,
        orders=[(o.pk, supervisors[n % groups]) for n, o in enumerate(order_objects)],
        rows_per_order={o.pk: rows[n] for n, o in enumerate(order_objects)},
        with_materials={o.pk for n, o in enumerate(order_objects) if n % 3 == 0},
        month=(first, last),
    )
    built.counts = {
        "groups": len(work_groups),
        "members": sum(len(m) for m in group_members),
        "customers": len(customers),
        "orders": len(order_objects),
        "hour rows": len(entries),
        "materials lines": (orders + 2) // 3,
    }
    built.seconds = time.perf_counter() - started
    return built


class QueryCounter:
    """An execute wrapper that only counts: a Python call per query, nothing kept."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        self.count += 1
        return execute(sql, *args)


def invoice_run(built: Built, counter: QueryCounter | None = None) -> list[int]:
    """Invoice every order as its group's supervisor; the queries of each when counted."""
    issued_on = built.month[1]
    queries = []
    for order_id, supervisor in built.orders:
        before = counter.count if counter else 0
        services.invoice_send(actor=supervisor, order_id=order_id, issued_on=issued_on)
        if counter:
            queries.append(counter.count - before)
    return queries


def traced_run(built: Built) -> tuple[float, float]:
    """The run under tracemalloc, rolled back: (peak KiB, KiB still held at its end after a
    garbage collection)."""
    with transaction.atomic():
        tracemalloc.start()
        invoice_run(built)
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()  # what is still held, not what the collector has yet to free
        current = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        transaction.set_rollback(True)
    return peak / 1024, current / 1024


def num(invoice: Invoice) -> int:
    return invoice.number


def timed(calls: list[Callable[[], object]]) -> float:
    started = time.perf_counter()
    for call in calls:
        call()
    return time.perf_counter() - started


def economics_page(built: Built, requests: int) -> dict[str, dict[str, float]]:
    group = built.groups[0]
    http = verified_client(group.supervisor.user)
    url = f"/alihankinta/ryhmat/{group.pk}/talous/?vuosi={built.month[1].year}"
    cases: dict[str, Callable[[], object]] = {
        "trivial staff page": lambda: http.get("/bench/trivial-page/"),
        "group economics": lambda: http.get(url),
    }
    return measure(cases, requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--orders", type=int, default=2_000)
    parser.add_argument("--hours", type=int, default=40_000)
    parser.add_argument("--members", type=int, default=10, help="members per group")
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--small",
        type=int,
        nargs=2,
        default=[2, 40],
        metavar=("GROUPS", "ORDERS"),
        help="the economics page's small size (hour rows in proportion to the orders)",
    )
    args = parser.parse_args()
    with bench_database(urlconf=__name__):
        run(args)


def run(args: argparse.Namespace) -> None:
    small_groups, small_orders = args.small
    small_hours = max(small_orders, args.hours * small_orders // args.orders)
    pages: dict[str, dict[str, dict[str, float]]] = {}
    with transaction.atomic():  # the small size, rolled back before the full one is built
        small = build("small", small_groups, small_orders, small_hours, args.members)
        invoice_run(small)
        pages["small"] = economics_page(small, args.requests)
        transaction.set_rollback(True)

    full = build("full", args.groups, args.orders, args.hours, args.members)
    peak, retained = traced_run(full)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        queries = invoice_run(full, counter)
        run_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # The run wrote the invoices and their lines after build()'s ANALYZE: without fresh
        # statistics the planner takes the invoice tables for empty (see docs/BENCHMARKS.md).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    invoices = list(
        Invoice.objects.filter(issuer=full.organisation)
        .select_related("order__group", "customer", "credit_for", "issuer")
        .order_by("number")
    )
    # A fixed random sample: every k-th invoice could fall on one kind of customer.
    sample = sorted(random.Random(17).sample(invoices, min(args.pdfs, len(invoices))), key=num)
    invoicing.invoice_pdf(sample[0])  # warm-up: WeasyPrint loads Pango and the fonts
    pdf_seconds = timed([partial(invoicing.invoice_pdf, inv) for inv in sample])
    pdf_traces = [traced(partial(invoicing.invoice_pdf, inv)) for inv in sample[:3]]
    organisations = [inv for inv in sample if inv.customer.is_organisation]

    def message(inv: Invoice) -> bytes:
        return finvoice.finvoice_xml(invoicing.invoice_document(inv))

    message(organisations[0])
    xml_seconds = timed([partial(message, inv) for inv in organisations])
    xml_traces = [traced(partial(message, inv)) for inv in organisations[:5]]
    pages["full"] = economics_page(full, args.requests)

    c = full.counts
    first, last = full.month
    print(
        f"Subcontracting invoice run ({connection.vendor}): the hours of {first:%m/%Y},"
        f" invoiced on {last:%d.%m.%Y}"
    )
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    print(
        f"built in {full.seconds:.0f} s (bulk inserts, not measured): {c['groups']} groups,"
        f" {c['members']} members, {c['customers']} customers, {c['orders']:,} orders,"
        f" {c['hour rows']:,} hour rows, {c['materials lines']} materials lines"
    )
    rows = sorted(full.rows_per_order.values())
    print(f"hour rows per order: {rows[0]}–{rows[-1]} (median {rows[len(rows) // 2]})")
    print(f"{'step':<30} {'count':>6} {'seconds':>8} {'per s':>7} {'queries':>9} {'peak KiB':>9}")
    print(
        f"{'invoice run':<30} {len(queries):>6,} {run_seconds:>8.1f}"
        f" {len(queries) / run_seconds:>7.1f} {min(queries):>4}–{max(queries):<4} {peak:>9,.0f}"
    )
    print(
        f"{'PDFs (sample)':<30} {len(sample):>6} {pdf_seconds:>8.1f}"
        f" {len(sample) / pdf_seconds:>7.1f} {max(q for q, _ in pdf_traces):>9}"
        f" {max(p for _, p in pdf_traces):>9,.0f}"
    )
    print(
        f"{'Finvoice XML (organisations)':<30} {len(organisations):>6} {xml_seconds:>8.2f}"
        f" {len(organisations) / xml_seconds:>7.0f} {max(q for q, _ in xml_traces):>9}"
        f" {max(p for _, p in xml_traces):>9,.0f}"
    )
    print(
        f"invoice run: {run_seconds * 1000 / len(queries):.1f} ms an invoice;"
        f" memory held at its end {retained:,.0f} KiB (traced pass, rolled back)"
    )
    # Orders differ in hour rows (and a third have a materials line): a query per row would show.
    counts: dict[tuple[bool, int], set[int]] = {}
    for (order_id, _s), count in zip(full.orders, queries, strict=True):
        key = (order_id in full.with_materials, full.rows_per_order[order_id])
        counts.setdefault(key, set()).add(count)
    for materials in (False, True):
        found = {k[1]: v for k, v in counts.items() if k[0] == materials}
        fewest, most = min(found), max(found)
        print(
            f"queries per invoice {'with' if materials else 'without'} a materials line:"
            f" {'/'.join(map(str, sorted(found[fewest])))} at {fewest} hour rows,"
            f" {'/'.join(map(str, sorted(found[most])))} at {most}"
        )
    same = (
        all(len(v) == 1 for v in counts.values())
        and len({next(iter(v)) for k, v in counts.items() if not k[0]}) == 1
    )
    print(f"queries per invoice constant in the order's hour rows: {'yes' if same else 'NO'}")

    sizes = {
        "small": f"{small_groups} groups, {small_orders:,} orders, {small_hours:,} hour rows",
        "full": f"{args.groups} groups, {args.orders:,} orders, {args.hours:,} hour rows",
    }
    columns = " | p50 ms  p95 ms  ×staff95  queries  py calls  peak KiB"
    print(f"{'page':<20}" + "".join(f" | {label:^50}" for label in sizes.values()))
    print(f"{'':<20}" + columns * len(sizes))
    for name in pages["small"]:
        row = f"{name:<20}"
        for size in sizes:
            r = pages[size][name]
            ratio = r["p95"] / pages[size]["trivial staff page"]["p95"]
            row += (
                f" | {r['p50']:6.1f}  {r['p95']:6.1f}  {ratio:8.1f}  {r['queries']:7.0f}"
                f"  {r['calls']:8.0f}  {r['peak_kib']:8.0f}"
            )
        print(row)
    same = (
        pages["small"]["group economics"]["queries"] == pages["full"]["group economics"]["queries"]
    )
    print(f"economics page queries constant in size: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
