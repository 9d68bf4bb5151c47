"""The reporting store (ADR 0026): management figures counted once, served until they grow old.

Counting an indicator or the situation picture reads every path of the scope: seconds at
100,000 clients. The raw figures (before the small-number rule, which every page, API call and
export still applies when it shows them) are kept per report and parameters in
``ReportSnapshot`` on the primary database (a replica is read-only), and a page view reads
them in one query while they are fresh: counted today and at most ``REPORTING_MAX_AGE``
seconds ago. ``run_scheduled`` recounts the snapshots in use before they grow old
(``snapshots_due``), so a manager seldom waits for a count. ``REPORTING_MAX_AGE`` 0 turns the
store off for reading: every view counts again (the tests' default), and still writes what it
counted, so the stored form is what is shown either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from tyollisyystalo.management.models import ReportSnapshot

STORE = "default"  # written on the primary: a replica is read-only
IN_USE_DAYS = 7  # a snapshot read within this many days is recounted by run_scheduled
KEEP_DAYS = 30  # a snapshot nobody has read for this long is deleted

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Stored:
    payload: Any
    computed_at: dt.datetime


def snapshot_key(params: Params) -> str:
    """The SHA-256 of the parameters in a canonical JSON form."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=max(0, int(settings.REPORTING_MAX_AGE)))


def counted_every() -> int:
    """The allowed age in whole minutes, for the pages' "counted at" line (0: always afresh)."""
    return int(max_age().total_seconds()) // 60


def snapshots_read(
    report: str, wanted: Iterable[Params], *, today: dt.date, read: bool = True
) -> dict[str, Stored]:
    """The fresh snapshots of ``report`` among ``wanted``, by key: one query, and one update
    of ``read_on`` the first time a snapshot is read on a day (not for the job's own look,
    ``read`` False)."""
    age = max_age()
    if not age:
        return {}
    keys = {snapshot_key(params) for params in wanted}
    rows = list(
        ReportSnapshot.objects.using(STORE)
        .filter(
            report=report,
            key__in=keys,
            computed_for=today,
            computed_at__gte=timezone.now() - age,
        )
        .values_list("pk", "key", "payload", "computed_at", "read_on")
    )
    first_today = [pk for pk, _key, _payload, _at, read_on in rows if read and read_on < today]
    if first_today:
        ReportSnapshot.objects.using(STORE).filter(pk__in=first_today).update(read_on=today)
    return {key: Stored(payload, at) for _pk, key, payload, at, _read in rows}


def snapshots_write(
    report: str, counted: Sequence[tuple[Params, Any]], *, today: dt.date, read: bool = True
) -> dict[str, Stored]:
    """Keep what was counted (insert or replace, in one statement per 500), and return it as
    stored: through JSON, so a view shows exactly what a later view will read. A new snapshot
    is marked read today when a view asked for it (``read``), else (the scheduled job's
    warming) as not in use; replacing one keeps when it was last read, so recounting never
    makes a snapshot look in use."""
    now = timezone.now()
    read_on = today if read else today - dt.timedelta(days=IN_USE_DAYS + 1)
    rows = [
        ReportSnapshot(
            report=report,
            key=snapshot_key(params),
            params=dict(params),
            payload=payload,
            computed_at=now,
            computed_for=today,
            read_on=read_on,
        )
        for params, payload in counted
    ]
    ReportSnapshot.objects.using(STORE).bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["report", "key"],
        update_fields=["params", "payload", "computed_at", "computed_for"],
    )
    return {row.key: Stored(json.loads(json.dumps(row.payload)), now) for row in rows}


def snapshots_due(report: str, *, today: dt.date) -> list[dict[str, Any]]:
    """The parameters of ``report``'s snapshots in use (read within ``IN_USE_DAYS``) that are
    from another day or older than half the allowed age: recounted by ``run_scheduled``."""
    half = timezone.now() - max_age() / 2
    rows = ReportSnapshot.objects.using(STORE).filter(
        report=report, read_on__gte=today - dt.timedelta(days=IN_USE_DAYS)
    )
    due = rows.exclude(computed_for=today, computed_at__gte=half)
    return [dict(params) for params in due.values_list("params", flat=True)]


def snapshots_purge(*, today: dt.date) -> int:
    """Delete the snapshots nobody has read for ``KEEP_DAYS`` days."""
    deleted, _by_model = (
        ReportSnapshot.objects.using(STORE)
        .filter(read_on__lt=today - dt.timedelta(days=KEEP_DAYS))
        .delete()
    )
    return deleted
