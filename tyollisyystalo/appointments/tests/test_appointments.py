"""Appointments: booked on an open path, seen by the client only on their own pages, cancelled
or asked to move by them, reminded once with only the time, a calendar with no client in it,
and a meeting that took place counted as the last contact on My clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login, make_client, make_person, open_path
from tyollisyystalo.appointments import sms
from tyollisyystalo.appointments.models import Appointment, MoveRequest, Reminder
from tyollisyystalo.appointments.services import (
    appointment_book,
    appointment_change,
    appointment_close,
    appointment_reminders_send,
    calendar_feed_renew,
)
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.notifications.models import Notification
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

NOW = timezone.now()


def main_of(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


@pytest.fixture
def path(sari, aino):
    return open_path(aino, sari)


@pytest.fixture
def account(sari):
    identity = ClientIdentity.objects.get(client=sari)
    identity.email = "sari@example.fi"
    identity.phone = "+358401234567"
    identity.save()
    return ClientAccount.objects.create(user=User.objects.create_user("sari-a"), client=sari)


def book(actor, path, start=None, **kwargs):
    start = start or NOW + dt.timedelta(hours=20)
    values = {
        "kind": "review",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=1),
        "place": "Työllisyyspalvelut, huone 3",
        "purpose": "Katsotaan yhdessä, miten työkokeilu on sujunut.",
    }
    values.update(kwargs)
    return appointment_book(actor=actor, case_id=path.pk, **values)


@pytest.mark.django_db
def test_booking_tells_the_client_and_the_other_participants(path, aino, bertta, account):
    appointment = book(aino, path, participants=[bertta], others=["employer", "employer"])
    assert appointment.category == "plan"
    assert appointment.others == ["employer"]
    assert set(appointment.participants.all()) == {aino, bertta}
    assert Notification.objects.filter(recipient=account.user, kind="appointment").count() == 1
    assert Notification.objects.filter(recipient=bertta.user, kind="appointment").count() == 1
    assert not Notification.objects.filter(recipient=aino.user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": NOW - dt.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": NOW + dt.timedelta(hours=19)}, "ends_at"),
        ({"place": "", "remote_url": ""}, "place"),
        ({"place": "", "remote_url": "http://meet.example/x"}, "remote_url"),
        ({"kind": "party"}, "kind"),
        ({"others": ["neighbour"]}, "others"),
    ],
)
def test_bad_bookings_are_refused_and_nothing_is_kept(path, aino, change, field):
    with pytest.raises(ValidationError) as caught:
        book(aino, path, **change)
    assert field in caught.value.message_dict
    assert not Appointment.objects.exists()


def change_values(appointment, **kwargs):
    values = {
        "kind": appointment.kind,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "place": appointment.place,
        "remote_url": appointment.remote_url,
        "purpose": appointment.purpose,
    }
    values.update(kwargs)
    return values


@pytest.mark.django_db
def test_a_new_time_is_told_reminded_anew_and_answers_the_request_to_move(
    path, aino, bertta, account
):
    appointment = book(aino, path, start=NOW + dt.timedelta(hours=5), participants=[bertta])
    appointment_reminders_send()
    MoveRequest.objects.create(appointment=appointment, preferred="Ensi viikolla")
    Notification.objects.all().delete()
    later = NOW + dt.timedelta(days=7)
    appointment_change(
        actor=aino,
        appointment_id=appointment.pk,
        participants=[],
        **change_values(appointment, starts_at=later, ends_at=later + dt.timedelta(minutes=45)),
    )
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    assert set(appointment.participants.all()) == {aino}
    assert not Reminder.objects.filter(appointment=appointment).exists()
    assert not MoveRequest.objects.filter(handled_at__isnull=True).exists()
    # The client and bertta, who no longer takes part, hear of it; aino made it.
    assert Notification.objects.filter(recipient=account.user, kind="appointment").count() == 1
    assert Notification.objects.filter(recipient=bertta.user, kind="appointment").count() == 1
    assert not Notification.objects.filter(recipient=aino.user).exists()
    assert AccessLogEntry.objects.filter(
        object_type="appointment", object_id=str(appointment.pk), purpose="appointment changed"
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": NOW - dt.timedelta(hours=2), "ends_at": NOW - dt.timedelta(hours=1)},
        {"remote_url": "javascript:alert(1)"},
        {"participants": "kela"},
    ],
)
def test_a_bad_change_is_refused_and_nothing_changes(path, aino, cecilia, change):
    appointment = book(aino, path)
    if change.get("participants") == "kela":
        change = {"participants": [cecilia]}  # another organisation, not in the client's team
    before = (appointment.starts_at, appointment.remote_url, set(appointment.participants.all()))
    with pytest.raises(ValidationError):
        appointment_change(
            actor=aino,
            appointment_id=appointment.pk,
            **change_values(appointment, **change),
        )
    appointment.refresh_from_db()
    after = (appointment.starts_at, appointment.remote_url, set(appointment.participants.all()))
    assert after == before


@pytest.mark.django_db
def test_the_change_form_and_who_may_use_it(client, path, aino, bertta):
    appointment = book(aino, path)
    url = reverse("appointments:change", kwargs={"appointment_id": appointment.pk})
    # Oracle: only the path's organisation writes its records. A coordinator of another
    # organisation (no basis) gets a 404; the county's nurse, whose role manages no paths, a 403.
    other = make_person("olavi", "Olavi Muu", bertta.organisation, Role.COORDINATOR)
    for outsider, expected in ((other, 404), (bertta, 403)):
        login(client, outsider)
        assert client.get(url).status_code == expected
        day = timezone.localdate() + dt.timedelta(days=2)
        post = {"kind": "first", "day": day, "start": "09:00", "end": "10:00", "place": "X"}
        assert client.post(url, post).status_code == expected
        assert not AccessLogEntry.objects.filter(
            actor_user_id=outsider.user_id, outcome=Outcome.ALLOWED
        ).exists()
    appointment.refresh_from_db()
    assert appointment.kind == "review"
    login(client, aino)
    form = client.get(url)
    assert form.status_code == 200
    assert "huone 3" in main_of(form)
    bad = client.post(
        url, {"kind": "review", "day": "2000-01-01", "start": "10:00", "end": "11:00"}
    )
    assert bad.status_code == 400
    assert "menneisyyteen" in main_of(bad)
    day = timezone.localdate() + dt.timedelta(days=2)
    ok = client.post(
        url,
        {
            "kind": "first",
            "day": day,
            "start": "09:00",
            "end": "10:00",
            "remote_url": "https://m.example/x",
        },
    )
    assert ok.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.kind, timezone.localtime(appointment.starts_at).hour) == ("first", 9)


@pytest.mark.django_db
def test_the_booking_form_answers_bad_input_with_400(client, path, aino):
    login(client, aino)
    url = reverse("appointments:book", kwargs={"case_id": path.pk})
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"kind": "review", "day": "2000-01-01", "start": "10:00", "end": "09:00", "place": "X"}
    )
    assert bad.status_code == 400
    assert "menneisyyteen" in main_of(bad)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["coordinator", "nurse_in_team_no_consent", "colleague", "kela"])
def test_an_appointment_opens_to_those_who_may_read_the_path(
    client, path, aino, bertta, cecilia, reader
):
    appointment = book(aino, path)
    colleague = make_person("eero", "Eero Kollega", aino.organisation, Role.COORDINATOR)
    staff = {
        "coordinator": aino,
        "nurse_in_team_no_consent": bertta,
        "colleague": colleague,
        "kela": cecilia,
    }[reader]
    # The oracle: the path's organisation's professionals whose role reads plans, as the client
    # is its client (in the team, or on duty as a colleague); another organisation needs the
    # client's consent to the plan category (none here, so the county's nurse sees nothing,
    # though she is in the team); Kela, with no relationship, sees nothing.
    expected = reader in ("coordinator", "colleague")
    login(client, staff)
    page = client.get(reverse("appointments:detail", kwargs={"appointment_id": appointment.pk}))
    reads = AccessLogEntry.objects.filter(
        actor_user_id=staff.user_id,
        object_type="appointment",
        outcome=Outcome.ALLOWED,
        action="read",
    )
    if expected:
        assert page.status_code == 200
        assert "huone 3" in main_of(page)
        assert reads.exists()
    else:
        assert page.status_code == 404
        assert reads.count() == 0
        cancel = client.post(
            reverse("appointments:detail", kwargs={"appointment_id": appointment.pk}),
            {"action": "cancel"},
        )
        assert cancel.status_code == 404
        appointment.refresh_from_db()
        assert appointment.status == "booked"


@pytest.mark.django_db
def test_the_client_sees_their_own_asks_to_move_and_cancels(
    client, path, aino, account, employment
):
    appointment = book(aino, path)
    client.force_login(account.user)
    listing = main_of(client.get(reverse("appointments:own_index")))
    assert "Seurantatapaaminen" in listing
    url = reverse("appointments:own_detail", kwargs={"appointment_id": appointment.pk})
    assert "huone 3" in main_of(client.get(url))
    empty = client.post(url, {"action": "move", "preferred": " "})
    assert empty.status_code == 400
    assert not MoveRequest.objects.exists()
    moved = client.post(url, {"action": "move", "preferred": "Tiistaisin aamupäivällä"})
    assert moved.status_code == 302
    assert MoveRequest.objects.filter(appointment=appointment).count() == 1
    assert Notification.objects.filter(recipient=aino.user, kind="appointment").count() == 1
    cancelled = client.post(url, {"action": "cancel", "reason": "Sairastuin"})
    assert cancelled.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert appointment.cancelled_by_client
    other = make_client(organisation=employment, name=("Olli", "Muu"))
    account2 = ClientAccount.objects.create(user=User.objects.create_user("olli"), client=other)
    client.force_login(account2.user)
    assert client.get(url).status_code == 404
    assert "Seurantatapaaminen" not in main_of(client.get(reverse("appointments:own_index")))


@pytest.mark.django_db
def test_reminders_are_sent_once_with_only_the_time(settings, path, aino, account):
    settings.SMS_BACKEND = "tyollisyystalo.appointments.sms.MemoryBackend"
    sms.outbox.clear()
    aino.user.email = "aino@example.fi"
    aino.user.save()
    book(aino, path, start=NOW + dt.timedelta(hours=30))  # not yet
    soon = book(aino, path, start=NOW + dt.timedelta(hours=5))
    mail.outbox.clear()
    assert appointment_reminders_send() == 2  # the client and aino, for the one coming soon
    assert appointment_reminders_send() == 0
    assert Reminder.objects.filter(appointment=soon).count() == 2
    assert len(sms.outbox) == 1
    number, text = sms.outbox[0]
    assert number == "+358401234567"
    for body in [text] + [m.body for m in mail.outbox]:
        assert "huone 3" not in body
        assert "työkokeilu" not in body.lower()
        assert "Sari" not in body
    assert "/omat/tapaamiset/" in text


@pytest.mark.django_db
def test_the_calendar_feed_names_no_client_and_an_old_address_stops(client, path, aino, sari):
    book(aino, path)
    token = calendar_feed_renew(staff=aino)
    feed = client.get(f"/kalenteri/{token}.ics")
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "Tapaaminen: seurantatapaaminen" in body
    identity = ClientIdentity.objects.get(client=sari)
    assert identity.last_name not in body
    assert "huone 3" not in body
    assert "työkokeilu" not in body.lower()
    new = calendar_feed_renew(staff=aino)
    assert client.get(f"/kalenteri/{token}.ics").status_code == 404
    assert client.get(f"/kalenteri/{new}.ics").status_code == 200
    assert client.get("/kalenteri/arvattu.ics").status_code == 404


@pytest.mark.django_db
def test_a_meeting_that_took_place_is_the_last_contact_on_my_clients(client, path, aino):
    appointment = book(aino, path, start=NOW + dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        appointment_close(actor=aino, appointment_id=appointment.pk, status="done")
    later = NOW + dt.timedelta(hours=2)
    appointment_close(actor=aino, appointment_id=appointment.pk, status="done", at=later)
    login(client, aino)
    page = main_of(client.get(reverse("cases:caseload")))
    day = timezone.localtime(appointment.starts_at).date()
    assert f"<td>{day.day}.{day.month}.{day.year}</td>" in page


@pytest.mark.django_db
def test_the_own_export_holds_the_clients_appointments_and_requests(
    path, aino, account, employment
):
    from tyollisyystalo.appointments.services import appointment_move_request
    from tyollisyystalo.selfservice.selectors import own_export

    appointment = book(aino, path, others=["interpreter"])
    appointment_move_request(
        client_id=account.client_id, appointment_id=appointment.pk, preferred="Perjantaina"
    )
    other = make_client(organisation=employment, name=("Olli", "Muu"))
    [row] = own_export(client_id=account.client_id)["appointments"]
    assert (row["kind"], row["others"], row["purpose"]) == (
        "review",
        ["interpreter"],
        "Katsotaan yhdessä, miten työkokeilu on sujunut.",
    )
    assert row["move_requests"][0]["preferred"] == "Perjantaina"
    assert own_export(client_id=other.pk)["appointments"] == []
