"""The client's own pages: own data only, consents withdrawn, answers over time, the log."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from conftest import login, make_client, make_consent, open_path
from tyollisyystalo.access.gatekeeper import access_context_load, decide_read
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.instruments.models import InstrumentResponse, InstrumentSuggestion
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.plans.tests.test_content import GOOD
from tyollisyystalo.selfservice.auth import ClientOIDCBackend
from tyollisyystalo.selfservice.models import ClientAccount

TODAY = timezone.localdate()


def account_for(client_obj, username="sari-asiakas"):
    user = User.objects.create_user(username=username)
    return ClientAccount.objects.create(user=user, client=client_obj)


@pytest.fixture
def sari_path(sari, aino):
    case = open_path(aino, sari, started_days_ago=10)
    plan_create(actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD)
    return case


@pytest.mark.django_db
def test_client_sees_plan_next_review_consents_and_who_read_the_data(
    client, sari, aino, sari_path, employment, county
):
    make_consent(
        sari, disclosing=[employment], receiving=[county], categories=["plan"], recorder=aino
    )
    client_card_get(staff=aino, client_id=sari.id, purpose="client card")
    client.force_login(account_for(sari).user)
    text = client.get(reverse("selfservice:home")).content.decode()
    assert "Omat sivut" in text
    assert "Työkokeilu kevään aikana" in text  # the plan's goal
    assert "Väliarviointi" in text
    assert "Kartoitamme tilannettasi" in text
    assert "Peru tämä suostumus" in text
    assert "Esimerkkilän työllisyyspalvelut" in text  # who read, by organisation
    assert "perustietosi ja kirjaukset" in text


@pytest.mark.django_db
def test_client_sees_only_their_own_data(client, sari, aino, sari_path, employment):
    other = make_client(organisation=employment, name=("Olli", "Toinen"))
    client.force_login(account_for(other, "olli").user)
    text = client.get(reverse("selfservice:home")).content.decode()
    assert "Olli" in text
    assert "Työkokeilu kevään aikana" not in text
    consent = make_consent(
        sari, disclosing=[employment], receiving=[employment], categories=["plan"], recorder=aino
    )
    response = client.post(
        reverse("selfservice:consent_withdraw", kwargs={"consent_id": consent.pk})
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.django_db
def test_withdrawing_a_consent_closes_the_data_at_once(
    client, sari, aino, bertta, sari_path, employment, county
):
    consent = make_consent(
        sari, disclosing=[employment], receiving=[county], categories=["plan"], recorder=aino
    )
    assert decide_read(
        bertta, access_context_load(sari.id), owner_organisation_id=employment.pk, category="plan"
    ).allowed
    client.force_login(account_for(sari).user)
    url = reverse("selfservice:consent_withdraw", kwargs={"consent_id": consent.pk})
    assert "Jo annettuja tietoja" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by is None
    assert not decide_read(
        bertta, access_context_load(sari.id), owner_organisation_id=employment.pk, category="plan"
    ).allowed
    assert AccessLogEntry.objects.filter(action="withdraw", basis="").exists()


@pytest.mark.django_db
def test_client_answers_a_self_assessment_and_the_coordinator_decides_the_suggestion(
    client, sari, aino, sari_path
):
    client.force_login(account_for(sari).user)
    url = reverse("selfservice:self_assessment")
    bad = client.post(url, {"answered_on": TODAY.isoformat()})
    assert bad.status_code == 400
    good = client.post(url, {"answered_on": TODAY.isoformat(), "tyokyky": "4", "talous": "8"})
    assert good.status_code == 302
    response = InstrumentResponse.objects.get()
    assert response.respondent == "client"
    assert response.entered_by is None
    assert response.owner_organisation_id == sari_path.owner_organisation_id
    assert InstrumentSuggestion.objects.get().code == "refer_to_coordinator"
    text = client.get(reverse("selfservice:home")).content.decode()
    assert "<circle" in text


@pytest.mark.django_db
def test_export_is_json_of_the_clients_own_data_and_is_logged(client, sari, sari_path):
    client.force_login(account_for(sari).user)
    response = client.get(reverse("selfservice:export"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["identity"]["last_name"] == "Esimerkki"
    assert data["plans"][0]["content"]["goals"][0]["text"] == "Työkokeilu kevään aikana"
    assert data["service_paths"][0]["status"] == "intake"
    assert AccessLogEntry.objects.filter(action="export", client_id=sari.id).exists()


@pytest.mark.django_db
def test_staff_and_anonymous_users_do_not_get_the_client_pages(client, aino):
    response = client.get(reverse("selfservice:home"))
    assert response.status_code == 302
    assert reverse("selfservice:login") in response["Location"]
    login(client, aino)
    assert client.get(reverse("selfservice:home")).status_code == 403


@pytest.mark.django_db
def test_demo_login_only_in_demo_mode(client, sari, settings):
    account = account_for(sari)
    settings.DEMO = False
    assert client.post(reverse("selfservice:login"), {"account": account.pk}).status_code == 404
    settings.DEMO = True
    response = client.post(reverse("selfservice:login"), {"account": account.pk})
    assert response.status_code == 302
    assert client.get(reverse("selfservice:home")).status_code == 200


@pytest.mark.django_db
def test_oidc_backend_maps_the_hetu_claim_to_a_registered_client_only(sari, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    settings.OIDC_OP_USER_ENDPOINT = "http://127.0.0.1:9/userinfo"
    settings.OIDC_RP_CLIENT_ID = "tyollisyystalo"
    settings.OIDC_RP_CLIENT_SECRET = "x"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    backend = ClientOIDCBackend()
    claim = settings.OIDC_HETU_CLAIM
    hetu = sari.identity.hetu
    assert backend.verify_claims({claim: hetu})
    assert not backend.verify_claims({claim: "010190-999X"})
    assert not backend.verify_claims({})
    assert not backend.filter_users_by_claims({claim: hetu}).exists()
    user = backend.create_user({claim: hetu})
    assert isinstance(user, User)
    assert ClientAccount.objects.get(user=user).client_id == sari.id
    assert list(backend.filter_users_by_claims({claim: hetu})) == [user]
    assert hetu not in user.username


@pytest.mark.django_db
def test_oidc_start_is_not_found_when_not_configured(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get(reverse("selfservice:oidc_start")).status_code == 404
