"""A provider updates its service; a catalogue administrator publishes it; the public sees it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.services import catalogue_import
from tyollisyystalo.organisations.models import Municipality, OrganisationType
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def providers():
    for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä")):
        Municipality.objects.create(code=code, name_fi=name)
    club = OrganisationFactory.create(
        code="org-klubitalo", name_fi="Klubitalo", type=OrganisationType.NGO
    )
    admin_org = OrganisationFactory.create(code="org-askelma", name_fi="Askelma")
    data = json.loads(
        (Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json").read_text()
    )
    data["services"] = [s for s in data["services"] if s["id"] in {"svc-100", "svc-001"}]
    catalogue_import(data=data)
    Service.objects.filter(source_id="svc-100").update(
        reviewed_at=timezone.now() - dt.timedelta(days=400)
    )
    return {
        "sirpa": make_person("sirpa", "Sirpa Salo", club, Role.SERVICE_EDITOR),
        "paivi": make_person("paivi", "Päivi Pääkkönen", admin_org, Role.ADMINISTRATOR),
    }


def test_provider_edit_is_published_by_the_administrator(page: Page, providers):
    log_in(page, providers["sirpa"], start="Palvelutiedot")
    expect(page.get_by_role("cell", name="Päivitettävä")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Työnhakijaksi"))).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Klubitalo Tuulikello").click()
    assert_accessible(page)
    page.get_by_role("link", name="Muokkaa tietoja").click()
    assert_accessible(page)
    page.get_by_label("Nimi suomeksi").fill("")
    page.get_by_role("button", name="Tallenna ja lähetä julkaistavaksi").click()
    expect(page.get_by_role("alert")).to_contain_text("Nimi suomeksi")
    assert_accessible(page)
    page.get_by_label("Nimi suomeksi").fill("Klubitalo Tuulikello, työpainotteinen yhteisö")
    page.get_by_role("button", name="Tallenna ja lähetä julkaistavaksi").click()
    expect(page.get_by_role("heading", name=re.compile("Odottaa julkaisua"))).to_be_visible()
    expect(page.locator("ins")).to_contain_text("työpainotteinen yhteisö")
    assert_accessible(page)
    log_out(page)

    log_in(page, providers["paivi"], start="Organisaation käyttöloki")
    page.get_by_role("link", name=re.compile("Palvelutiedot")).click()
    page.get_by_role("link", name="Odottaa julkaisua").click()
    page.get_by_role("link", name="Klubitalo Tuulikello").click()
    assert_accessible(page)
    page.get_by_role("button", name="Julkaise muutos").click()
    expect(page.get_by_text("Muutos julkaistiin")).to_be_visible()
    page.get_by_text(re.compile("Versio 1: Julkaistu")).click()
    expect(page.locator("details ins")).to_contain_text("työpainotteinen yhteisö")
    assert_accessible(page)

    page.get_by_role("link", name="Näytä julkinen sivu").click()
    expect(
        page.get_by_role("heading", name="Klubitalo Tuulikello, työpainotteinen yhteisö", level=1)
    ).to_be_visible()


def test_the_administrator_extends_the_need_vocabulary(page: Page, providers):
    """Issue 18: a region editor adds an everyday expression; the search uses it at once."""
    log_in(page, providers["paivi"], start="Organisaation käyttöloki")
    page.get_by_role("link", name=re.compile("Palvelutiedot")).click()
    page.get_by_role("link", name=re.compile("Tarvesanasto")).click()
    expect(page.get_by_role("heading", name="Tarvesanasto", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Lisää ilmaus").click()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Näin ihmiset sanovat").fill("kaipaan klubia\nkerho")
    page.get_by_label("Palvelujen sanat").fill("klubitalo")
    page.get_by_label("Osallisuus ja sosiaaliset suhteet").check()
    page.get_by_label("Perustelu").fill("Kerho ja klubi ovat arkisia sanoja klubitalolle.")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Haku käyttää sitä heti")).to_be_visible()
    page.get_by_label("Kirjoita, niin kuin asiakas kirjoittaisi").fill("kerho")
    page.get_by_role("button", name="Kokeile").click()
    expect(page.locator("q", has_text="kaipaan klubia, kerho")).to_be_visible()  # matched
    assert_accessible(page)
