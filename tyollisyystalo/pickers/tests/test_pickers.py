"""Searchable pickers: the options endpoint offers what the form offers and nothing else; the
forms still check what is posted; the search step works without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationFactory, login, make_consent, make_person
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.services import case_open
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.tests.conftest import (  # noqa: F401  (fixtures)
    catalogue,
    demo_data,
    municipalities,
)
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


@pytest.fixture
def network(county, employment, db):
    """The network's providers whose catalogue services a referral can go to. Kela is not one
    here: its services are published but not referable."""
    return OrganisationFactory.create(
        code="org-oikeusapu", name_fi="Oikeusaputoimisto", type=OrganisationType.NGO
    )


@pytest.fixture
def offered(network, catalogue):  # noqa: F811  (the catalogue is imported after the network)
    return catalogue


def options(client, source: str, q: str = "") -> list[dict[str, str]]:
    response = client.get(reverse("pickers:options", args=[source]), {"q": q})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def labels(client, source: str, q: str = "") -> list[str]:
    return [o["label"] for o in options(client, source, q)]


# The expected answers are read from the catalogue's rows here, apart from the code under test.
def referable_ids() -> set[str]:
    return {
        str(pk)
        for pk in Service.objects.filter(
            is_published=True, organization__network_organisation__isnull=False
        ).values_list("pk", flat=True)
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("velkaneuvonta", "Talous- ja velkaneuvonta"),
        ("velkaneuvontaan", "Talous- ja velkaneuvonta"),
        ("mielenterveyspalveluihin", "IPS-työhönvalmennus mielenterveyskuntoutujille"),
        ("psykologille", "Psykologin arviointi"),
    ],
)
def test_an_inflected_finnish_query_finds_the_service(client, aino, offered, query, expected):
    login(client, aino)
    found = labels(client, "lahetepalvelut", query)
    assert expected in found[:5], found


def test_the_referral_source_offers_only_published_services_of_network_providers(
    client, aino, offered
):
    login(client, aino)
    withdrawn = Service.objects.get(name_fi="Psykologin arviointi")
    withdrawn.is_published = False
    withdrawn.save(update_fields=["is_published"])
    allowed = referable_ids()
    for q in ("", "kela kuntoutus", "psykologi", "velka", "työ"):
        found = options(client, "lahetepalvelut", q)
        assert {o["value"] for o in found} <= allowed, q
        assert "Psykologin arviointi" not in [o["label"] for o in found]
    # Kela's services are published (the plan may name them) but not referable here.
    assert "Kelan kuntoutuspsykoterapia" in labels(client, "palvelut", "kuntoutuspsykoterapia")
    assert "Kelan kuntoutuspsykoterapia" not in labels(
        client, "lahetepalvelut", "kuntoutuspsykoterapia"
    )


def test_results_are_bounded_and_carry_names_only(client, aino, offered):
    login(client, aino)
    found = options(client, "palvelut", "")
    assert len(found) == 20
    assert all(set(o) == {"value", "label", "detail"} for o in found)


def test_organisations_match_without_case_or_accents(client, aino, offered):
    OrganisationFactory.create(code="org-jarvikyla", name_fi="Järvikylän työllisyyspalvelut")
    OrganisationFactory.create(code="org-old", name_fi="Järvikylän lakannut", is_active=False)
    login(client, aino)
    assert labels(client, "organisaatiot", "JARVIK") == ["Järvikylän työllisyyspalvelut"]
    assert labels(client, "organisaatiot", "tyollisyys") == [
        "Esimerkkilän työllisyyspalvelut",
        "Järvikylän työllisyyspalvelut",
    ]


def test_invitable_staff_are_found_by_name_and_only_those(client, aino, county, db):
    ville = make_person("ville", "Ville Virtanen", county, Role.NURSE)
    gone = make_person("vilja", "Vilja Virta", county, Role.NURSE)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    make_person("veera", "Veera Virkkunen", county, Role.SERVICE_EDITOR)
    login(client, aino)
    found = options(client, "kutsuttavat", "virt")
    assert [o["value"] for o in found] == [str(ville.pk)]
    assert found[0]["label"] == "Ville Virtanen"
    assert "Hyvinvointialue" in found[0]["detail"]


def test_anonymous_is_sent_to_login_and_a_role_without_the_form_is_refused(
    client, aino, county, offered
):
    url = reverse("pickers:options", args=["lahetepalvelut"])
    response = client.get(url, {"q": "velka"})
    assert response.status_code == 302
    assert "/kirjaudu/" in response["Location"]
    editor = make_person("elli", "Elli Editori", county, Role.SERVICE_EDITOR)
    login(client, editor)
    before = AccessLogEntry.objects.count()
    assert client.get(url, {"q": "velka"}).status_code == 403
    assert client.get(reverse("pickers:options", args=["kutsuttavat"])).status_code == 403
    assert AccessLogEntry.objects.count() == before


def test_unknown_source_and_overlong_query(client, aino, db):
    login(client, aino)
    assert client.get(reverse("pickers:options", args=["asiakkaat"])).status_code == 404
    response = client.get(reverse("pickers:options", args=["palvelut"]), {"q": "x" * 101})
    assert response.status_code == 400
    assert "liian pitkä" in response.json()["detail"]


@pytest.fixture
def path(sari, aino, network):
    case = case_open(
        actor=aino,
        client_id=sari.id,
        entry_route="self",
        referred_on=TODAY - dt.timedelta(days=5),
        coordinator=aino,
    )
    make_consent(
        sari,
        disclosing=[aino.organisation],
        receiving=[network],
        categories=["identity", "education_work"],
        recorder=aino,
    )
    return case


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_referral_form_refuses_a_service_it_does_not_offer(client, aino, path, offered):
    login(client, aino)
    url = reverse("referrals:send", args=[path.pk])
    kela = Service.objects.get(name_fi="Kelan kuntoutuspsykoterapia")
    for forged in (str(kela.pk), str(uuid.uuid4()), "1 OR 1=1"):
        response = client.post(
            url, {"service": forged, "reason": "Velkojen selvittely", "categories": []}
        )
        assert response.status_code == 400
        # Not even an id: Django's own Finnish message ("… ei ole kelvollinen UUID.").
        message = "kelvollinen UUID" if forged == "1 OR 1=1" else "Valitse palvelu luettelosta."
        assert message in main_of(response)
    assert not Referral.objects.exists()
    # The picker's own choice goes through.
    good = Service.objects.get(name_fi="Talous- ja velkaneuvonta")
    response = client.post(
        url, {"service": str(good.pk), "reason": "Velkojen selvittely", "categories": []}
    )
    assert response.status_code == 302
    assert Referral.objects.get().service == good


def test_the_referral_page_enhances_its_selects_with_a_static_script(client, aino, path, offered):
    login(client, aino)
    response = client.get(reverse("referrals:send", args=[path.pk]))
    page = main_of(response)
    assert 'data-picker-url="/valitsimet/lahetepalvelut/"' in page
    assert 'data-picker-url="/valitsimet/organisaatiot/"' in page
    assert re.search(r'<script type="module" src="/static/js/picker[^"]*\.js"></script>', page)
    assert "<script>" not in page
    # The path's own organisation is not offered as the receiver.
    assert f'<option value="{aino.organisation_id}"' not in page


def test_the_search_step_narrows_the_services_and_keeps_what_was_written(
    client, aino, path, network, offered
):
    login(client, aino)
    url = reverse("referrals:send", args=[path.pk])
    response = client.post(
        url,
        {
            "palveluhaku": "velkaneuvontaan",
            "hae_palvelua": "1",
            "reason": "Velat painavat",
            "categories": ["education_work"],
            "receiving_organisation": str(network.pk),
        },
    )
    assert response.status_code == 200
    page = main_of(response)
    service_select = page[page.index('name="service"') : page.index("</select>")]
    offered_names = re.findall(r"<option value=\"[^\"]+\"[^>]*>([^<]+)</option>", service_select)
    assert offered_names[0] == "Talous- ja velkaneuvonta"
    assert len(offered_names) < 20
    assert "Velat painavat" in page
    assert re.search(rf'<option value="{network.pk}" selected>', page)
    assert re.search(r'value="education_work"[^>]*checked', page)
    assert "löytyi" in page
    assert not Referral.objects.exists()


def test_a_plan_action_refuses_a_service_that_is_not_published(client, aino, path, offered):
    login(client, aino)
    withdrawn = Service.objects.get(name_fi="Psykologin arviointi")
    withdrawn.is_published = False
    withdrawn.save(update_fields=["is_published"])
    url = reverse("plans:create", args=[path.pk])
    data = {
        "plan_type": "client",
        "started_on": TODAY.isoformat(),
        "language": "fi",
        "summary": "Tilanne",
        "goal-0-id": "g1",
        "goal-0-text": "Työkokeiluun",
        "action-0-id": "a1",
        "action-0-what": "Psykologin arvio",
        "action-0-goal": "g1",
        "action-0-responsible_kind": "client",
        "action-0-service_id": str(withdrawn.pk),
        "action-0-status": "planned",
    }
    for forged in (str(withdrawn.pk), str(uuid.uuid4())):
        response = client.post(url, {**data, "action-0-service_id": forged})
        assert response.status_code == 400
        assert "Valitse palvelu luettelosta." in main_of(response)
    assert not Plan.objects.exists()
    good = Service.objects.get(name_fi="Talous- ja velkaneuvonta")
    response = client.post(url, {**data, "action-0-service_id": str(good.pk)})
    assert response.status_code == 302
    assert PlanVersion.objects.get().content.actions[0].service_id == str(good.pk)
