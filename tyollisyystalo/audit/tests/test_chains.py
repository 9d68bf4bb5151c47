"""One chain per register keeper (ADR 0019): where entries go, what one call writes, verification."""

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import StaffFactory
from tyollisyystalo.audit import chain
from tyollisyystalo.audit.models import AccessLogEntry, Action, ChainHead, Outcome
from tyollisyystalo.audit.selectors import access_log_breaks, log_heads_readable
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.selfservice.selectors import own_overview
from tyollisyystalo.staff.roles import Role


def _events(n, client_id=None):
    return [
        LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=client_id, purpose=f"e{i}")
        for i in range(n)
    ]


def _chains():
    return dict(ChainHead.objects.values_list("chain", "seq"))


@pytest.mark.django_db
def test_each_organisation_appends_to_its_own_chain_and_others_to_the_system_chain(
    aino, bertta, mikko
):
    access_log_append(actor=aino, events=_events(2))
    access_log_append(actor=bertta, events=_events(3))
    access_log_append(actor=mikko, events=_events(1))
    access_log_append(actor=None, events=_events(1))
    access_log_append(actor=AnonymousUser(), events=_events(1))
    access_log_append(actor=aino.user, events=_events(1))  # a user without staff role: system

    employment, county = f"org-{aino.organisation_id}", f"org-{bertta.organisation_id}"
    assert _chains() == {employment: 3, county: 3, "system": 3}
    for name in (employment, county, "system"):
        seqs = list(
            AccessLogEntry.objects.filter(chain=name).order_by("seq").values_list("seq", flat=True)
        )
        assert seqs == [1, 2, 3]
    assert set(
        AccessLogEntry.objects.filter(chain=employment).values_list("actor_user_id", flat=True)
    ) == {aino.user_id, mikko.user_id}
    assert list(access_log_breaks()) == []
    assert log_heads_readable() == 3


@pytest.mark.django_db
def test_one_call_writes_all_its_rows_with_one_statement(aino):
    access_log_append(actor=aino, events=_events(1))
    with CaptureQueriesContext(connection) as queries:
        access_log_append(actor=aino, events=_events(40))
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    statements = [s for s in statements if s not in {"SAVEPOINT", "RELEASE"}]  # the test's
    if connection.vendor == "postgresql":
        # The head locked (an upsert returning it), the rows, the head moved.
        assert statements == ["INSERT", "INSERT", "UPDATE"]
    else:
        # The head ensured and read (the write transaction is the lock), the rows, the move.
        assert statements == ["INSERT", "SELECT", "INSERT", "UPDATE"]
    assert _chains() == {f"org-{aino.organisation_id}": 41}
    assert list(access_log_breaks()) == []


@pytest.mark.django_db
def test_an_organisations_first_append_costs_no_more_statements_than_the_next(aino):
    with CaptureQueriesContext(connection) as first:
        access_log_append(actor=aino, events=_events(1))
    with CaptureQueriesContext(connection) as second:
        access_log_append(actor=aino, events=_events(1))
    assert len(first) == len(second)
    assert _chains() == {f"org-{aino.organisation_id}": 2}


@pytest.mark.django_db
def test_a_long_call_is_split_into_statements_and_stays_one_chain(aino):
    access_log_append(actor=aino, events=_events(1234))
    assert AccessLogEntry.objects.filter(chain=f"org-{aino.organisation_id}").count() == 1234
    assert list(access_log_breaks()) == []


@pytest.mark.django_db
def test_a_break_names_its_chain_and_the_other_chains_stay_intact(aino, bertta):
    access_log_append(actor=aino, events=_events(3))
    access_log_append(actor=bertta, events=_events(3))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_update")
    county = f"org-{bertta.organisation_id}"
    AccessLogEntry.objects.filter(chain=county, seq=2).update(purpose="forged")
    assert [(b.chain, b.seq) for b in access_log_breaks()] == [(county, 2)]


@pytest.mark.django_db
def test_an_entry_moved_to_another_chain_is_detected(aino, bertta):
    """The chain's name is signed: relabelling a row breaks it even where the links agree."""
    access_log_append(actor=aino, events=_events(1))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_update")
    entry = AccessLogEntry.objects.get()
    AccessLogEntry.objects.filter(pk=entry.pk).update(chain=f"org-{bertta.organisation_id}")
    ChainHead.objects.filter(chain=f"org-{aino.organisation_id}").delete()
    ChainHead.objects.create(
        chain=f"org-{bertta.organisation_id}", seq=1, hash=entry.hash, organisation_id=None
    )
    assert [b.problem for b in access_log_breaks()] == ["content has been altered"]


@pytest.mark.django_db
def test_entries_without_a_head_are_reported(aino):
    access_log_append(actor=aino, events=_events(2))
    ChainHead.objects.all().delete()
    problems = [b.problem for b in access_log_breaks()]
    assert "has entries but no head" in problems


@pytest.mark.django_db
def test_the_legacy_chain_verifies_as_it_was_signed(settings):
    """Entries from before ADR 0019 stay in chain ``legacy``: HMACs without the chain's name."""
    key_id, keys = chain.mac_keys()
    previous = chain.GENESIS
    at = timezone.now()
    for seq in (1, 2):
        values: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "request_id": "r",
            "actor_user_id": None,
            "actor_name": "",
            "actor_organisation_id": None,
            "actor_organisation_name": "",
            "actor_role": "",
            "client_id": None,
            "categories": "",
            "action": "read",
            "outcome": "allowed",
            "basis": "",
            "consent_id": None,
            "object_type": "",
            "object_id": "",
            "purpose": "before the chains",
            "key_id": key_id,
            "prev_hash": previous,
        }
        # The message of the old code: exactly the chained fields, no chain name.
        normalised = {
            k: (
                v.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                if k == "at"
                else None
                if v is None
                else str(v)
            )
            for k, v in values.items()
        }
        message = json.dumps(normalised, sort_keys=True, ensure_ascii=False).encode()
        digest = hmac.new(keys[key_id], message, hashlib.sha256).hexdigest()
        AccessLogEntry.objects.create(chain="legacy", hash=digest, **values)
        previous = digest
    ChainHead.objects.create(chain="legacy", seq=2, hash=previous)
    assert list(access_log_breaks()) == []
    call_command("verify_access_log")


@pytest.mark.django_db
def test_the_client_sees_reads_of_every_organisation_ordered_by_time(sari, aino, bertta, county):
    now = timezone.now()
    reader_of_county = StaffFactory.create(organisation=county, role=Role.NURSE)
    access_log_append(actor=aino, events=_events(1, sari.id), at=now - dt.timedelta(minutes=3))
    access_log_append(actor=bertta, events=_events(1, sari.id), at=now - dt.timedelta(minutes=2))
    access_log_append(actor=aino, events=_events(1, sari.id), at=now - dt.timedelta(minutes=1))
    access_log_append(actor=reader_of_county, events=_events(1, sari.id), at=now)
    shown = own_overview(client_id=sari.id).access_log
    assert [e.actor_user_id for e in shown] == [
        reader_of_county.user_id,
        aino.user_id,
        bertta.user_id,
        aino.user_id,
    ]
