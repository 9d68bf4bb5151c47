"""Migration 0004: a log written with the single chain keeps verifying as chain ``legacy``."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tyollisyystalo.audit import chain
from tyollisyystalo.audit.models import ChainHead
from tyollisyystalo.audit.verification import access_log_verify

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("audit", "0003_log_head_row")]


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("audit")


def test_entries_of_the_single_chain_become_the_legacy_chain_and_verify(live_log: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    entries, head = old.get_model("audit", "AccessLogEntry"), old.get_model("audit", "LogHead")
    key_id, keys = chain.mac_keys()
    previous = chain.GENESIS
    for seq in (1, 2, 3):
        values: dict[str, Any] = {
            "seq": seq,
            "at": timezone.now(),
            "request_id": "r",
            "actor_user_id": 7,
            "actor_name": "Aino",
            "actor_organisation_id": 1,
            "actor_organisation_name": "Esimerkkilä",
            "actor_role": "coordinator",
            "client_id": None,
            "categories": "identity",
            "action": "read",
            "outcome": "allowed",
            "basis": "team",
            "consent_id": None,
            "object_type": "client",
            "object_id": "x",
            "purpose": "card",
            "key_id": key_id,
            "prev_hash": previous,
        }
        # Signed as the single-chain code signed: no chain name in the message.
        previous = chain.link_hash(values, keys[key_id])
        entries.objects.create(hash=previous, **values)
    head.objects.filter(id=1).update(seq=3, hash=previous)

    executor = MigrationExecutor(connection)
    executor.migrate(_latest())

    assert dict(ChainHead.objects.values_list("chain", "seq")) == {"legacy": 3}
    result = access_log_verify()
    assert result.intact, [str(b) for b in result.breaks]
    assert result.heads["legacy"] == (3, previous)
    call_command("verify_access_log")
    # The append-only triggers survive the migration (SQLite rebuilt the table).
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry")
