"""Signed checkpoints outside the database and `verify_access_log --checkpoints` (ADR 0019)."""

import datetime as dt
import json
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from tyollisyystalo.audit import chain
from tyollisyystalo.audit.checkpoints import FILE_NAME, access_log_checkpoints_write
from tyollisyystalo.audit.models import AccessLogEntry, Action, ChainHead, LogCheckpoint, Outcome
from tyollisyystalo.audit.selectors import access_log_breaks
from tyollisyystalo.audit.services import LogEvent, access_log_append


def _append(actor, n):
    access_log_append(
        actor=actor,
        events=[
            LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose=f"e{i}")
            for i in range(n)
        ],
    )


def _lines(directory):
    path = directory / FILE_NAME
    return path.read_text().splitlines() if path.exists() else []


def _as_attacker(statements):
    """A database superuser: append-only triggers off, then the statements in one transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_update")
            cursor.execute("DROP TRIGGER audit_accesslogentry_no_delete")
    with transaction.atomic():
        statements()


def _verify_with(path):
    call_command("verify_access_log", "--checkpoints", str(path))


@pytest.fixture
def witness(settings, tmp_path):
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{tmp_path}"
    settings.ACCESS_LOG_CHECKPOINT_MINUTES = 60
    return tmp_path


@pytest.mark.django_db
def test_run_scheduled_writes_one_signed_line_per_chain_to_the_directory(witness, aino, bertta):
    _append(aino, 3)
    _append(bertta, 2)
    _append(None, 1)
    call_command("run_scheduled")
    lines = [json.loads(line) for line in _lines(witness)]
    heads = dict(ChainHead.objects.values_list("chain", "hash"))
    assert {(c["chain"], c["seq"], c["hash"]) for c in lines} == {
        (f"org-{aino.organisation_id}", 3, heads[f"org-{aino.organisation_id}"]),
        (f"org-{bertta.organisation_id}", 2, heads[f"org-{bertta.organisation_id}"]),
        ("system", 1, heads["system"]),
    }
    assert all(c["kind"] == "tt-access-log-checkpoint" and len(c["sig"]) == 64 for c in lines)
    _verify_with(witness)


@pytest.mark.django_db
def test_a_chain_is_checkpointed_again_only_when_it_moved_and_the_interval_passed(
    witness, aino, bertta
):
    now = timezone.now()
    _append(aino, 1)
    _append(bertta, 1)
    assert access_log_checkpoints_write(at=now) == 2
    assert access_log_checkpoints_write(at=now + dt.timedelta(hours=2)) == 0  # nothing moved
    _append(aino, 1)
    assert access_log_checkpoints_write(at=now + dt.timedelta(minutes=5)) == 0  # too soon
    assert access_log_checkpoints_write(at=now + dt.timedelta(minutes=61)) == 1
    assert len(_lines(witness)) == 3


@pytest.mark.django_db
def test_no_sink_configured_writes_nothing(settings, aino):
    settings.ACCESS_LOG_CHECKPOINT_SINK = ""
    _append(aino, 1)
    assert access_log_checkpoints_write() == 0
    assert not LogCheckpoint.objects.exists()


@pytest.mark.django_db
def test_a_failing_sink_records_nothing_and_run_scheduled_reports_it(settings, tmp_path, aino):
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{tmp_path / 'missing'}"
    _append(aino, 1)
    with pytest.raises(CommandError, match="access log checkpoints"):
        call_command("run_scheduled")
    assert not LogCheckpoint.objects.exists()


@pytest.mark.django_db
def test_deleting_the_last_entries_and_rewinding_the_head_is_caught_by_the_checkpoints(
    witness, aino, bertta
):
    _append(aino, 5)
    _append(bertta, 2)
    access_log_checkpoints_write()
    employment = f"org-{aino.organisation_id}"
    third = AccessLogEntry.objects.get(chain=employment, seq=3)

    def truncate():
        AccessLogEntry.objects.filter(chain=employment, seq__gt=3)._raw_delete(
            AccessLogEntry.objects.db
        )
        ChainHead.objects.filter(chain=employment).update(seq=3, hash=third.hash)

    _as_attacker(truncate)

    assert list(access_log_breaks()) == []  # the chain alone cannot see it
    call_command("verify_access_log")
    with pytest.raises(CommandError, match="not intact"):
        _verify_with(witness)


@pytest.mark.django_db
def test_the_checkpoint_problems_say_what_happened(witness, aino, capsys):
    _append(aino, 4)
    access_log_checkpoints_write()
    employment = f"org-{aino.organisation_id}"
    second = AccessLogEntry.objects.get(chain=employment, seq=2)

    def truncate():
        AccessLogEntry.objects.filter(chain=employment, seq__gt=2)._raw_delete(
            AccessLogEntry.objects.db
        )
        ChainHead.objects.filter(chain=employment).update(seq=2, hash=second.hash)

    _as_attacker(truncate)
    with pytest.raises(CommandError):
        _verify_with(witness)
    err = capsys.readouterr().err
    assert f"chain {employment}: head at entry 2 is behind the checkpoint at entry 4" in err
    assert f"chain {employment}: entry 4 of a checkpoint is missing" in err


@pytest.mark.django_db
def test_a_chain_rewritten_with_the_key_is_caught_by_the_checkpoints(witness, aino, capsys):
    """Someone holding the database and the key can recompute a chain; not the witness."""
    _append(aino, 3)
    access_log_checkpoints_write()
    employment = f"org-{aino.organisation_id}"
    key_id, keys = chain.mac_keys()
    fields = ["chain", *chain.CHAINED_FIELDS]

    def rewrite():
        previous = chain.GENESIS
        for entry in AccessLogEntry.objects.filter(chain=employment).order_by("seq"):
            values = {name: getattr(entry, name) for name in fields}
            values["prev_hash"] = previous
            if entry.seq == 2:
                values["purpose"] = "nothing to see"
            previous = chain.link_hash(values, keys[key_id])
            AccessLogEntry.objects.filter(pk=entry.pk).update(
                purpose=values["purpose"], prev_hash=values["prev_hash"], hash=previous
            )
        ChainHead.objects.filter(chain=employment).update(hash=previous)

    _as_attacker(rewrite)
    assert list(access_log_breaks()) == []
    with pytest.raises(CommandError):
        _verify_with(witness)
    assert f"chain {employment}: entry 3 differs from its checkpoint: rewritten" in (
        capsys.readouterr().err
    )


@pytest.mark.django_db
def test_a_forged_checkpoint_line_is_refused(witness, aino, capsys):
    _append(aino, 2)
    access_log_checkpoints_write()
    line = json.loads(_lines(witness)[0])
    line["seq"] = 1
    with (witness / FILE_NAME).open("a") as f:
        f.write(json.dumps(line) + "\n")
    with pytest.raises(CommandError):
        _verify_with(witness)
    assert "checkpoint signature does not verify" in capsys.readouterr().err


@pytest.mark.django_db
def test_checkpoints_go_to_syslog_and_a_saved_syslog_file_verifies(settings, tmp_path, aino):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    try:
        settings.ACCESS_LOG_CHECKPOINT_SINK = f"syslog://127.0.0.1:{receiver.getsockname()[1]}"
        _append(aino, 2)
        assert access_log_checkpoints_write() == 1
        message = receiver.recv(65536).decode()
    finally:
        receiver.close()
    assert message.startswith("<")  # the priority
    assert "tyollisyystalo: " in message  # the ident
    saved = tmp_path / "auth.log"
    saved.write_text(f"Dec  3 08:00:00 host {message}\n")
    _verify_with(saved)


@pytest.mark.django_db
def test_checkpoints_go_by_email_and_the_saved_message_verifies(settings, tmp_path, aino):
    settings.ACCESS_LOG_CHECKPOINT_SINK = "mailto:auditors@example.fi,registrar@example.fi"
    _append(aino, 2)
    assert access_log_checkpoints_write() == 1
    (message,) = mail.outbox
    assert message.to == ["auditors@example.fi", "registrar@example.fi"]
    saved = tmp_path / "checkpoints.eml"
    saved.write_text(message.body)
    _verify_with(saved)


@pytest.mark.django_db
def test_several_sinks_get_the_same_checkpoints(settings, tmp_path, aino):
    settings.ACCESS_LOG_CHECKPOINT_SINK = f"file://{tmp_path} mailto:auditors@example.fi"
    _append(aino, 1)
    assert access_log_checkpoints_write() == 1
    assert _lines(tmp_path)[0] in mail.outbox[0].body


def test_a_malformed_sink_is_a_system_check_error(settings):
    from tyollisyystalo.audit.checks import checkpoint_sink_set, checkpoint_sink_valid

    settings.ACCESS_LOG_CHECKPOINT_SINK = "ftp://witness.example.fi/log"
    assert [m.id for m in checkpoint_sink_valid()] == ["audit.E001"]
    settings.ACCESS_LOG_CHECKPOINT_SINK = ""
    assert [m.id for m in checkpoint_sink_set()] == ["audit.W001"]
    settings.ACCESS_LOG_CHECKPOINT_SINK = "syslog: mailto:auditors@example.fi"
    assert checkpoint_sink_valid() == []
    assert checkpoint_sink_set() == []
