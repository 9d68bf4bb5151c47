"""Benchmark: access-log appends per second with 1, 2, 4 and 8 writer processes (issue 13, 9).

Each writer is a separate process calling the append with one event per call, for a fixed time
(at most a fixed count), against a throwaway PostgreSQL database. Two cases: all writers act for
one organisation, or the writers are spread over eight organisations. Two implementations in
the same run, taking turns: today's chain per organisation (`access_log_append`) and, as the
reference, the single chain it replaced (a copy of the old append below, writing to its own
table and head row with `executemany`, exactly as before ADR 0019).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_dev .venv/bin/python bench/access_log.py
    [--seconds 5] [--writers 1 2 4 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import DateTimeField, UUIDField  # noqa: E402
from django.utils import timezone  # noqa: E402

from tyollisyystalo.audit import chain  # noqa: E402
from tyollisyystalo.audit.context import current_request_id  # noqa: E402
from tyollisyystalo.audit.models import AccessLogEntry, Action, Outcome  # noqa: E402
from tyollisyystalo.audit.services import (  # noqa: E402
    LogEvent,
    _actor_fields,
    access_log_append,
)
from tyollisyystalo.organisations.models import Organisation, OrganisationType  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402

MAX_APPENDS = 1_000_000  # per writer: the time limit ends a run long before this
LEGACY_TABLE = "bench_single_chain_entry"
LEGACY_HEAD = "bench_single_chain_head"


# --- the reference: the single-chain append as it was before ADR 0019 ------------------------


def _legacy_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {LEGACY_TABLE} (LIKE audit_accesslogentry INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        cursor.execute(f"ALTER TABLE {LEGACY_TABLE} DROP COLUMN chain")
        cursor.execute(f"ALTER TABLE {LEGACY_TABLE} ADD UNIQUE (seq)")
        cursor.execute(f"ALTER TABLE {LEGACY_TABLE} ADD UNIQUE (hash)")
        cursor.execute(f"CREATE INDEX ON {LEGACY_TABLE} (at)")
        cursor.execute(f"CREATE INDEX ON {LEGACY_TABLE} (client_id)")
        cursor.execute(f"CREATE INDEX ON {LEGACY_TABLE} (actor_user_id, seq DESC)")
        cursor.execute(
            f"CREATE TABLE {LEGACY_HEAD} (id smallint PRIMARY KEY CHECK (id = 1), "
            "seq bigint NOT NULL, hash varchar(64) NOT NULL)"
        )
        cursor.execute(f"INSERT INTO {LEGACY_HEAD} VALUES (1, 0, %s)", [chain.GENESIS])


def legacy_access_log_append(*, actor: Any, events: list[LogEvent]) -> None:
    """The old append: one head row locked by every writer, rows by executemany."""
    at = timezone.now()
    request_id = current_request_id()
    who = _actor_fields(actor)
    key_id, keys = chain.mac_keys()
    key = keys[key_id]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {LEGACY_HEAD} WHERE id = 1 FOR UPDATE")
        seq, previous = cursor.fetchone()
        rows = []
        for event in events:
            seq += 1
            values: dict[str, object] = {
                "seq": seq,
                "at": at,
                "request_id": request_id,
                **who,
                "client_id": event.client_id,
                "categories": ",".join(sorted(set(event.categories))),
                "action": event.action.value,
                "outcome": event.outcome.value,
                "basis": event.basis.value,
                "consent_id": event.consent_id,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "purpose": event.purpose[:200],
                "key_id": key_id,
                "prev_hash": previous,
            }
            values["hash"] = previous = chain.link_hash(values, key)
            rows.append(values)
        fields = [
            f
            for f in AccessLogEntry._meta.concrete_fields
            if not f.primary_key and f.attname != "chain"
        ]
        adapted = {f.attname for f in fields if isinstance(f, DateTimeField | UUIDField)}
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            LEGACY_TABLE,
            ", ".join(f.column for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        params: list[list[Any]] = [
            [
                f.get_db_prep_save(row[f.attname], connection)
                if f.attname in adapted
                else row[f.attname]
                for f in fields
            ]
            for row in rows
        ]
        cursor.executemany(sql, params)
        cursor.execute(
            f"UPDATE {LEGACY_HEAD} SET seq = %s, hash = %s WHERE id = 1", [seq, previous]
        )


# --- the writers -----------------------------------------------------------------------------


def _writer(
    implementation: str,
    staff_id: int,
    seconds: float,
    barrier: Any,
    counts: Any,
    lock_share: Any,
    index: int,
) -> None:
    connections.close_all()  # never share the parent's connection
    actor = StaffMember.objects.select_related("organisation").get(pk=staff_id)
    append = access_log_append if implementation == "per organisation" else legacy_access_log_append
    event = LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose="bench")
    append(actor=actor, events=[event])  # warm: connection, keys, head row
    waited = [0.0]

    def timed_lock(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "FOR UPDATE" not in sql and "ON CONFLICT" not in sql:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - started

    barrier.wait()
    done = 0
    started = time.perf_counter()
    deadline = started + seconds
    with connection.execute_wrapper(timed_lock):
        while done < MAX_APPENDS and time.perf_counter() < deadline:
            append(actor=actor, events=[event])
            done += 1
    counts[index] = done
    lock_share[index] = waited[0] / (time.perf_counter() - started)
    connections.close_all()


def run(
    implementation: str, staff_ids: list[int], writers: int, seconds: float
) -> tuple[float, float]:
    """Appends per second of all writers, and the writers' mean share of time spent waiting
    for (and taking) the head's row lock: the second does not depend on the machine's speed."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(writers + 1)
    counts = context.Array("q", writers)
    lock_share = context.Array("d", writers)
    connections.close_all()
    processes = [
        context.Process(
            target=_writer,
            args=(
                implementation,
                staff_ids[i % len(staff_ids)],
                seconds,
                barrier,
                counts,
                lock_share,
                i,
            ),
        )
        for i in range(writers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    if any(p.exitcode != 0 for p in processes):
        raise SystemExit(f"a writer failed ({implementation}, {writers} writers)")
    return (
        sum(counts[i] for i in range(writers)) / elapsed,
        sum(lock_share[i] for i in range(writers)) / writers,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run on PostgreSQL: DATABASE_URL=postgres://... (separate processes).")
    settings.DEBUG = False
    connection.settings_dict["TEST"]["NAME"] = f"bench_access_log_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        organisations = [
            Organisation.objects.create(
                code=f"bench-{i}",
                name_fi=f"Organisaatio {i}",
                type=OrganisationType.EMPLOYMENT_AUTHORITY,
            )
            for i in range(8)
        ]
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        staff = [
            StaffMember.objects.create(
                user=users.create(username=f"bench{i}"), organisation=o, role="coordinator"
            )
            for i, o in enumerate(organisations)
        ]
        _legacy_tables()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0].split(" on ")[0]
        print(
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {server}, {args.seconds:g} s per run, "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        cases = {"one organisation": [staff[0].pk], "eight organisations": [s.pk for s in staff]}
        results: dict[tuple[str, str, int], tuple[float, float]] = {}
        for writers in args.writers:
            for case, ids in cases.items():
                for implementation in ("single chain (before)", "per organisation"):
                    results[(case, implementation, writers)] = run(
                        implementation, ids, writers, args.seconds
                    )
        header = "".join(f"{w:>10} w" for w in args.writers)
        for title, column, form in (
            ("appends/s", 0, "{:>12.0f}"),
            ("time in the head lock", 1, "{:>12.0%}"),
        ):
            print(f"\n{title:<46}{header}")
            for case in cases:
                for implementation in ("single chain (before)", "per organisation"):
                    row = "".join(
                        form.format(results[(case, implementation, w)][column])
                        for w in args.writers
                    )
                    print(f"{case + ', ' + implementation:<46}{row}")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
        per_chain = dict(
            AccessLogEntry.objects.values_list("chain").annotate(n=django.db.models.Count("id"))
        )
        print(f"entries written per chain: {per_chain}")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
