"""Peer coaches, their sessions and the payroll CSV."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.coaching_modules.models import PeerCoach, PeerSession
from tyollisyystalo.coaching_modules.selectors import csv_cell
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def peer(askel, coach):
    return PeerCoach.objects.create(
        organisation=askel, name="Pekka Vertainen", payroll_reference="P-17", created_by=coach
    )


@pytest.fixture
def manager(askel):
    return StaffFactory.create(organisation=askel, role=Role.MANAGER)


def _session(peer, coach, day, minutes=60, fee="40.00", period=None):
    return PeerSession.objects.create(
        peer_coach=peer,
        held_on=day,
        duration_minutes=minutes,
        fee=Decimal(fee),
        period=period,
        created_by=coach,
    )


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))


@pytest.mark.django_db
def test_coach_records_a_session(client, coach, askel, peer):
    login(client, coach)
    url = reverse("coaching_modules:session_new", kwargs={"organisation_id": askel.pk})
    data = {
        "peer_coach": peer.pk,
        "held_on": "2026-11-03",
        "duration_minutes": "90",
        "fee": "55,50",
    }
    assert client.post(url, data).status_code == 302
    session = PeerSession.objects.get()
    assert (session.duration_minutes, session.fee, session.period) == (90, Decimal("55.50"), None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"duration_minutes": "0"},
        {"duration_minutes": "601"},
        {"fee": "-1"},
        {"fee": "abc"},
        {"held_on": "2999-01-01"},
        {"held_on": "3.11."},
    ],
)
def test_bad_session_is_400_and_keeps_input(client, coach, askel, peer, bad):
    login(client, coach)
    url = reverse("coaching_modules:session_new", kwargs={"organisation_id": askel.pk})
    data = {"peer_coach": peer.pk, "held_on": "2026-11-03", "duration_minutes": "90", "fee": "55"}
    data.update(bad)
    response = client.post(url, data)
    assert response.status_code == 400
    assert f'value="{data["duration_minutes"]}"' in response.text
    assert not PeerSession.objects.exists()


@pytest.mark.django_db
def test_session_on_a_period_is_logged_and_shown_on_the_period(client, coach, askel, peer, period):
    login(client, coach)
    url = reverse("coaching_modules:period_session_new", kwargs={"period_id": period.pk})
    data = {"peer_coach": peer.pk, "held_on": "2026-11-03", "duration_minutes": "45", "fee": "30"}
    assert client.post(url, data).status_code == 302
    assert PeerSession.objects.get().period == period
    assert AccessLogEntry.objects.filter(
        client_id=period.client_id, action="create", object_type="coaching_modules.peer_session"
    ).exists()
    page = client.get(reverse("coaching_modules:period", kwargs={"period_id": period.pk}))
    assert "Pekka Vertainen" in page.text


@pytest.mark.django_db
def test_payroll_csv_for_a_month(client, coach, manager, askel, peer, period):
    evil = PeerCoach.objects.create(
        organisation=askel, name="=HYPERLINK(1)", payroll_reference="+1", created_by=coach
    )
    _session(peer, coach, dt.date(2026, 11, 3), 90, "55.50", period=period)
    _session(evil, coach, dt.date(2026, 11, 30), 30, "10")
    _session(peer, coach, dt.date(2026, 10, 31))  # another month
    _session(peer, coach, dt.date(2026, 12, 1))  # another month
    login(client, manager)
    url = reverse("coaching_modules:payroll", kwargs={"organisation_id": askel.pk})
    response = client.get(url, {"kuukausi": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows == [
        ["peer_coach_id", "name", "payroll_reference", "date", "duration_minutes", "fee_eur"],
        [str(peer.pk), "Pekka Vertainen", "P-17", "2026-11-03", "90", "55.50"],
        [str(evil.pk), "'=HYPERLINK(1)", "'+1", "2026-11-30", "30", "10.00"],
    ]
    assert "Klaus" not in response.content.decode()  # no client data in payroll


@pytest.mark.django_db
def test_payroll_bad_month_is_400(client, manager, askel):
    login(client, manager)
    url = reverse("coaching_modules:payroll", kwargs={"organisation_id": askel.pk})
    for month in ("2026-13", "0000-01", "9999-12"):  # the last two were 500s (outside probe)
        assert client.get(url, {"kuukausi": month}).status_code == 400


@pytest.mark.django_db
def test_payroll_only_for_managers_and_team_leaders(client, coach, askel, team, peer, muu):
    url = reverse("coaching_modules:payroll", kwargs={"organisation_id": askel.pk})
    login(client, coach)
    assert client.get(url, {"kuukausi": "2026-11"}).status_code == 404
    other_manager = StaffFactory.create(organisation=muu, role=Role.MANAGER)
    login(client, other_manager)
    assert client.get(url, {"kuukausi": "2026-11"}).status_code == 404
    leader = StaffFactory.create(organisation=muu, role=Role.COORDINATOR)
    team.leaders.add(leader)
    login(client, leader)
    assert client.get(url, {"kuukausi": "2026-11"}).status_code == 200


@pytest.mark.django_db
def test_other_organisation_sees_no_peer_coaches(client, other_coach, askel, peer):
    login(client, other_coach)
    url = reverse("coaching_modules:peers", kwargs={"organisation_id": askel.pk})
    assert client.get(url).status_code == 404
    erase = reverse("coaching_modules:peer_erase", kwargs={"pk": peer.pk})
    assert client.post(erase).status_code == 404
    peer.refresh_from_db()
    assert peer.name == "Pekka Vertainen"


@pytest.mark.django_db
def test_erase_keeps_sessions_without_name(client, coach, peer):
    _session(peer, coach, dt.date(2026, 11, 3))
    login(client, coach)
    erase = reverse("coaching_modules:peer_erase", kwargs={"pk": peer.pk})
    assert client.post(erase).status_code == 302
    peer.refresh_from_db()
    assert (peer.name, peer.payroll_reference, peer.active) == ("", "", False)
    assert peer.erased_at is not None
    assert PeerSession.objects.filter(peer_coach=peer).count() == 1


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+358", "'+358"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("Ok", "Ok"),
    ],
)
def test_csv_cell_defuses_formulas(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.django_db
def test_peers_page_for_coach_and_manager(client, coach, manager, askel, peer):
    url = reverse("coaching_modules:peers", kwargs={"organisation_id": askel.pk})
    export = reverse("coaching_modules:payroll", kwargs={"organisation_id": askel.pk})
    login(client, coach)
    page = client.get(url)
    assert page.status_code == 200
    assert "Pekka Vertainen" in page.text
    assert export not in page.text
    index = client.get(reverse("coaching_modules:peers_index"))
    assert index.status_code == 302
    assert index["Location"] == url
    login(client, manager)
    page = client.get(url)
    assert export in page.text
    # A manager oversees but does not record peer coaches.
    new = reverse("coaching_modules:peer_new", kwargs={"organisation_id": askel.pk})
    assert client.post(new, {"name": "Uusi"}).status_code == 404
    assert PeerCoach.objects.count() == 1


@pytest.mark.django_db
def test_peer_coach_without_name_is_400(client, coach, askel):
    login(client, coach)
    new = reverse("coaching_modules:peer_new", kwargs={"organisation_id": askel.pk})
    response = client.post(new, {"name": "", "payroll_reference": "P-9"})
    assert response.status_code == 400
    assert 'value="P-9"' in response.text
    assert not PeerCoach.objects.exists()
