"""Consent edits through the API name the version they were based on (ETag / If-Match).

Two people who read version 1 and both revise it: the second gets 409 with the first one's
version, not a silent overwrite; a change that names no version gets 428.
"""

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_to_team
from tyollisyystalo.clients.tests.test_api import token_for
from tyollisyystalo.consents.models import Consent, ConsentVersion
from tyollisyystalo.consents.services import consent_record
from tyollisyystalo.consents.tests.test_consents import consent_input
from tyollisyystalo.staff.roles import Role


def body(county, employment, purpose, **extra):
    return {
        "disclosing_organisations": [county.code],
        "receiving_organisations": [employment.code],
        "categories": ["health"],
        "purpose": purpose,
        "method": "written_form",
        "form_reference": "Kela Y100",
        "valid_from": timezone.localdate().isoformat(),
        **extra,
    }


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The token endpoint allows ten requests a minute (counted in the cache); these tests ask
    for two tokens each."""
    cache.clear()


@pytest.fixture
def consent(sari, bertta, county, employment):
    return consent_record(actor=bertta, client_id=sari.id, data=consent_input(county, employment))


@pytest.fixture
def writers(sari, bertta, county):
    """Bertta and her colleague Cilla, both in Sari's team, each with their own token."""
    cilla = StaffFactory.create(user__username="cilla", organisation=county, role=Role.NURSE)
    add_to_team(sari, cilla)
    return token_for(HttpClient(), bertta), token_for(HttpClient(), cilla)


def _url(consent, action=""):
    name = "v1:consent-withdraw" if action else "v1:consent"
    return reverse(name, kwargs={"consent_id": consent.pk})


@pytest.mark.django_db
def test_get_gives_the_current_version_as_etag(consent, writers):
    response = HttpClient().get(_url(consent), **writers[0])
    assert response.status_code == 200
    assert response["ETag"] == '"1"'


@pytest.mark.django_db
def test_a_revision_that_names_no_version_is_428_and_changes_nothing(
    consent, writers, county, employment
):
    response = HttpClient().put(
        _url(consent),
        body(county, employment, "Uusi tarkoitus"),
        content_type="application/json",
        **writers[0],
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert ConsentVersion.objects.filter(consent=consent).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["if-match", "version field"])
def test_the_second_of_two_revisions_of_version_1_gets_409_with_the_first(
    consent, writers, county, employment, how
):
    def revise(headers, purpose):
        extra = {"version": 1} if how == "version field" else {}
        precondition = {"HTTP_IF_MATCH": '"1"'} if how == "if-match" else {}
        return HttpClient().put(
            _url(consent),
            body(county, employment, purpose, **extra),
            content_type="application/json",
            headers=None,
            **{**headers, **precondition},
        )

    first = revise(writers[0], "Bertan tarkoitus")
    assert first.status_code == 200
    assert first["ETag"] == '"2"'
    second = revise(writers[1], "Cillan tarkoitus")
    assert second.status_code == 409
    answer = second.json()
    current = next(v for v in answer["current"]["versions"] if v["is_current"])
    assert current["number"] == 2
    assert current["purpose"] == "Bertan tarkoitus"
    assert second["ETag"] == '"2"'
    assert [
        v.purpose for v in ConsentVersion.objects.filter(consent=consent).order_by("number")
    ] == [
        "Työkyvyn arviointi",
        "Bertan tarkoitus",
    ]


@pytest.mark.django_db
def test_withdrawal_needs_the_current_version_too(consent, writers, county, employment):
    api = HttpClient()
    url = _url(consent, "withdraw")
    missing = api.post(url, {"method": "oral"}, content_type="application/json", **writers[0])
    assert missing.status_code == 428
    api.put(
        _url(consent),
        body(county, employment, "Bertan tarkoitus"),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **writers[0],
    )
    stale = api.post(
        url, {"method": "oral"}, content_type="application/json", HTTP_IF_MATCH='"1"', **writers[1]
    )
    assert stale.status_code == 409
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
    done = api.post(
        url,
        {"method": "oral"},
        content_type="application/json",
        HTTP_IF_MATCH='W/"2"',
        **writers[1],
    )
    assert done.status_code == 200
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None


@pytest.mark.django_db
def test_the_schema_documents_the_precondition():
    schema = HttpClient().get("/api/schema/", {"format": "json"}).json()
    put = schema["paths"]["/api/v1/consents/{consent_id}/"]["put"]
    assert {"409", "428"} <= set(put["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in put["parameters"])
    get = schema["paths"]["/api/v1/consents/{consent_id}/"]["get"]
    assert "ETag" in get["responses"]["200"]["headers"]
