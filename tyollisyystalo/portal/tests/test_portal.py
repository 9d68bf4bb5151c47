"""The public pages: no login, nothing stored, working without JavaScript."""

import pytest
from django.urls import reverse

from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.models import Client


@pytest.mark.django_db
def test_front_page_shows_the_service_map_with_counts(client, catalogue):
    text = client.get("/").text
    assert "Palvelukartta" in text
    assert "Toimeentulo, etuudet ja velat" in text
    assert reverse("portal:area", args=["talous"]) in text


@pytest.mark.django_db
def test_search_without_javascript_finds_services_by_inflected_words(client, catalogue):
    response = client.get(reverse("portal:search"), {"q": "velkoihin"})
    assert response.status_code == 200
    assert "Talous- ja velkaneuvonta" in response.text


@pytest.mark.django_db
def test_filters_narrow_the_results(client, catalogue):
    text = client.get(reverse("portal:search"), {"q": "työkokeilu", "municipality": "Pohjala"}).text
    assert "Työkokeilu Pohjalassa" in text
    assert ">Työkokeilu</a>" not in text  # Esimerkkilä's own service


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(client, catalogue):
    response = client.get(reverse("portal:search"), {"q": "velka"}, HTTP_HX_REQUEST="true")
    assert response.text.lstrip().startswith('<div id="results"')


@pytest.mark.django_db
def test_unknown_filter_value_is_a_400(client, catalogue):
    assert client.get(reverse("portal:search"), {"area": "avaruus"}).status_code == 400


@pytest.mark.django_db
def test_area_page_lists_the_services_of_the_area(client, catalogue):
    text = client.get(reverse("portal:area", args=["asuminen"])).text
    assert "Asumisneuvonta" in text
    assert "Yleinen asumistuki" in text
    assert client.get(reverse("portal:area", args=["ei-ole"])).status_code == 404


@pytest.mark.django_db
def test_service_page_tells_what_for_whom_how_cost_where_languages(client, catalogue):
    service = Service.objects.get(source_id="svc-087")
    text = client.get(reverse("portal:service", args=[service.id])).text
    for part in (
        "Mitä palvelu on",
        "Näin pääset palveluun",
        "Hinta",
        "Kenelle",
        "Missä",
        "Kielet",
        "Asiointitavat",
    ):
        assert part in text
    unpublished = Service.objects.get(source_id="svc-001")
    Service.objects.filter(pk=unpublished.pk).update(is_published=False)
    assert client.get(reverse("portal:service", args=[unpublished.id])).status_code == 404


@pytest.mark.django_db
def test_self_assessment_suggests_services_for_low_areas_first_and_stores_nothing(
    client, catalogue
):
    before = (Client.objects.count(), AccessLogEntry.objects.count())
    response = client.post(
        reverse("portal:self_assessment"), {"talous": "2", "mieli": "5", "tyo": "9"}
    )
    assert response.status_code == 200
    text = response.text
    assert text.index("Toimeentulo, etuudet ja velat: 2 / 10") < text.index(
        "Mielen hyvinvointi ja päihteet: 5 / 10"
    )
    assert "Työnhaku ja työllistyminen: 9 / 10" in text.split("Muut alueet")[1]
    assert (Client.objects.count(), AccessLogEntry.objects.count()) == before
    assert not client.cookies.get("sessionid")


@pytest.mark.django_db
def test_empty_self_assessment_is_a_400_with_a_message(client, catalogue):
    response = client.post(reverse("portal:self_assessment"), {})
    assert response.status_code == 400
    assert "Vastaa vähintään yhteen kysymykseen" in response.text


@pytest.mark.django_db
def test_easy_finnish_page_is_plain_and_marked_finnish(client, catalogue):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("portal:easy_finnish")).text
    assert '<div lang="fi">' in text
    assert "Työllisyystalo auttaa, jos haluat töihin" in text
