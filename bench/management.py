"""Benchmark: knowledge-based management at 100,000 clients (issue 15 "Measured").

Builds the region with the demo history's bulk builder (``tyollisyystalo.demo.history``): three
organisations (two employment services, one of them also running job coaching, and a wellbeing
county) over three municipalities, eighteen months of paths, referrals, work trials, scores and
coaching, path events topped up with coordinator handovers to ten per client (1,000,000 at
100,000 clients) and anonymous survey answers to half a client each (50,000). Then, with a
manager of the first organisation, times through the whole HTTP stack with Django's test client,
all cases taking turns: the trivial staff page (login, second factor, page frame; ADR 0016), the
indicators page, every indicator's API call and the situation picture.

Beside them, in the same run, the analyst's reference (``management_reference.py``): the same
tables exported to CSV, loaded into DuckDB, and each indicator's figure computed by SQL written
from the definition text; p50/p95 of each reference query, and whether every figure (value,
numerator, denominator, n; the organisation and each of its municipalities) is identical to the
API's. Run once per database (``DATABASE_URL`` for PostgreSQL).

    .venv/bin/python bench/management.py [--sizes 1000 100000] [--requests 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from management_reference import (  # noqa: E402
    QUERIES,
    Reference,
    export_tables,
    situation_counts,
)
from measure import bench_database, summary, traced, verified_client  # noqa: E402
from paths import trivial, trivial_page  # noqa: E402

from tyollisyystalo.cases.models import Case, CaseEvent, EventKind  # noqa: E402
from tyollisyystalo.clients.models import Client  # noqa: E402
from tyollisyystalo.demo.history import (  # noqa: E402
    Coaching,
    Keeper,
    history_build,
    survey_answers_build,
)
from tyollisyystalo.indicators.periods import parse_period  # noqa: E402
from tyollisyystalo.management.models import ReportSnapshot  # noqa: E402
from tyollisyystalo.management.refresh import report_snapshots_refresh  # noqa: E402
from tyollisyystalo.organisations.models import (  # noqa: E402
    Municipality,
    Organisation,
    OrganisationType,
)
from tyollisyystalo.situation.selectors import situation_figures  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402
from tyollisyystalo.surveys.models import Answer  # noqa: E402

EVENTS_PER_CLIENT = 10
ANSWERS_PER_CLIENT = 0.5
COORDINATORS = 20  # per organisation
COACHES = 5
# Share of the clients each organisation keeps.
SHARES = {"bench-a": 45, "bench-b": 20, "bench-hva": 35}

urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/trivial-page/", trivial_page),
    path("", include("config.urls")),
]


def _staff(username: str, organisation: Organisation, role: Role) -> StaffMember:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username, password="bench-password-123")
    staff, _created = StaffMember.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return staff


def region() -> tuple[dict[str, Keeper], Coaching, StaffMember]:
    """Three municipalities, two employment services (A serves two of them and runs job
    coaching) and a wellbeing county serving all three; the manager is A's."""
    places = [
        Municipality.objects.get_or_create(code=f"B0{n}", defaults={"name_fi": f"Kunta {n}"})[0]
        for n in (1, 2, 3)
    ]
    kinds = {
        "bench-a": (OrganisationType.EMPLOYMENT_AUTHORITY, places[:2]),
        "bench-b": (OrganisationType.EMPLOYMENT_AUTHORITY, places[2:]),
        "bench-hva": (OrganisationType.WELLBEING_COUNTY, places),
    }
    keepers = {}
    for code, (kind, served) in kinds.items():
        organisation, _created = Organisation.objects.get_or_create(
            code=code, defaults={"name_fi": code, "type": kind}
        )
        organisation.municipalities.set(served)
        coordinators = [
            _staff(f"{code}-{n}", organisation, Role.COORDINATOR) for n in range(COORDINATORS)
        ]
        weights = (
            (15, 60, 15, 10) if kind == OrganisationType.WELLBEING_COUNTY else (50, 20, 15, 15)
        )
        keepers[code] = Keeper(organisation, coordinators, served, weights)
    a = keepers["bench-a"].organisation
    coaches = [_staff(f"coach-{n}", a, Role.JOB_COACH) for n in range(COACHES)]
    manager = _staff("bench", a, Role.MANAGER)
    return keepers, Coaching(coaches=coaches), manager


