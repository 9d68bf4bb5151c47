"""The bell: what is new for me, only mine, linked to the thing, never telling what it is about."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import login, make_consent, make_person, open_path
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.reminders import deadline_reminders_send
from tyollisyystalo.cases.team import team_member_invite
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.contact_requests.services import ContactInput, contact_request_submit
from tyollisyystalo.notifications.models import Notification, NotificationKind
from tyollisyystalo.notifications.services import (
    notification_digests_send,
    notification_send,
    notifications_purge,
)
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.referrals.services import referral_answer, referral_send
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

INDEX = reverse("notifications:index")
OWN = reverse("notifications:own_index")


def main_of(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def header_of(response) -> str:
    text = response.content.decode()
    return text[: text.index("<main")]


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def account(sari):
    user = User.objects.create_user(username="sari-asiakas")
    return ClientAccount.objects.create(user=user, client=sari)


@pytest.mark.django_db
def test_send_reaches_each_active_recipient_once_and_refuses_outside_links(aino, bertta):
    bertta.user.is_active = False
    bertta.user.save()
    sent = notification_send(
        recipients=[aino.user, aino.user, bertta.user], kind=NotificationKind.MESSAGE, url="/x/"
    )
    assert sent == 1
    assert kinds(aino.user) == ["message"]
    assert kinds(bertta.user) == []
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "x/", "/a b/"):
        with pytest.raises(ValueError, match="not a path on this site"):
            notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url=bad)
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_the_bell_counts_my_unread_and_opening_marks_read_and_follows_the_link(client, aino, mikko):
    notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url="/polut/")
    notification_send(recipients=[aino.user], kind=NotificationKind.DUE_ITEM, url="/polut/")
    notification_send(recipients=[mikko.user], kind=NotificationKind.MESSAGE, url="/polut/")
    login(client, aino)
    page = client.get(INDEX)
    assert page.status_code == 200
    assert "2 uutta" in header_of(page)
    text = main_of(page)
    assert text.count("notification-list") == 1
    assert "Uusi viesti" in text
    assert "Määräaika lähestyy" in text
    mine = Notification.objects.filter(recipient=aino.user).order_by("pk").first()
    assert mine is not None
    opened = client.post(reverse("notifications:open", kwargs={"pk": mine.pk}))
    assert opened.status_code == 302
    assert opened["Location"] == "/polut/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "1 uusi" in header_of(client.get(INDEX))


@pytest.mark.django_db
def test_another_persons_notification_is_a_404_and_stays_unread(client, aino, mikko):
    notification_send(recipients=[mikko.user], kind=NotificationKind.MESSAGE, url="/polut/")
    theirs = Notification.objects.get()
    login(client, aino)
    assert client.post(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("notifications:read_all")).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Uusi viesti" not in main_of(client.get(INDEX))
    assert client.get(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 405


@pytest.mark.django_db
def test_a_client_has_a_bell_of_their_own_and_staff_pages_refuse_them(client, account, aino):
    notification_send(recipients=[account.user], kind=NotificationKind.APPOINTMENT, url="/omat/")
    client.force_login(account.user)
    page = client.get(OWN)
    assert page.status_code == 200
    assert "1 uusi" in header_of(page)
    assert "Tapaaminen" in main_of(page)
    assert client.get(INDEX).status_code == 302  # staff pages ask for a staff login
    item = Notification.objects.get()
    assert client.post(reverse("notifications:own_open", kwargs={"pk": item.pk}))["Location"] == (
        "/omat/"
    )
    client.logout()
    login(client, aino)
    assert client.get(OWN).status_code == 403


@pytest.mark.django_db
def test_a_bad_digest_choice_is_a_400_and_saves_nothing(client, aino):
    login(client, aino)
    bad = client.post(reverse("notifications:preference"), {"email_digest": "daily"})
    assert bad.status_code == 400
    assert "Valitse" in main_of(bad)
    from tyollisyystalo.notifications.models import NotificationPreference

    assert not NotificationPreference.objects.exists()
    ok = client.post(reverse("notifications:preference"), {"email_digest": "1"})
    assert ok.status_code == 302
    assert NotificationPreference.objects.get(user=aino.user).email_digest is True


@pytest.mark.django_db
def test_the_digest_counts_unread_once_a_day_and_says_nothing_of_them(aino, account, sari):
    aino.user.email = "aino@example.fi"
    aino.user.save()
    identity = ClientIdentity.objects.get(client=sari)
    identity.email = "sari@example.fi"
    identity.save()
    from tyollisyystalo.notifications.services import notification_preference_set

    notification_preference_set(user=aino.user, email_digest=True)
    notification_preference_set(user=account.user, email_digest=True)
    for _ in range(3):
        notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url="/polut/")
    notification_send(recipients=[account.user], kind=NotificationKind.APPOINTMENT, url="/omat/")
    now = timezone.now()
    assert notification_digests_send(at=now) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "3 lukematonta" in by_address["aino@example.fi"].subject
    assert "/omat/ilmoitukset/" in by_address["sari@example.fi"].body
    for message in mail.outbox:
        assert "viesti" not in message.body.lower()
        assert "tapaami" not in message.body.lower()
        assert "Sari" not in message.body
    # Not again the same day, nor the next day when nothing new came.
    assert notification_digests_send(at=now + dt.timedelta(hours=1)) == 0
    assert notification_digests_send(at=now + dt.timedelta(days=1)) == 0
    notification_send(
        recipients=[aino.user],
        kind=NotificationKind.DUE_ITEM,
        url="/polut/",
        at=now + dt.timedelta(days=1, hours=1),
    )
    assert notification_digests_send(at=now + dt.timedelta(days=2)) == 1
    assert "4 lukematonta" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_old_notifications_are_purged(aino):
    long_ago = timezone.now() - dt.timedelta(days=400)
    notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url="/a/", at=long_ago)
    notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url="/b/")
    Notification.objects.filter(url="/b/").update(read_at=timezone.now() - dt.timedelta(days=100))
    notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url="/c/")
    assert notifications_purge() == 2
    assert list(Notification.objects.values_list("url", flat=True)) == ["/c/"]


# The events that ring the bell.


@pytest.mark.django_db
def test_an_invitation_rings_the_invited_and_nobody_else(sari, aino, bertta, mikko):
    case = open_path(aino, sari)
    nurse = make_person("noora", "Noora Hoitaja", bertta.organisation, Role.NURSE)
    team_member_invite(actor=aino, case_id=case.id, staff_member=nurse, role_in_case="Hoitaja")
    assert kinds(nurse.user) == ["invitation"]
    assert kinds(mikko.user) == []
    assert kinds(aino.user) == []


@pytest.mark.django_db
def test_an_answered_referral_rings_the_sender(sari, aino, employment):
    ngo = Organisation.objects.create(code="klubitalo", name_fi="Klubitalo", type="ngo")
    coach = make_person("jussi", "Jussi Valmentaja", ngo, Role.JOB_COACH)
    case = open_path(aino, sari)
    make_consent(
        sari,
        disclosing=[employment],
        receiving=[ngo],
        categories=["identity", "education_work"],
        recorder=aino,
    )
    referral = referral_send(
        actor=aino,
        case_id=case.id,
        reason="Työhönvalmennus",
        categories=["education_work"],
        receiving_organisation=ngo,
    )
    assert kinds(aino.user) == []
    referral_answer(actor=coach, referral_id=referral.id, accept=True)
    item = Notification.objects.get(recipient=aino.user)
    assert item.kind == "referral_answer"
    assert item.url == reverse("referrals:detail", kwargs={"referral_id": referral.id})


@pytest.mark.django_db
def test_a_contact_request_rings_the_handlers_of_its_municipality_only(db):
    here = Municipality.objects.create(code="X01", name_fi="Esimerkkilä")
    there = Municipality.objects.create(code="X02", name_fi="Pohjala")
    south = Organisation.objects.create(code="south", name_fi="Etelä")
    south.municipalities.set([here])
    north = Organisation.objects.create(code="north", name_fi="Pohjoinen")
    north.municipalities.set([there])
    handler = make_person("aino", "Aino Koordinaattori", south, Role.COORDINATOR)
    other = make_person("pekka", "Pekka Pohjalainen", north, Role.COORDINATOR)
    contact_request_submit(
        data=ContactInput(
            name="Maija Meikäläinen",
            municipality=here,
            phone="+358401234567",
            consent_contact=True,
            consent_store=True,
        ),
        source="10.0.0.1",
    )
    assert kinds(handler.user) == ["contact_request"]
    assert kinds(other.user) == []


@pytest.mark.django_db
def test_due_deadlines_ring_in_the_app_without_an_email_address(sari, aino):
    open_path(aino, sari, started_days_ago=95)
    assert not aino.user.email
    deadline_reminders_send()
    assert kinds(aino.user) == ["due_item"]
    deadline_reminders_send()
    assert kinds(aino.user) == ["due_item"]


@pytest.mark.django_db
def test_opening_a_notification_logs_no_client_read(client, aino):
    notification_send(recipients=[aino.user], kind=NotificationKind.MESSAGE, url="/polut/")
    login(client, aino)
    client.get(INDEX)
    client.post(reverse("notifications:open", kwargs={"pk": Notification.objects.get().pk}))
    assert not AccessLogEntry.objects.exists()
    assert not re.search(r"[0-9A-F]{6}[-+A]\d{3}", main_of(client.get(INDEX)))
