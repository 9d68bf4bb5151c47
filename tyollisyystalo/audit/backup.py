"""Backup and restore of the whole database, with a manifest of what must be kept beside it.

PostgreSQL: ``pg_dump --format=custom`` of a snapshot exported from our own REPEATABLE READ
transaction, so the manifest's log chain heads are exactly those in the dump; restore with
``pg_restore`` into an empty database. SQLite: the sqlite3 online backup API, which copies a
consistent image while the service runs. The manifest names the key ids, never the keys.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from tyollisyystalo.audit import chain

MANIFEST_SUFFIX = ".manifest.json"
KEEP_BESIDE = [
    "FIELD_ENCRYPTION_KEY and every key in FIELD_ENCRYPTION_OLD_KEYS whose id is listed in "
    "key_ids: without them encrypted fields cannot be read and the access log does not verify",
    "SECRET_KEY (sessions, password reset links and API tokens in flight)",
    "the access log checkpoint files or messages (ACCESS_LOG_CHECKPOINT_SINK), kept apart "
    "from the dump: they show that the restored log is the one that was written",
]


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database: str
    dump: str
    chain_heads: dict[str, list[Any]] = field(default_factory=dict)
    # Per chain, the newest erasure anchor [seq, hash] (ADR 0024): where verification starts.
    erasure_anchors: dict[str, list[Any]] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)
    key_ids: list[str] = field(default_factory=list)
    keep_beside: list[str] = field(default_factory=lambda: list(KEEP_BESIDE))

    def write(self, dump: Path) -> Path:
        path = manifest_path(dump)
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")
        return path

    @classmethod
    def read(cls, dump: Path) -> Manifest:
        path = manifest_path(dump)
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError) as exc:
            raise BackupError(f"The manifest {path} is missing or unreadable.") from exc


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for a Django database: the password never appears in argv."""
    env = dict(os.environ)
    for name, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings and the CLI
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is missing: install postgresql-client "
            "(scripts/ensure-system-packages postgresql-client)."
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _read_state(
    cursor: Any,
) -> tuple[dict[str, list[Any]], dict[str, str], dict[str, list[Any]]]:
    cursor.execute('SELECT "chain", "seq", "hash" FROM "audit_chainhead" ORDER BY "chain"')
    heads = {name: [seq, digest] for name, seq, digest in cursor.fetchall()}
    cursor.execute('SELECT "app", MAX("name") FROM "django_migrations" GROUP BY "app"')
    migrations = {str(app): str(name) for app, name in cursor.fetchall()}
    anchors: dict[str, list[Any]] = {}
    if migrations.get("audit", "") >= "0005":
        cursor.execute(
            'SELECT "chain", "seq", "hash" FROM "audit_logerasureanchor" ORDER BY "chain", "seq"'
        )
        anchors = {name: [seq, digest] for name, seq, digest in cursor.fetchall()}
    return heads, migrations, anchors


def database_backup(*, output: Path) -> Manifest:
    """Dump the configured database to ``output`` and write the manifest beside it."""
    if output.exists():
        raise BackupError(f"{output} exists already; backups are never overwritten.")
    _, keys = chain.mac_keys()
    manifest = Manifest(
        created_at=timezone.now().astimezone(dt.UTC).isoformat(),
        vendor=connection.vendor,
        database=str(connection.settings_dict["NAME"]),
        dump=output.name,
        key_ids=sorted(keys),
    )
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest.chain_heads, manifest.migrations, manifest.erasure_anchors = _read_state(
                cursor
            )
            # pg_dump reads exactly what this transaction sees, while it stays open.
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={output}"],
                _pg_env(connection.settings_dict),
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        target = sqlite3.connect(output)
        try:
            source.backup(target)
            manifest.chain_heads, manifest.migrations, manifest.erasure_anchors = _read_state(
                target.cursor()
            )
        finally:
            target.close()
    else:
        raise BackupError(f"No backup for {connection.vendor}.")
    os.chmod(output, 0o600)
    manifest.write(output)
    return manifest


def database_restore(*, dump: Path, database_url: str | None) -> Manifest:
    """Restore ``dump`` into an empty database; check the keys first and the heads after."""
    manifest = Manifest.read(dump)
    _, keys = chain.mac_keys()
    missing = sorted(set(manifest.key_ids) - set(keys))
    if missing:
        raise BackupError(
            f"The keys with ids {', '.join(missing)} are not configured: set "
            "FIELD_ENCRYPTION_KEY and FIELD_ENCRYPTION_OLD_KEYS as they were when the dump "
            "was taken, or the restored data cannot be read nor the log verified."
        )
    target: dict[str, Any] = dict(
        dj_database_url.parse(database_url) if database_url else connection.settings_dict
    )
    engine = str(target["ENGINE"])
    if "postgresql" in engine and manifest.vendor == "postgresql":
        heads, anchors = _restore_postgresql(dump, target)
    elif "sqlite" in engine and manifest.vendor == "sqlite":
        heads, anchors = _restore_sqlite(dump, Path(str(target["NAME"])))
    else:
        raise BackupError(f"A {manifest.vendor} dump cannot be restored into {engine}.")
    if heads != manifest.chain_heads:
        raise BackupError("The restored log chain heads differ from the manifest's.")
    if anchors != manifest.erasure_anchors:
        raise BackupError("The restored log erasure anchors differ from the manifest's.")
    return manifest


State = tuple[dict[str, list[Any]], dict[str, list[Any]]]


def _restore_postgresql(dump: Path, target: dict[str, Any]) -> State:
    env = _pg_env(target)
    conninfo = {
        "host": target.get("HOST") or None,
        "port": target.get("PORT") or None,
        "user": target.get("USER") or None,
        "password": target.get("PASSWORD") or None,
        "dbname": target["NAME"],
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}) as db:
        tables = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        if tables and tables[0]:
            raise BackupError(
                f"The database {target['NAME']} is not empty; restore into a new one."
            )
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target['NAME']}",
            str(dump),
        ],
        env,
    )
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}) as db:
        heads, _, anchors = _read_state(db.cursor())
    return heads, anchors


def _restore_sqlite(dump: Path, target: Path) -> State:
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} exists; restore into a new file.")
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        heads, _, anchors = _read_state(copy.cursor())
    finally:
        source.close()
        copy.close()
    return heads, anchors
