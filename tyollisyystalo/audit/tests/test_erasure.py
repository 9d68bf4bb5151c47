"""Erasing a chain's prefix behind a signed anchor: the database, verification, forgery (ADR 0024).

The expected answers are written out by hand (which entries may go, which stay), not taken from
the code under test: a DELETE is allowed exactly for ``seq`` ≤ the chain's newest anchor.
"""

import datetime as dt
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from conftest import OrganisationFactory, StaffFactory
from tyollisyystalo.audit import chain
from tyollisyystalo.audit.checkpoints import Checkpoint
from tyollisyystalo.audit.erasure import (
    access_log_prefix_erase,
    access_log_prefix_plan,
    anchor_verifies,
)
from tyollisyystalo.audit.models import (
    AccessLogEntry,
    Action,
    AppendOnlyError,
    ChainHead,
    LogErasureAnchor,
    Outcome,
)
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.audit.verification import access_log_verify

OLD = dt.datetime(2010, 3, 1, 12, tzinfo=dt.UTC)
BEFORE = dt.datetime(2011, 1, 1, tzinfo=dt.UTC)  # entries before this are due in these tests


def _append(actor, n, at=OLD):
    access_log_append(
        actor=actor,
        events=[
            LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose=f"e{i}")
            for i in range(n)
        ],
        at=at,
    )


@pytest.fixture
def keeper(db):
    return StaffFactory.create(organisation=OrganisationFactory.create())


def _name(actor):
    return f"org-{actor.organisation_id}"


def _erase(actor, **kwargs):
    with transaction.atomic():
        plan = access_log_prefix_plan(chain_name=_name(actor), before=BEFORE, lock=True, **kwargs)
        return access_log_prefix_erase(plan=plan, at=timezone.now())


def _raw_delete(name, seq):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audit_accesslogentry WHERE chain = %s AND seq = %s", [name, seq]
        )


