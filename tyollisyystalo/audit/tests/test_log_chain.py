import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tyollisyystalo.audit.models import AccessLogEntry, Action, AppendOnlyError, Outcome
from tyollisyystalo.audit.selectors import access_log_breaks
from tyollisyystalo.audit.services import LogEvent, access_log_append


def _append(n, actor=None):
    access_log_append(
        actor=actor,
        events=[
            LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose=f"e{i}")
            for i in range(n)
        ],
    )


def _drop_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_update")
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_delete")


@pytest.mark.django_db
def test_an_intact_log_verifies(capsys):
    _append(5)
    call_command("verify_access_log")
    assert "intact: 5 entries" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["actor_name", "categories", "outcome", "purpose", "at"])
def test_editing_any_field_of_any_row_is_detected(field):
    _append(4)
    _drop_triggers()
    from django.utils import timezone

    value = timezone.now() if field == "at" else "denied" if field == "outcome" else "forged"
    AccessLogEntry.objects.filter(seq=2).update(**{field: value})
    breaks = list(access_log_breaks())
    assert [b.seq for b in breaks] == [2]
    with pytest.raises(CommandError):
        call_command("verify_access_log")


@pytest.mark.django_db
def test_deleting_a_row_in_the_middle_is_detected():
    _append(4)
    _drop_triggers()
    AccessLogEntry.objects.filter(seq=3)._raw_delete(AccessLogEntry.objects.db)
    problems = [b.problem for b in access_log_breaks()]
    assert any("missing" in p for p in problems)


@pytest.mark.django_db
def test_deleting_the_last_row_is_detected_by_the_head():
    _append(3)
    _drop_triggers()
    AccessLogEntry.objects.filter(seq=3)._raw_delete(AccessLogEntry.objects.db)
    assert [b.problem for b in access_log_breaks()] == ["log ends at 2 but its head says 3"]


@pytest.mark.django_db
def test_rewriting_a_row_with_a_recomputed_plain_hash_is_detected():
    """Without the key, an attacker cannot forge a matching link."""
    import hashlib

    _append(2)
    _drop_triggers()
    forged = hashlib.sha256(b"forged").hexdigest()
    AccessLogEntry.objects.filter(seq=2).update(purpose="forged", hash=forged)
    assert list(access_log_breaks())


@pytest.mark.django_db
def test_the_app_cannot_change_or_delete_entries():
    _append(1)
    stored = AccessLogEntry.objects.get()
    stored.purpose = "changed"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()


@pytest.mark.django_db
def test_the_database_refuses_updates_and_deletes():
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.update(purpose="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.all()._raw_delete(AccessLogEntry.objects.db)
    assert AccessLogEntry.objects.get().purpose == "e0"