def events_top_up(target: int) -> int:
    """Coordinator handovers until the paths have ``target`` events in all; each dated on a day
    of its path's life (at most today). Returns the events added."""
    missing = target - CaseEvent.objects.count()
    if missing <= 0:
        return 0
    today = timezone.localdate()
    paths = list(Case.objects.values_list("id", "referred_on", "closed_on", "coordinator_id"))
    rng = random.Random(f"handovers:{target}")
    batch: list[CaseEvent] = []
    added = 0
    for index, (case_id, referred_on, closed_on, coordinator_id) in enumerate(paths):
        share = missing // len(paths) + (1 if index < missing % len(paths) else 0)
        last = closed_on or today
        for _n in range(share):
            day = referred_on + dt.timedelta(days=rng.randrange(0, (last - referred_on).days + 1))
            batch.append(
                CaseEvent(
                    case_id=case_id,
                    kind=EventKind.COORDINATOR,
                    at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
                    effective_on=day,
                    actor_id=coordinator_id,
                )
            )
        if len(batch) >= 20_000:
            CaseEvent.objects.bulk_create(batch, batch_size=2000)
            added += len(batch)
            batch = []
    CaseEvent.objects.bulk_create(batch, batch_size=2000)
    return added + len(batch)


def build(keepers: dict[str, Keeper], coaching: Coaching, built: int, size: int) -> Counter[str]:
    """Clients up to ``size`` (the organisations' shares of the new ones), then events and
    survey answers topped up to their targets."""
    done: Counter[str] = Counter()
    step = size - built
    if step > 0:
        counts = {code: step * share // 100 for code, share in SHARES.items()}
        counts["bench-a"] += step - sum(counts.values())
        done = history_build(
            [(keepers[code], counts[code]) for code in SHARES],
            coaching=coaching,
            start=built,
            receivers=[k.organisation for k in keepers.values()],
            progress=lambda n: print(f"  built {built + n:,} clients", file=sys.stderr, flush=True),
        )
    done["handovers"] = events_top_up(size * EVENTS_PER_CLIENT)
    with transaction.atomic():
        done["survey_answers"] = survey_answers_build(
            [k.organisation for k in keepers.values()],
            count=int(size * ANSWERS_PER_CLIENT) - Answer.objects.count(),
            seed=size,
        )
    return done


def last_quarter(today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The last quarter that has ended: its code, first and last day."""
    quarter = (today.month - 1) // 3
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return f"{year}-Q{quarter}", first, following - dt.timedelta(days=1)


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def api_figure(http: Any, key: str, query: dict[str, str]) -> dict[str, Any] | None:
    url = _url("v1:indicator-values", key=key)
    if url is None:
        return None
    response = http.get(url, query)
    assert response.status_code == 200, (key, response.status_code)
    rows = response.json()  # one entry per period, oldest first
    return rows[-1] if rows else None


def compare(ours: dict[str, Any] | None, reference: Any, decimals: int) -> tuple[bool | None, str]:
    """Identical in value (at the shown decimals), numerator, denominator and n?"""
    if ours is None:
        return None, "no API"
    if ours.get("suppressed"):
        return None, "suppressed"
    mine = reference.rounded(decimals)
    value = ours.get("value")  # a float of the value at its shown decimals
    theirs = None if value is None else Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals))
    same = theirs == mine
    for name in ("numerator", "denominator"):
        if getattr(reference, name) is not None and ours.get(name) is not None:
            same = same and int(ours[name]) == getattr(reference, name)
    if reference.n is not None and ours.get("n") is not None:
        same = same and int(ours["n"]) == reference.n
    shown = f"ours {value}/{ours.get('numerator')}/{ours.get('denominator')}/n={ours.get('n')}"
    return (
        same,
        f"{shown}; ref {mine}/{reference.numerator}/{reference.denominator}/n={reference.n}",
    )


AFRESH = "counted afresh: "


def afresh(call: Callable[[], Any]) -> Callable[[], Any]:
    def counted() -> Any:
        with override_settings(REPORTING_MAX_AGE=0):
            return call()

    return counted


def http_cases(http: Any, code: str, query: dict[str, str]) -> dict[str, Callable[[], object]]:
    """The timed requests: the references, the pages and every indicator's API call."""
    cases: dict[str, Callable[[], object]] = {
        "trivial view": lambda: http.get("/bench/trivial/"),
        "trivial staff page": lambda: http.get("/bench/trivial-page/"),
    }
    page = _url("indicators:indicators")
    if page:
        cases["indicators page"] = lambda: http.get(page, {"jakso": code})
    situation = _url("situation:picture")
    if situation:
        cases["situation picture"] = lambda: http.get(situation, {"jakso": code})
    # The region's views of the same manager (each also reads the manager's own figures, to
    # hide what differs from them by a few people).
    if page:
        cases["indicators page, region"] = lambda: http.get(page, {"jakso": code, "alue": "1"})
    if situation:
        cases["situation picture, region"] = lambda: http.get(
            situation, {"jakso": code, "view": "region"}
        )
    # The same pages with the reporting store turned off: what counting costs, paid by the
    # scheduled job (ADR 0026) and by a view nobody has opened since the figures grew old.
    # ``run`` measures them after the others.
    if page:
        cases[AFRESH + "indicators page"] = afresh(lambda: http.get(page, {"jakso": code}))
    if situation:
        cases[AFRESH + "situation picture"] = afresh(lambda: http.get(situation, {"jakso": code}))

    def api(url: str) -> Callable[[], object]:
        return lambda: http.get(url, query)

    for key in QUERIES:
        url = _url("v1:indicator-values", key=key)
        if url:
            cases[f"api: {key}"] = api(url)
    return cases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Build into the configured database (migrated first) and keep it: a later run "
        "continues from the clients already there (adding survey answers once the surveys app "
        "exists) instead of building again.",
    )
    args = parser.parse_args()
    if args.keep:
        with kept_database():
            run(args.sizes, args.requests)
        return
    with bench_database(urlconf=__name__):
        run(args.sizes, args.requests)


@contextmanager
def kept_database() -> Iterator[None]:
    """The configured database, migrated, with the benchmark's request handling."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
    with override_settings(ROOT_URLCONF=__name__):
        yield


@dataclass(frozen=True)
class Scope:
    """Whose figures are compared, for which period (a quarter that has ended)."""

    organisation: int
    organisation_code: str
    municipalities: list[str]
    code: str
    first: dt.date
    last: dt.date
    today: dt.date


DECIMALS = {"client_satisfaction": 1, "cooperation": 1, "work_ability_change": 1}


def against_reference(
    http: Any, reference: Reference, scope: Scope, requests: int
) -> tuple[dict[str, tuple[float, float]], list[tuple[str, str, bool | None, str]]]:
    """Time each reference query (p50/p95 ms) and compare its figures, for the organisation and
    each of its municipalities, with the API's."""
    query = {
        "organisation": scope.organisation_code,
        "period": "quarter",
        "from": scope.first.isoformat(),
        "to": scope.last.isoformat(),
    }
    times: dict[str, tuple[float, float]] = {}
    checks: list[tuple[str, str, bool | None, str]] = []
    for key in QUERIES:

        def figure(place: str | None, key: str = key) -> Any:
            return reference.figure(
                key,
                organisation=scope.organisation,
                municipality=place,
                first=scope.first,
                last=scope.last,
                today=scope.today,
            )

        samples = []
        for _n in range(requests):
            t0 = time.perf_counter()
            figure(None)
            samples.append((time.perf_counter() - t0) * 1000)
        times[key] = percentiles(samples)
        for place in [None, *scope.municipalities]:
            asked = dict(query, **({"municipality": place} if place else {}))
            same, text = compare(api_figure(http, key, asked), figure(place), DECIMALS.get(key, 0))
            checks.append((key, place or "organisation", same, text))
    return times, checks


def situation_check(
    reference: Reference, scope: Scope, requests: int
) -> tuple[tuple[float, float], list[tuple[str, str, bool | None, str]]]:
    """The situation picture's raw counts (new paths by entry route, closed paths by outcome,
    the state at the period's end; per municipality and the rest) beside the reference's."""
    period = parse_period(scope.code)
    figures = situation_figures(
        organisation_ids=[scope.organisation],
        municipality_codes=scope.municipalities,
        period=period,
        using="default",
        today=scope.today,
    ).current.counts

    def ours() -> dict[str, dict[str, dict[str, int]]]:
        return situation_counts(
            reference,
            organisation=scope.organisation,
            columns=scope.municipalities,
            first=scope.first,
            last=scope.last,
            today=scope.today,
        )

    samples = []
    for _n in range(requests):
        t0 = time.perf_counter()
        counted = ours()
        samples.append((time.perf_counter() - t0) * 1000)
    checks: list[tuple[str, str, bool | None, str]] = []
    for table, rows in counted.items():
        theirs = {
            row: {column: n for column, n in cells.items() if n}
            for row, cells in figures[table].items()
            if any(cells.values())
        }
        same = theirs == rows
        total = sum(sum(cells.values()) for cells in rows.values())
        detail = f"{total} counted" if same else f"ours {theirs}; ref {rows}"
        checks.append((f"situation: {table}", "by municipality", same, detail))
    return percentiles(samples), checks


def time_refresh() -> float:
    """Seconds the scheduled job takes when every figure set the run has read is due."""
    ReportSnapshot.objects.update(computed_at=timezone.now() - dt.timedelta(days=1))
    started = time.perf_counter()
    report_snapshots_refresh()
    return time.perf_counter() - started


def measure_cases(
    cases: dict[str, Callable[[], object]], requests: int
) -> dict[str, dict[str, float]]:
    """Like ``paths.measure`` (a warm-up, then the cases taking turns), lighter for pages of
    seconds: one traced run per case for queries and peak memory, no profiled run."""
    for call in cases.values():
        call()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _n in range(requests):
        for name, call in cases.items():
            started = time.perf_counter()
            response = call()
            times[name].append((time.perf_counter() - started) * 1000)
            assert getattr(response, "status_code", 200) == 200, (name, response)
    return {name: summary(times[name], [traced(call)]) for name, call in cases.items()}


def run(sizes: list[int], requests: int) -> None:
    keepers, coaching, manager = region()
    organisation = keepers["bench-a"].organisation
    municipalities = [m.code for m in keepers["bench-a"].municipalities]
    today = timezone.localdate()
    code, first, last = last_quarter(today)
    built = Client.objects.filter(registered_by__code__in=SHARES).count()
    report: list[str] = []
    for size in sizes:
        started = time.perf_counter()
        counts = build(keepers, coaching, built, size)
        built = max(built, size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        build_seconds = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            exported = export_tables(Path(folder))
            export_seconds = time.perf_counter() - started
            started = time.perf_counter()
            reference = Reference(Path(folder))
            load_seconds = time.perf_counter() - started
        query = {
            "organisation": organisation.code,
            "period": "quarter",
            "from": first.isoformat(),
            "to": last.isoformat(),
        }
        # Logged in after building: a long build outlives the session's idle timeout.
        http = verified_client(manager.user)
        cases = http_cases(http, code, query)
        # Served first, then counted afresh: each afresh view writes what it counted, a new
        # version of the figures, so taking turns would measure the store after a recount.
        served = {k: v for k, v in cases.items() if not k.startswith(AFRESH)}
        results = measure_cases(served, requests)
        results.update(measure_cases({k: cases[k] for k in cases if k not in served}, requests))
        ref_times, checks = against_reference(
            http,
            reference,
            Scope(organisation.pk, organisation.code, municipalities, code, first, last, today),
            requests,
        )
        picture_times, picture_checks = situation_check(
            reference,
            Scope(organisation.pk, organisation.code, municipalities, code, first, last, today),
            requests,
        )
        ref_times["situation picture (3 tables)"] = picture_times
        checks += picture_checks
        refresh_seconds = time_refresh()
        measured = Measured(
            size,
            counts,
            exported,
            build_seconds,
            export_seconds,
            load_seconds,
            results,
            ref_times,
            checks,
            refresh_seconds,
        )
        report += summary_lines(measured, requests, code)
    print("\n".join(report))


@dataclass
class Measured:
    """One size's run: what was built, how long building and exporting took, the timings of
    the HTTP cases and of the reference queries, and each figure's comparison."""

    size: int
    counts: Counter[str]
    exported: dict[str, int]
    build_seconds: float
    export_seconds: float
    load_seconds: float
    results: dict[str, dict[str, float]]
    ref_times: dict[str, tuple[float, float]]
    checks: list[tuple[str, str, bool | None, str]]
    refresh_seconds: float


def summary_lines(m: Measured, requests: int, code: str) -> list[str]:
    size, counts, exported, results = m.size, m.counts, m.exported, m.results
    build_seconds, export_seconds, load_seconds = m.build_seconds, m.export_seconds, m.load_seconds
    ref_times, checks = m.ref_times, m.checks
    trivial_p95 = results["trivial staff page"]["p95"]
    lines = [
        f"Management benchmark ({connection.vendor}, {requests} requests per case, period {code})",
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores",
        f"size {size:,} clients: {exported['paths']:,} paths, {exported['path_events']:,} events, "
        f"{exported['survey_values']:,} survey values ({counts['survey_answers']:,} answers added), "
        f"{exported['referrals']:,} referrals; built in {build_seconds:.0f} s, "
        f"exported in {export_seconds:.1f} s, loaded into DuckDB in {load_seconds:.1f} s",
        f"{'case':<40} | p50 ms  p95 ms  ×staff95  queries  peak KiB",
    ]
    for name, r in results.items():
        lines.append(
            f"{name:<40} | {r['p50']:6.1f}  {r['p95']:6.1f}  {r['p95'] / trivial_p95:8.1f}"
            f"  {r['queries']:7.0f}  {r['peak_kib']:8.0f}"
        )
    for key, (p50, p95) in ref_times.items():
        lines.append(f"{'duckdb: ' + key:<40} | {p50:6.1f}  {p95:6.1f}")
    pages = [n for n in results if not n.startswith(("trivial", AFRESH))]
    worst = max((results[n]["p95"] / trivial_p95 for n in pages), default=0)
    lines.append(
        f"every page within 3x the trivial staff page (p95): {'yes' if worst <= 3 else 'NO'} (at most {worst:.1f}x; pages and API as served from the reporting store)"
    )
    lines.append(
        f"scheduled recount of every figure set in use (run_scheduled): {m.refresh_seconds:.1f} s"
    )
    for key, place, same, text in checks:
        verdict = "identical" if same else "n/a" if same is None else "DIFFERENT"
        lines.append(f"  {key:<34} {place:<13} {verdict:<10} {text}")
    known = [c for c in checks if c[2] is not None]
    lines.append(
        f"numbers identical to the reference: {sum(1 for c in known if c[2])}/{len(known)}"
        f" ({len(checks) - len(known)} not comparable)"
    )
    return lines


if __name__ == "__main__":
    main()