def _as_attacker(statements):
    """A database superuser: the triggers of the log and of the anchors off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_logerasureanchor DISABLE TRIGGER USER")
        else:
            for name in (
                "audit_accesslogentry_no_update",
                "audit_accesslogentry_no_delete",
                "audit_logerasureanchor_no_update",
                "audit_logerasureanchor_no_delete",
            ):
                cursor.execute(f"DROP TRIGGER {name}")
    with transaction.atomic(), connection.cursor() as cursor:
        statements(cursor)


def _problems():
    return [str(b) for b in access_log_verify().breaks]


@pytest.mark.django_db
def test_the_prefix_goes_behind_a_signed_anchor_and_the_rest_verifies(keeper):
    _append(keeper, 3)
    _append(keeper, 2, at=timezone.now())
    fourth = AccessLogEntry.objects.get(chain=_name(keeper), seq=4)
    third_hash = AccessLogEntry.objects.get(chain=_name(keeper), seq=3).hash
    anchor = _erase(keeper)
    assert anchor is not None
    assert (anchor.seq, anchor.hash, anchor.erased_count) == (3, third_hash, 3)
    assert anchor.newest_erased_at == OLD
    assert anchor_verifies(anchor)
    assert fourth.prev_hash == anchor.hash
    seqs = list(AccessLogEntry.objects.filter(chain=_name(keeper)).values_list("seq", flat=True))
    assert sorted(seqs) == [4, 5]
    _append(keeper, 2, at=timezone.now())
    assert _problems() == []


@pytest.mark.django_db
def test_a_whole_chain_erased_verifies_against_its_head(keeper):
    _append(keeper, 2)
    _erase(keeper)
    assert not AccessLogEntry.objects.filter(chain=_name(keeper)).exists()
    assert ChainHead.objects.get(chain=_name(keeper)).seq == 2
    assert _problems() == []
    _append(keeper, 1, at=timezone.now())
    assert _problems() == []


@pytest.mark.django_db
def test_the_database_refuses_a_delete_above_the_anchor_and_allows_it_at_or_below(keeper):
    _append(keeper, 4)
    with pytest.raises(DatabaseError):
        _raw_delete(_name(keeper), 1)  # no anchor yet
    _erase(keeper, upto=2)
    for seq in (3, 4):
        with pytest.raises(DatabaseError):
            _raw_delete(_name(keeper), seq)
    assert AccessLogEntry.objects.filter(chain=_name(keeper)).count() == 2
    # An anchor of another chain lets nothing of this one go.
    other = StaffFactory.create(organisation=OrganisationFactory.create())
    _append(other, 5)
    _erase(other)
    with pytest.raises(DatabaseError):
        _raw_delete(_name(keeper), 3)
    # Updates and truncation stay refused.
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(chain=_name(keeper)).update(purpose="changed")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_accesslogentry")
    assert AccessLogEntry.objects.filter(chain=_name(keeper)).count() == 2


@pytest.mark.django_db
def test_the_app_and_the_database_refuse_to_change_or_delete_an_anchor(keeper):
    _append(keeper, 2)
    anchor = _erase(keeper)
    with pytest.raises(AppendOnlyError):
        anchor.save()
    with pytest.raises(AppendOnlyError):
        anchor.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LogErasureAnchor.objects.update(seq=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        LogErasureAnchor.objects.all()._raw_delete(LogErasureAnchor.objects.db)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_logerasureanchor")
    assert LogErasureAnchor.objects.get().seq == 2


@pytest.mark.django_db
def test_a_forged_anchor_lets_rows_go_but_is_reported_with_the_rows_it_hid(keeper):
    _append(keeper, 4)
    entry = AccessLogEntry.objects.get(chain=_name(keeper), seq=2)
    # Anyone who may insert into the anchors' table, without the key.
    LogErasureAnchor.objects.create(
        chain=_name(keeper),
        seq=2,
        hash=entry.hash,
        erased_count=2,
        newest_erased_at=OLD,
        created_at=timezone.now(),
        key_id=chain.checkpoint_keys()[0],
        signature="0" * 64,
    )
    _raw_delete(_name(keeper), 1)  # the trigger cannot know the anchor is forged
    _raw_delete(_name(keeper), 2)
    problems = _problems()
    assert f"chain {_name(keeper)}, entry 2: erasure anchor does not verify" in problems[0]
    assert any("entries 1–2 are missing" in p for p in problems)


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["seq", "hash", "erased_count", "newest_erased_at"])
def test_an_altered_anchor_is_reported(keeper, column):
    _append(keeper, 4)
    _erase(keeper, upto=2)
    values = {
        "seq": 3,
        "hash": "f" * 64,
        "erased_count": 1,
        "newest_erased_at": dt.datetime(2009, 1, 1, tzinfo=dt.UTC),
    }

    def alter(cursor):
        LogErasureAnchor.objects.filter(chain=_name(keeper)).update(**{column: values[column]})

    _as_attacker(alter)
    assert any("erasure anchor does not verify" in p for p in _problems())


@pytest.mark.django_db
def test_a_row_deleted_above_the_anchor_is_reported(keeper):
    _append(keeper, 5)
    _erase(keeper, upto=2)
    assert _problems() == []

    def delete(cursor):
        cursor.execute(
            "DELETE FROM audit_accesslogentry WHERE chain = %s AND seq = 4", [_name(keeper)]
        )

    _as_attacker(delete)
    assert _problems() == [
        f"chain {_name(keeper)}, entry 4: entries 4–4 are missing",
        f"chain {_name(keeper)}, entry 5: does not link to the previous entry",
    ]


@pytest.mark.django_db
def test_a_row_deleted_just_above_the_anchor_is_reported(keeper):
    _append(keeper, 5)
    _erase(keeper, upto=2)

    def delete(cursor):
        cursor.execute(
            "DELETE FROM audit_accesslogentry WHERE chain = %s AND seq = 3", [_name(keeper)]
        )

    _as_attacker(delete)
    problems = _problems()
    assert f"chain {_name(keeper)}, entry 3: entries 3–3 are missing" in problems
    assert f"chain {_name(keeper)}, entry 4: does not link to the previous entry" in problems


@pytest.mark.django_db
def test_checkpoints_at_or_below_the_anchor_are_covered_and_one_above_is_checked(keeper):
    _append(keeper, 5)
    rows = dict(AccessLogEntry.objects.filter(chain=_name(keeper)).values_list("seq", "hash"))
    marks = [
        Checkpoint(chain=_name(keeper), seq=seq, hash=rows[seq], at=timezone.now())
        for seq in (1, 3, 5)
    ]
    _erase(keeper, upto=3)
    result = access_log_verify(checkpoints=marks)
    assert result.intact, (result.breaks, result.checkpoint_problems)
    assert (result.checkpoints_covered, result.checkpoints_checked) == (2, 1)
    wrong = Checkpoint(chain=_name(keeper), seq=3, hash="e" * 64, at=timezone.now())
    result = access_log_verify(checkpoints=[wrong])
    assert result.checkpoint_problems == [
        f"chain {_name(keeper)}: entry 3 differs from its checkpoint: the erasure anchor "
        "names another hash"
    ]


@pytest.mark.django_db
def test_a_hold_stops_the_plan_before_the_first_entry_about_the_held_client(keeper):
    held, free = uuid.uuid4(), uuid.uuid4()
    for client_id in (free, free, held, free):
        access_log_append(
            actor=keeper,
            events=[LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=client_id)],
            at=OLD,
        )
    plan = access_log_prefix_plan(chain_name=_name(keeper), before=BEFORE, held_clients=[held])
    assert (plan.through_seq, plan.count, plan.held_back) == (2, 2, 2)
    free_plan = access_log_prefix_plan(chain_name=_name(keeper), before=BEFORE)
    assert (free_plan.through_seq, free_plan.held_back) == (4, 0)


@pytest.mark.django_db
def test_erasing_a_prefix_costs_the_same_queries_whatever_its_length(keeper):
    from django.test.utils import CaptureQueriesContext

    other = StaffFactory.create(organisation=OrganisationFactory.create())
    _append(keeper, 3)
    _append(other, 60)
    counts = []
    for actor in (keeper, other):
        with CaptureQueriesContext(connection) as queries:
            _erase(actor)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert not AccessLogEntry.objects.filter(chain__in=[_name(keeper), _name(other)]).exists()
