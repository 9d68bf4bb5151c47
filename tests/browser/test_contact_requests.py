"""A person asks to be contacted; the request reaches their municipality's queue and no other."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import OrganisationFactory, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.contact_requests.models import ContactRequest
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region():
    places = {
        code: Municipality.objects.create(code=code, name_fi=name)
        for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"))
    }
    south = OrganisationFactory.create(code="org-esimerkkila", name_fi="Esimerkkilän palvelut")
    south.municipalities.set([places["X01"]])
    north = OrganisationFactory.create(code="org-pohjala", name_fi="Pohjalan palvelut")
    north.municipalities.set([places["X02"]])
    return {
        "aino": make_person("aino", "Aino Aaltonen", south, Role.COORDINATOR),
        "pasi": make_person("pasi", "Pasi Peltola", north, Role.COORDINATOR),
    }


def test_contact_request_reaches_the_right_municipality_only(page: Page, region):
    # The person answers the self-assessment and asks to be contacted with the answers.
    page.goto("/itsearvio/")
    page.get_by_role("group", name="Miten rahat riittävät elämiseen?").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("button", name="Näytä tulos").click()
    page.get_by_role("button", name="Pyydä yhteydenottoa ja liitä vastaukset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pyydä työkykykoordinaattoria ottamaan yhteyttä"
    )
    expect(page.get_by_role("cell", name="Miten rahat riittävät elämiseen?")).to_be_visible()
    assert_accessible(page)

    # A first try without contact details and consent: clear errors, typed text kept.
    page.get_by_label("Nimi").fill("Pirkko Pohjalainen")
    page.get_by_label("Kotikunta").select_option("Pohjala")
    page.get_by_label("Mihin toivot apua?").fill("Arki on sekaisin.")
    page.get_by_role("button", name="Lähetä pyyntö").click()
    expect(page.get_by_role("alert")).to_contain_text("Anna puhelinnumero tai sähköpostiosoite")
    expect(page.get_by_label("Nimi")).to_have_value("Pirkko Pohjalainen")
    expect(page.get_by_label("Mihin toivot apua?")).to_have_value("Arki on sekaisin.")
    assert_accessible(page)

    page.get_by_label("Puhelinnumero").fill("040 123 4567")
    page.get_by_label(re.compile("saa ottaa minuun yhteyttä")).check()
    page.get_by_label(re.compile("Tietoni saa tallentaa")).check()
    expect(page.get_by_label(re.compile("Lähetä itsearvion vastaukset"))).to_be_checked()
    page.get_by_role("button", name="Lähetä pyyntö").click()
    expect(page.get_by_role("heading", name="Kiitos, pyyntösi on lähetetty")).to_be_visible()
    receipt = page.locator(".receipt").inner_text()
    assert re.fullmatch(r"YP-[2-9A-Z]{4}-[2-9A-Z]{4}", receipt)
    assert_accessible(page)

    # Esimerkkilä's coordinator does not see it.
    log_in(page, region["aino"])
    page.get_by_role("link", name="Yhteydenotot").click()
    expect(page.get_by_role("heading", name="Yhteydenottopyynnöt", level=1)).to_be_visible()
    expect(page.get_by_text("Ei pyyntöjä tällä rajauksella.")).to_be_visible()
    expect(page.get_by_text(receipt)).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    # Pohjala's coordinator finds it, reads it and makes the person a client.
    log_in(page, region["pasi"])
    page.get_by_role("link", name=re.compile("Yhteydenotot 1 uusi")).click()
    page.get_by_role("link", name=receipt).click()
    expect(page.get_by_role("heading", name=f"Yhteydenottopyyntö {receipt}")).to_be_visible()
    expect(page.get_by_text("Arki on sekaisin.")).to_be_visible()
    expect(page.get_by_role("cell", name="2", exact=True)).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Etunimet")).to_have_value("Pirkko")
    page.get_by_role("button", name="Rekisteröi asiakkaaksi").click()
    expect(page.get_by_role("heading", name="Pohjalainen, Pirkko", level=1)).to_be_visible()
    assert_accessible(page)
    item = ContactRequest.objects.get()
    assert item.status == "became_client"
    assert item.handled_by == region["pasi"]


def test_contact_form_works_without_javascript_and_fits_a_phone(
    browser: Browser, live_server, purgeable_log, region
):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 375, "height": 800},
        locale="fi-FI",
    )
    page = context.new_page()
    page.goto("/yhteydenotto/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Nimi").fill("Eero Esimerkki")
    page.get_by_label("Sähköposti").fill("eero@example.fi")
    page.get_by_label("Kotikunta").select_option("Esimerkkilä")
    page.get_by_label(re.compile("saa ottaa minuun yhteyttä")).check()
    page.get_by_label(re.compile("Tietoni saa tallentaa")).check()
    page.get_by_role("button", name="Lähetä pyyntö").click()
    expect(page.get_by_role("heading", name="Kiitos, pyyntösi on lähetetty")).to_be_visible()
    assert ContactRequest.objects.get().municipality.code == "X01"
    context.close()
