"""Issue 15 part 6: the management pages and the indicator API read through the ``replica``
alias when DATABASE_REPLICA_URL is set. Proved in a separate process (the alias is made when the
settings load) where the replica URL names the primary, so the alias is a test mirror."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE = Path(__file__).resolve().parents[2]


def _own_database_url() -> str:
    """A database URL for the probe's own test database (never this run's, which is in use)."""
    url = os.environ.get("DATABASE_URL", "")
    if connection.vendor == "postgresql" and url:
        base, _, query = url.partition("?")
        return f"{base}_replica" + (f"?{query}" if query else "")
    return f"sqlite:///{BASE / 'var' / 'replica_probe.sqlite3'}"


@pytest.mark.django_db
def test_indicator_reads_go_to_the_replica_alias() -> None:
    url = _own_database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--create-db",
            "tests/live/replica_probe.py",
        ],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
