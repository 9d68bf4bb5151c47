"""The export page: who may export (the role table read a second time, by hand), what the log
says, and refused purposes that log nothing and return no data."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.evaluation.tests import dataset
from tyollisyystalo.staff.roles import Role

URL = "/johtaminen/arviointiaineisto/"
PURPOSE = "Työkykyohjelman arviointi, THL 2026"
# A second reading of the rules: only a manager exports, and only their own organisation's.
EXPORTS = {Role.MANAGER}


@pytest.fixture
def data(employment, county, aino) -> dataset.Dataset:
    return dataset.build(employment, county, aino)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_page_and_download_by_role(client: HttpClient, data, role: Role) -> None:
    staff = StaffFactory.create(role=role, organisation=data.employment)
    login(client, staff)
    before = AccessLogEntry.objects.count()
    page = client.get(URL)
    download = client.post(URL, {"purpose": PURPOSE})
    if role in EXPORTS:
        assert page.status_code == 200
        assert download.status_code == 200
        assert download["Content-Type"] == "application/zip"
        assert AccessLogEntry.objects.count() == before + 1
    else:
        assert (page.status_code, download.status_code) == (403, 403)
        assert b"client" not in download.content
        assert AccessLogEntry.objects.count() == before
    front = client.get("/johtaminen/")
    assert (URL in front.content.decode()) == (role in EXPORTS)


@pytest.mark.django_db
def test_export_logged_once_with_purpose_count_and_categories(client: HttpClient, data, mikko):
    login(client, mikko)
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    response = client.post(URL, {"purpose": f"  {PURPOSE}\n"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="arviointiaineisto-org-esimerkkila-tyollisyys-'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    entries = AccessLogEntry.objects.exclude(pk__in=before)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.action == "export"
    assert entry.outcome == "allowed"
    assert entry.client_id is None
    assert entry.actor_user_id == mikko.user_id
    assert entry.object_type == "evaluation_package"
    assert entry.object_id == descriptor["id"]
    assert entry.purpose == f"evaluation export, 6 clients: {PURPOSE}"
    assert entry.categories == "assessments,education_work,plan"
    assert entry.basis == "statute"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("purpose", "message"),
    [
        ("", "Kirjoita, mihin aineistoa käytetään."),
        ("   \n ", "Kirjoita, mihin aineistoa käytetään."),
        ("Tutkimus", "vähintään 10 merkkiä"),
        ("x" * 151, "enintään 150 merkkiä"),
        (f"Sarin {dataset.SARI_HETU} polku", "Poista henkilötunnus"),
        ("Arviointi\x07 THL 2026", "merkkejä, joita ei voi tallentaa"),
    ],
)
def test_bad_purpose_refused_with_400_and_nothing_logged(
    client: HttpClient, data, mikko, purpose: str, message: str
):
    login(client, mikko)
    before = AccessLogEntry.objects.count()
    response = client.post(URL, {"purpose": purpose})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_bad_purpose_in_english(client: HttpClient, data, mikko):
    login(client, mikko)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    before = AccessLogEntry.objects.count()
    response = client.post(URL, {"purpose": "short"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 10 characters" in page
    assert "Fields of the file data/clients.csv" in page
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_page_tells_what_the_package_holds(client: HttpClient, data, mikko):
    login(client, mikko)
    page = client.get(URL).content.decode()
    for path in ("data/clients.csv", "data/paths.csv", "data/placements.csv"):
        assert path in page
    assert "Esimerkkilän työllisyyspalvelut" in page
    assert "hävitetään" in page  # the key is thrown away
    assert "<code>job_or_study</code>" in page  # codes listed with their meaning
    assert "Sari" not in page


@pytest.mark.django_db
def test_steering_group_and_coordinator_refused(client: HttpClient, data, aino):
    raija = StaffFactory.create(role=Role.STEERING_GROUP, organisation=data.employment)
    for staff in (raija, aino):
        login(client, staff)
        before = AccessLogEntry.objects.count()
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"purpose": PURPOSE}).status_code == 403
        assert AccessLogEntry.objects.count() == before
        client.logout()
