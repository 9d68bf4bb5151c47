"""Reminders: sent once, caught up after a pause, never naming the client."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tyollisyystalo.cases.models import CaseDeadline
from tyollisyystalo.cases.reminders import deadline_reminders_send
from tyollisyystalo.cases.services import case_open, case_transition

TODAY = timezone.localdate()


@pytest.fixture
def started(sari, aino):
    aino.user.email = "aino@example.fi"
    aino.user.save()
    case = case_open(
        actor=aino,
        client_id=sari.id,
        entry_route="self",
        referred_on=TODAY - dt.timedelta(days=100),
        coordinator=aino,
    )
    # Started 95 days ago: the 1- and 3-month reviews are overdue, the others ahead.
    case_transition(
        actor=aino, case_id=case.id, to_status="intake", on=TODAY - dt.timedelta(days=95)
    )
    return case


@pytest.mark.django_db
def test_overdue_reviews_are_reminded_once_with_no_client_data(started, sari):
    assert deadline_reminders_send() == 1
    message = mail.outbox[0]
    assert message.to == ["aino@example.fi"]
    assert "myöhässä" in message.body
    assert f"/polut/{started.id}/" in message.body
    assert "Sari" not in message.body
    assert "Esimerkki" not in message.body
    reminded = CaseDeadline.objects.filter(reminded_on=TODAY).count()
    assert reminded == 2
    assert deadline_reminders_send() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_run_after_a_pause_catches_up_on_what_came_due(started):
    deadline_reminders_send()
    later = timezone.now() + dt.timedelta(days=120)
    assert deadline_reminders_send(at=later) == 1
    # The 6-month review (due 87 days after the first run) was never reminded before.
    assert CaseDeadline.objects.filter(reminded_on__isnull=False).count() == 3
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_closed_paths_and_done_reviews_are_not_reminded(started, aino):
    case_transition(
        actor=aino, case_id=started.id, to_status="closed", on=TODAY, outcome="declined"
    )
    assert deadline_reminders_send() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_run_scheduled_runs_every_job_and_is_idempotent(started):
    call_command("run_scheduled")
    call_command("run_scheduled")
    assert len(mail.outbox) == 1
