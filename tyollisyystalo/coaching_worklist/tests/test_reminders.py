"""Worklist reminders through run_scheduled: once per item and due date, no client data."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tyollisyystalo.coaching_worklist.models import WorklistReminder
from tyollisyystalo.coaching_worklist.reminders import coach_reminders_send
from tyollisyystalo.coaching_worklist.tests.test_worklist import build


@pytest.mark.django_db
def test_reminded_once_and_again_only_for_new_items(askel, coach, team, provider):
    build(askel, coach, team, provider)
    coach.user.email = "valmentaja@example.com"
    coach.user.save()
    assert coach_reminders_send() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    # No client, no employer named.
    assert "Testi" not in body
    assert "Leipomo" not in body
    assert "Työssä jatkuvan tuen yhteydenottoja erääntynyt: 2" in body
    assert WorklistReminder.objects.filter(staff=coach).count() == 4
    # A second run, and run_scheduled, send nothing more.
    assert coach_reminders_send() == 0
    call_command("run_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    # Tomorrow nothing new has fallen due either (due dates did not move).
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert coach_reminders_send(at=tomorrow) == 0


@pytest.mark.django_db
def test_no_address_no_mail_and_nothing_marked(askel, coach, team, provider):
    build(askel, coach, team, provider)
    coach.user.email = ""
    coach.user.save()
    assert coach_reminders_send() == 0
    assert not WorklistReminder.objects.exists()
