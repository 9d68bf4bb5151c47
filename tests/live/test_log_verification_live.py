"""`verify_access_log` is exact while staff read cards: no false alarm under concurrent appends."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from conftest import OrganisationFactory, StaffFactory
from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.audit.verification import access_log_verify

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections with their own snapshots (PostgreSQL); "
        "the SQLite test database is one in-memory file shared by the test's threads",
    ),
]

VERIFICATIONS = 20
MAX_APPENDS = 3000  # per writer: the writers stop when the verifications are done, or here


def _events(n: int) -> list[LogEvent]:
    return [
        LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose="card")
        for _ in range(n)
    ]


def test_verification_while_threads_append_reports_no_break(live_log: None) -> None:
    organisations = [OrganisationFactory.create() for _ in range(3)]
    # Two writers share the first organisation's chain, so its head lock is contended too.
    actors = [StaffFactory.create(organisation=o) for o in (organisations[0], *organisations)]
    actors.append(None)  # the system chain
    stop = threading.Event()
    failures: list[BaseException] = []
    appended = [0] * len(actors)

    def writer(index: int) -> None:
        try:
            for i in range(MAX_APPENDS):
                if stop.is_set():
                    return
                access_log_append(actor=actors[index], events=_events(1 + i % 4))
                appended[index] += 1
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(actors))]
    for thread in threads:
        thread.start()
    results = []
    try:
        for _ in range(VERIFICATIONS):
            results.append(access_log_verify())
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not failures
    assert [str(b) for r in results for b in r.breaks] == []
    # The writers were running during the verifications: the log grew between them.
    assert results[-1].entries > results[0].entries
    final = access_log_verify()
    assert final.intact
    assert len(final.heads) == 4


def test_erasing_a_prefix_while_threads_append_to_the_same_chain_stays_exact(
    live_log: None, settings: object
) -> None:
    """ADR 0024: the eraser takes the chain's head lock, appends wait; no break, no deadlock."""
    import datetime as dt

    from django.utils import timezone

    from tyollisyystalo.audit.models import AccessLogEntry, LogErasureAnchor
    from tyollisyystalo.retention.services import retention_erase

    settings.RETENTION_BATCH_SIZE = 10  # type: ignore[attr-defined]
    settings.RETENTION_MAX_BATCHES = 2  # type: ignore[attr-defined]
    organisation = OrganisationFactory.create()
    actors = [StaffFactory.create(organisation=organisation) for _ in range(2)]
    old = timezone.now() - dt.timedelta(days=365 * 12 + 30)
    access_log_append(actor=actors[0], events=_events(120), at=old)
    name = f"org-{organisation.pk}"
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            for i in range(MAX_APPENDS):
                if stop.is_set():
                    return
                access_log_append(actor=actors[index], events=_events(1 + i % 3))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(actors))]
    for thread in threads:
        thread.start()
    results = []
    try:
        for _ in range(8):  # 20 entries per run: six runs erase the 120, two find nothing
            retention_erase()
            results.append(access_log_verify())
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not failures
    assert [str(b) for r in results for b in r.breaks] == []
    assert not AccessLogEntry.objects.filter(chain=name, at=old).exists()
    assert list(
        LogErasureAnchor.objects.filter(chain=name).order_by("seq").values_list("seq", flat=True)
    ) == [20, 40, 60, 80, 100, 120]
    assert access_log_verify().intact
