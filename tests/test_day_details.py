"""The coordinator's day, the small things (issue 16 part 10): each as a person meets it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import current_code, login, make_client, make_consent, open_path, totp_device
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.consents.services import consent_withdraw
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.plans.tests.test_content import GOOD
from tyollisyystalo.selfservice.models import ClientAccount

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_every_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico")
    assert finders.find("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_paths_main_action_opens_the_plan_once_there_is_one(client, sari, aino):
    case = open_path(aino, sari, started_days_ago=10)
    login(client, aino)
    url = reverse("cases:detail", kwargs={"case_id": case.id})
    page = client.get(url).content.decode()
    assert re.search(r'class="button"[^>]*>Laadi suunnitelma<', page)
    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )
    page = client.get(url).content.decode()
    assert f'class="button" href="/suunnitelmat/{plan.pk}/">Avaa suunnitelma<' in page
    assert ">Laadi suunnitelma<" not in page
    assert "Laadi toinen suunnitelma" in page


@pytest.mark.django_db
def test_a_withdrawn_consent_says_when_it_was_withdrawn(client, sari, aino, employment, county):
    consent = make_consent(
        sari, disclosing=[employment], receiving=[county], categories=["plan"], recorder=aino
    )
    consent_withdraw(actor=aino, consent_id=consent.pk, method="oral")
    user = User.objects.create_user(username="sari-asiakas")
    ClientAccount.objects.create(user=user, client=sari)
    client.force_login(user)
    text = client.get(reverse("selfservice:home")).content.decode()
    assert f"Peruttu {TODAY.day}.{TODAY.month}.{TODAY.year}" in text
    assert "voimassa" not in text.split("Suostumuksesi")[1].split("</section>")[0]
    assert "Peru tämä suostumus" not in text


@pytest.mark.django_db
def test_a_refused_status_change_offers_only_the_states_allowed_now(client, sari, aino):
    case = open_path(aino, sari, started_days_ago=None)  # referred: may go to intake only
    login(client, aino)
    response = client.post(
        reverse("cases:transition", kwargs={"case_id": case.id}),
        {"to_status": "active", "on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    select = html[html.index('name="to_status"') :]
    select = select[: select.index("</select>")]
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert "active" not in offered
    assert "intake" in offered


@pytest.mark.django_db
def test_a_code_used_a_moment_ago_is_named_as_such(client, aino, settings):
    settings.AXES_ENABLED = False
    user = aino.user
    user.set_password("oikea-salasana-123")
    user.save()
    device = totp_device(user)
    code = current_code(device)
    form = {"username": user.username, "password": "oikea-salasana-123", "otp_token": code}
    assert client.post("/kirjaudu/", form).status_code == 302
    client.post(reverse("staff:logout"))
    again = client.post("/kirjaudu/", form)
    assert again.status_code == 400
    assert "Tämä vahvistuskoodi on jo käytetty" in again.content.decode()
    wrong = client.post("/kirjaudu/", {**form, "otp_token": f"{(int(code) + 1) % 10**6:06d}"})
    assert "Käyttäjätunnus, salasana tai vahvistuskoodi on väärin." in wrong.content.decode()


@pytest.mark.django_db
def test_the_organisations_log_links_only_clients_whose_log_opens(client, sari, aino, mikko, kela):
    """Aino reads Sari (a client of her organisation) and tries a client only Kela has: both
    are in the organisation's log, but only Sari's own log opens for Mikko, so only she is a
    link (the other is listed without one, not as a link to a 404)."""
    kelas = make_client(organisation=kela, name=("Kelan", "Asiakas"))
    client_card_get(staff=aino, client_id=sari.id, purpose="client card")
    with pytest.raises(Http404):  # refused as not found; the refusal is logged
        client_card_get(staff=aino, client_id=kelas.id, purpose="client card")
    login(client, mikko)
    page = client.get(reverse("audit:staff_log")).content.decode()
    links = set(re.findall(r'href="[^"]*?([0-9a-f-]{36})/"', page))
    assert str(sari.id) in links
    assert str(kelas.id) not in links
    assert str(kelas.id)[:12] in page  # listed, without a link
    for client_id in links:
        assert client.get(reverse("audit:client_log", args=[client_id])).status_code == 200


@pytest.mark.django_db
def test_staff_who_open_the_clients_own_pages_are_shown_the_way_to_their_work(client, aino):
    login(client, aino)
    response = client.get(reverse("selfservice:home"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Omat sivut ovat asiakkaille" in text
    assert reverse("staff:start") in text
    assert client.get(reverse("staff:start"))["Location"] == reverse("cases:caseload")
