"""Tests against committed data with several connections (threads, pg_dump, a restored copy).

Each ends with a flush, so the log's append-only triggers step aside at the end (as in
tests/browser); they are on while the test runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS audit_accesslogentry_no_update BEFORE UPDATE
    ON audit_accesslogentry BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_accesslogentry_no_delete BEFORE DELETE
    ON audit_accesslogentry BEGIN SELECT RAISE(ABORT, 'access log entries are append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete;",
]


def _set_log_triggers(enabled: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            state = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE audit_accesslogentry {state} TRIGGER USER")
        else:
            for statement in SQLITE_UP if enabled else SQLITE_DOWN:
                cursor.execute(statement)


@pytest.fixture
def live_log(transactional_db: Any) -> Iterator[None]:
    _set_log_triggers(True)
    yield
    _set_log_triggers(False)
