"""A dump taken while staff read cards restores into a fresh database whose log verifies."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from conftest import OrganisationFactory, StaffFactory
from tyollisyystalo.audit import chain
from tyollisyystalo.audit.backup import Manifest
from tyollisyystalo.audit.checkpoints import access_log_checkpoints_write
from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append

pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore under concurrent appends need PostgreSQL",
)
BASE = Path(__file__).resolve().parents[2]


def _read(actor: object, n: int = 1) -> None:
    access_log_append(
        actor=actor,  # type: ignore[arg-type]
        events=[
            LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose="card")
            for _ in range(n)
        ],
    )


def _verify(database_url: str, checkpoints: Path | None = None) -> subprocess.CompletedProcess[str]:
    """verify_access_log in a separate process against the restored database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "FIELD_ENCRYPTION_OLD_KEYS": ",".join(settings.FIELD_ENCRYPTION_OLD_KEYS),
        "SECRET_KEY": settings.SECRET_KEY,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "verify_access_log"]
        + (["--checkpoints", str(checkpoints)] if checkpoints else []),
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty PostgreSQL database beside the test database, dropped at the end."""
    name = f"tt_restore_{uuid.uuid4().hex[:10]}"
    params = connection.settings_dict
    conninfo = {
        k: v
        for k, v in {
            "host": params.get("HOST"),
            "port": params.get("PORT"),
            "user": params.get("USER"),
            "password": params.get("PASSWORD"),
        }.items()
        if v
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user = params.get("USER") or ""
        password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
        host = params.get("HOST") or "127.0.0.1"
        port = params.get("PORT") or 5432
        yield f"postgres://{user}{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgresql_only
def test_a_dump_taken_under_load_restores_into_a_fresh_database_and_verifies(
    live_log: None, fresh_database: str, tmp_path: Path, settings: object
) -> None:
    witness = tmp_path / "witness"
    witness.mkdir()
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{witness}"  # type: ignore[attr-defined]
    actors: list[object] = [StaffFactory.create(organisation=OrganisationFactory.create())]
    actors += [StaffFactory.create(organisation=OrganisationFactory.create()), None]
    for actor in actors:
        _read(actor, 3)
    access_log_checkpoints_write()

    stop = threading.Event()
    appended = [0]
    failures: list[BaseException] = []

    def writer(actor: object) -> None:
        try:
            for i in range(5000):  # bounded; stopped when the dump is done
                if stop.is_set():
                    return
                _read(actor, 1 + i % 3)
                appended[0] += 1
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(a,)) for a in actors]
    for thread in threads:
        thread.start()
    dump = tmp_path / "tt.dump"
    try:
        for _ in range(10_000):  # let the writers get going (bounded)
            if appended[0] >= 30:
                break
            threading.Event().wait(0.01)
        before = appended[0]
        call_command("backup_database", str(dump))
        during = appended[0] - before
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not failures
    assert during > 0  # appends went on while the dump was taken

    manifest = Manifest.read(dump)
    assert set(manifest.key_ids) <= set(chain.mac_keys()[1])
    assert "FIELD_ENCRYPTION_KEY" in manifest.keep_beside[0]
    call_command("restore_database", str(dump), "--database-url", fresh_database)
    done = _verify(fresh_database, witness)
    assert done.returncode == 0, done.stderr
    assert "Access log intact" in done.stdout
    assert "checkpoint(s) match" in done.stdout


def _erased_log(witness: Path) -> str:
    """A chain whose first entries passed their 12 years and were erased behind an anchor."""
    import datetime as dt

    from django.utils import timezone

    from tyollisyystalo.retention.services import retention_erase

    staff = StaffFactory.create(organisation=OrganisationFactory.create())
    old = timezone.now() - dt.timedelta(days=365 * 12 + 30)
    access_log_append(
        actor=staff,
        events=[
            LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose="old")
            for _ in range(4)
        ],
        at=old,
    )
    access_log_checkpoints_write(force=True)  # a checkpoint the erasure then covers
    _read(staff, 2)
    retention_erase()
    _read(staff, 1)
    access_log_checkpoints_write(force=True)
    return f"org-{staff.organisation_id}"


@postgresql_only
def test_a_dump_after_a_log_erasure_restores_and_verifies_from_the_anchor(
    live_log: None, fresh_database: str, tmp_path: Path, settings: object
) -> None:
    witness = tmp_path / "witness"
    witness.mkdir()
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{witness}"  # type: ignore[attr-defined]
    name = _erased_log(witness)
    dump = tmp_path / "tt.dump"
    call_command("backup_database", str(dump))
    assert Manifest.read(dump).erasure_anchors[name][0] == 4
    call_command("restore_database", str(dump), "--database-url", fresh_database)
    done = _verify(fresh_database, witness)
    assert done.returncode == 0, done.stderr
    assert f"{name}: 7 entries (1–4 erased after their retention period)" in done.stdout
    assert "covered by erasure anchors" in done.stdout


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_a_sqlite_backup_after_a_log_erasure_restores_and_verifies(
    live_log: None, tmp_path: Path, settings: object
) -> None:
    witness = tmp_path / "witness"
    witness.mkdir()
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{witness}"  # type: ignore[attr-defined]
    name = _erased_log(witness)
    dump = tmp_path / "tt.sqlite3"
    call_command("backup_database", str(dump))
    restored = tmp_path / "restored.sqlite3"
    call_command("restore_database", str(dump), "--database-url", f"sqlite:///{restored}")
    done = _verify(f"sqlite:///{restored}", witness)
    assert done.returncode == 0, done.stderr
    assert f"{name}: 7 entries (1–4 erased after their retention period)" in done.stdout


@postgresql_only
def test_restore_refuses_a_database_that_is_not_empty(live_log: None, tmp_path: Path) -> None:
    dump = tmp_path / "tt.dump"
    call_command("backup_database", str(dump))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_database", str(dump))  # the configured, migrated database


def test_restore_refuses_without_the_keys_the_dump_needs(
    live_log: None, tmp_path: Path, settings: object
) -> None:
    dump = tmp_path / "tt.dump"
    call_command("backup_database", str(dump))
    settings.FIELD_ENCRYPTION_KEY = "A" * 43 + "="  # type: ignore[attr-defined]
    settings.FIELD_ENCRYPTION_OLD_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="are not configured"):
        call_command("restore_database", str(dump), "--database-url", "sqlite:////nonexistent")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_sqlite_backup_restores_into_a_new_file_and_verifies(
    live_log: None, tmp_path: Path
) -> None:
    _read(StaffFactory.create(), 4)
    _read(None, 2)
    dump = tmp_path / "tt.sqlite3"
    call_command("backup_database", str(dump))
    restored = tmp_path / "restored.sqlite3"
    call_command("restore_database", str(dump), "--database-url", f"sqlite:///{restored}")
    done = _verify(f"sqlite:///{restored}")
    assert done.returncode == 0, done.stderr
    assert "intact: 6 entries in 2 chain(s)" in done.stdout
