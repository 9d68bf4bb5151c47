import pytest
from django.urls import reverse

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry, Action, Outcome
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.staff.roles import Role


def client_log_url(client):
    return reverse("audit:client_log", kwargs={"client_id": client.id})


@pytest.mark.django_db
def test_manager_sees_who_read_a_client_of_the_organisation(client, sari, aino, mikko):
    client_card_get(staff=aino, client_id=sari.id, purpose="test")
    login(client, mikko)
    response = client.get(client_log_url(sari))
    assert response.status_code == 200
    assert aino.display_name in response.text
    assert AccessLogEntry.objects.filter(
        action="read_log", actor_user_id=mikko.user_id, client_id=sari.id
    ).exists()


@pytest.mark.django_db
def test_coordinator_in_the_team_sees_the_clients_log(client, sari, aino):
    login(client, aino)
    assert client.get(client_log_url(sari)).status_code == 200


@pytest.mark.django_db
def test_coordinator_outside_the_client_gets_nothing_and_is_logged_as_denied(client, sari, kela):
    stranger = StaffFactory.create(organisation=kela, role=Role.COORDINATOR)
    login(client, stranger)
    response = client.get(client_log_url(sari))
    assert response.status_code == 404
    assert "Esimerkki" not in response.text
    assert list(
        AccessLogEntry.objects.filter(actor_user_id=stranger.user_id).values_list(
            "action", "outcome"
        )
    ) == [("read_log", "denied")]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.JOB_COACH, Role.NURSE, Role.SERVICE_EDITOR])
def test_roles_without_log_duty_are_refused(client, sari, employment, role):
    login(client, StaffFactory.create(organisation=employment, role=role))
    assert client.get(reverse("audit:staff_log")).status_code == 403
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert client.get(client_log_url(sari)).status_code in (403, 404)
    assert not AccessLogEntry.objects.filter(outcome="allowed").filter(id__gt=before).exists()


@pytest.mark.django_db
def test_staff_log_filters_by_person_and_action(client, sari, aino, mikko, employment):
    eero = StaffFactory.create(organisation=employment, role=Role.EMPLOYMENT_EXPERT)
    client_card_get(staff=aino, client_id=sari.id, purpose="test")
    login(client, mikko)
    response = client.get(reverse("audit:staff_log"), {"user": aino.pk, "action": "read"})
    assert response.status_code == 200
    assert aino.display_name in response.text
    assert eero.display_name not in response.text.split("<table>")[1]


@pytest.mark.django_db
def test_bad_filter_dates_are_a_400_with_the_reason(client, mikko):
    login(client, mikko)
    response = client.get(
        reverse("audit:staff_log"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "Loppupäivä ei voi olla ennen alkupäivää" in response.text


@pytest.mark.django_db
def test_log_shows_categories_and_roles_in_the_readers_language(client, sari, aino, mikko):
    client_card_get(staff=aino, client_id=sari.id, purpose="test")
    login(client, mikko)
    text = client.get(reverse("audit:staff_log")).text
    assert "Henkilö- ja yhteystiedot" in text
    assert "Työkykykoordinaattori" in text
    assert "employment_services" not in text
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert "Person- och kontaktuppgifter" in client.get(reverse("audit:staff_log")).text


@pytest.mark.django_db
def test_staff_log_shows_the_organisations_own_chain_and_its_entries_of_the_legacy_chain(
    aino, bertta, mikko
):
    from tyollisyystalo.audit.selectors import LogFilter, access_log_for_organisation
    from tyollisyystalo.audit.services import LogEvent, access_log_append

    event = LogEvent(action=Action.READ, outcome=Outcome.ALLOWED, client_id=None, purpose="x")
    access_log_append(actor=aino, events=[event])
    access_log_append(actor=bertta, events=[event])
    own = AccessLogEntry.objects.get(actor_user_id=aino.user_id)
    legacy = {
        f.attname: getattr(own, f.attname)
        for f in AccessLogEntry._meta.concrete_fields
        if not f.primary_key
    }
    AccessLogEntry.objects.create(**{**legacy, "chain": "legacy", "hash": "1" * 64})
    legacy_other = {**legacy, "chain": "legacy", "seq": 2, "hash": "2" * 64}
    legacy_other["actor_organisation_id"] = bertta.organisation_id
    AccessLogEntry.objects.create(**legacy_other)

    shown = access_log_for_organisation(staff=mikko, f=LogFilter())
    assert sorted((e.chain, e.actor_organisation_id) for e in shown) == [
        ("legacy", aino.organisation_id),
        (f"org-{aino.organisation_id}", aino.organisation_id),
        (f"org-{aino.organisation_id}", mikko.organisation_id),  # mikko's own read_log entry
    ]
