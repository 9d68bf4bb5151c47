"""Tests against committed data with several connections (threads, pg_dump, a restored copy).

Each ends with a flush, so the log's append-only triggers step aside at the end (as in
tests/browser); they are on while the test runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.db import connection


def _set_log_triggers(enabled: bool) -> None:
    triggers = import_module(
        "tyollisyystalo.audit.migrations.0005_erasure_anchors_and_prefix_delete"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            state = "ENABLE" if enabled else "DISABLE"
            for table in triggers.LOG_TABLES:
                cursor.execute(f"ALTER TABLE {table} {state} TRIGGER USER")
        else:
            for statement in triggers.SQLITE_DOWN:
                cursor.execute(statement)
            if enabled:
                for statement in triggers.SQLITE_UP:
                    cursor.execute(statement)


@pytest.fixture
def live_log(transactional_db: Any) -> Iterator[None]:
    _set_log_triggers(True)
    yield
    _set_log_triggers(False)
