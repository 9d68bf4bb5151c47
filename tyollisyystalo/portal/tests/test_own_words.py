"""Issue 18 on the public pages: the reader's language, ranked suggestions with reasons, and
help when the search is unsure."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.catalogue.models import Service, ServiceArea, TaxonomyTerm
from tyollisyystalo.catalogue.search.suggestions import area_suggestions
from tyollisyystalo.catalogue.tests.conftest import DEMO_FILE
from tyollisyystalo.clients.models import Client


def in_language(client, code):
    client.post(reverse("set_language"), {"language": code, "next": "/"})


@pytest.mark.django_db
def test_the_import_reads_the_swedish_and_english_texts_of_services_and_areas(catalogue):
    raw = {s["id"]: s for s in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["services"]}
    service = Service.objects.get(source_id="svc-087")
    assert service.description_sv == raw["svc-087"]["description_sv"]
    assert service.description_en == raw["svc-087"]["description_en"]
    assert service.application_process_sv == raw["svc-087"]["how_to_access_sv"]
    assert service.application_process_en == raw["svc-087"]["how_to_access_en"]
    area = TaxonomyTerm.objects.get(taxonomy__code="tt-area", code="talous")
    assert area.description_sv
    assert area.description_en
    assert area.description_sv != area.description_fi


@pytest.mark.django_db
def test_the_service_page_reads_in_swedish_and_says_when_a_text_is_only_in_finnish(
    client, catalogue
):
    service = Service.objects.get(source_id="svc-087")
    in_language(client, "sv")
    text = client.get(reverse("portal:service", args=[service.id])).text
    assert f'<p lang="sv">{service.description_sv[:40]}' in text
    assert service.application_process_sv in text
    assert "Beskrivningen finns inte" not in text
    Service.objects.filter(pk=service.pk).update(description_sv="", application_process_sv="")
    text = client.get(reverse("portal:service", args=[service.id])).text
    assert f'<p lang="fi">{service.description_fi[:40]}' in text
    with translation.override("sv"):
        note = translation.gettext(
            "Kuvausta ei ole vielä kielelläsi. Alla on suomenkielinen kuvaus."
        )
    assert note != "Kuvausta ei ole vielä kielelläsi. Alla on suomenkielinen kuvaus."
    assert note in text


@pytest.mark.django_db
def test_a_swedish_query_finds_swedish_texts_in_the_finnish_interface(client, catalogue):
    text = client.get(reverse("portal:search"), {"q": "skuldrådgivning"}).text
    assert "Talous- ja velkaneuvonta" in text.split("</ol>")[0]
    assert "Haimme sanoja kielellä: ruotsi." in text


@pytest.mark.django_db
def test_an_english_query_in_the_finnish_interface_finds_debt_advice(client, catalogue):
    response = client.get(
        "/api/v1/catalogue/search", {"q": "help with debts", "lang": "fi", "limit": 3}
    )
    body = response.json()
    assert body["query_language"] == "en"
    assert {"svc-087", "svc-105"} & {r["source_id"] for r in body["results"]}
    # Names in the interface's language.
    assert all(not r["name"].startswith("Debt") for r in body["results"])


@pytest.mark.django_db
def test_results_in_english_show_english_snippets(client, catalogue):
    in_language(client, "en")
    text = client.get(reverse("portal:search"), {"q": "debt advice"}).text
    service = Service.objects.get(source_id="svc-087")
    assert service.description_en.split()[0] in text
    assert service.summary_easy_fi[:30] not in text if service.summary_easy_fi else True


@pytest.mark.django_db
def test_the_search_says_plainly_when_it_is_unsure_and_offers_areas_and_contact(client, catalogue):
    response = client.get(reverse("portal:search"), {"q": "qwertyuiop zxcvb"})
    assert response.status_code == 200
    text = response.text
    assert "Emme löytäneet palvelua näillä sanoilla" in text
    assert reverse("contact_requests:contact") in text
    assert reverse("portal:area", args=["talous"]) in text  # every area when nothing tells


@pytest.mark.django_db
def test_an_unsure_need_suggests_the_areas_the_words_concern(client, catalogue):
    # Words only the need vocabulary reads: money and food, nothing named in the catalogue.
    response = client.get("/api/v1/catalogue/search", {"q": "pennitön ja nälkä"})
    body = response.json()
    assert "talous" in body["need_areas"]
    text = client.get(reverse("portal:search"), {"q": "pennitön ja nälkä"}).text
    if body["unsure"]:
        assert reverse("portal:area", args=["talous"]) in text


@pytest.mark.django_db
def test_a_strong_search_is_not_marked_unsure(client, catalogue):
    body = client.get("/api/v1/catalogue/search", {"q": "velkaneuvonta"}).json()
    assert body["unsure"] is False
    text = client.get(reverse("portal:search"), {"q": "velkaneuvonta"}).text
    assert "Emme ole varmoja" not in text


@pytest.mark.django_db
def test_self_assessment_ranks_debt_help_first_for_money_and_says_why(client, catalogue):
    before = (Client.objects.count(), AccessLogEntry.objects.count())
    response = client.post(reverse("portal:self_assessment"), {"talous": "2"})
    assert response.status_code == 200
    section = response.text.split('id="area-talous"')[1].split("</section>")[0]
    names = [
        Service.objects.get(source_id=sid).name_fi
        for sid in ("svc-087", "svc-105", "svc-106", "svc-083", "svc-051", "svc-052", "svc-112")
    ]
    assert sum(name in section for name in names) >= 3
    assert "Kuntoutusraha" not in section  # a benefit for another situation
    assert "Miksi ehdotamme:" in section
    assert "Maksuton" in section
    assert (Client.objects.count(), AccessLogEntry.objects.count()) == before


@pytest.mark.django_db
def test_self_assessment_prefers_the_persons_municipality_and_situation(client, catalogue):
    chosen = area_suggestions(
        area="tyo", language="fi", municipality="Pohjala", target_group="nuoret_alle_30"
    )
    assert len(chosen) == 4
    for suggestion in chosen:  # only services a person in Pohjala can use
        areas = suggestion.service.service_areas.all()
        assert any(
            a.extent_type != ServiceArea.Extent.MUNICIPALITY
            or (a.municipality is not None and a.municipality.name_fi == "Pohjala")
            for a in areas
        )
    assert any("Tarkoitettu ryhmälle: " in r for s in chosen for r in s.reasons)
    response = client.post(
        reverse("portal:self_assessment"),
        {"tyo": "1", "kunta": "Pohjala", "tilanne": "nuoret_alle_30"},
    )
    section = response.text.split('id="area-tyo"')[1].split("</section>")[0]
    assert chosen[0].service.name_fi in section


@pytest.mark.django_db
def test_self_assessment_refuses_an_unknown_municipality_with_a_400(client, catalogue):
    response = client.post(reverse("portal:self_assessment"), {"tyo": "1", "kunta": "Atlantis"})
    assert response.status_code == 400
