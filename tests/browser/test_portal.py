"""The public employment house in a real browser: search, service map, self-assessment; axe everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible
from tyollisyystalo.catalogue.services import catalogue_import
from tyollisyystalo.organisations.models import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue_loaded():
    for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä")):
        Municipality.objects.create(code=code, name_fi=name, name_sv=name)
    data = json.loads(
        (Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json").read_text()
    )
    catalogue_import(data=data)


def test_search_with_an_inflected_need_finds_debt_counselling(page: Page, catalogue_loaded):
    page.goto("/")
    assert_accessible(page)
    page.get_by_label("Mihin tarvitset apua? Kirjoita omin sanoin.").fill("velkoihin")
    page.get_by_role("button", name="Hae palveluja").click()
    expect(page.get_by_role("link", name="Talous- ja velkaneuvonta")).to_be_visible()
    assert_accessible(page)
    # Filters update the results in place (htmx) and keep the address shareable.
    page.get_by_text("Rajaa hakua").click()
    page.get_by_label("Elämän alue").select_option("talous")
    expect(page).to_have_url(re.compile(r"area=talous"))
    expect(page.get_by_role("link", name="Talous- ja velkaneuvonta")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Talous- ja velkaneuvonta").click()
    expect(page.get_by_role("heading", name="Talous- ja velkaneuvonta", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Näin pääset palveluun")).to_be_visible()
    assert_accessible(page)


def test_everything_works_without_javascript(
    browser: Browser, live_server, purgeable_log, catalogue_loaded
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fi-FI"
    )
    page = context.new_page()
    page.goto("/palvelut/")
    page.get_by_label("Mihin tarvitset apua?").fill("työkokeiluun")
    page.get_by_text("Rajaa hakua").click()  # <details> opens without JavaScript
    page.get_by_label("Kunta").select_option("Pohjala")
    page.get_by_role("button", name="Hae palveluja").click()
    expect(page.get_by_role("link", name="Työkokeilu Pohjalassa")).to_be_visible()
    page.goto("/")
    page.get_by_role("link", name="Asuminen").click()
    expect(page.get_by_role("heading", name="Asuminen", level=1)).to_be_visible()
    # axe itself is JavaScript; these pages are checked with it in the tests above.
    context.close()


def test_self_assessment_suggests_services_for_the_low_areas(page: Page, catalogue_loaded):
    page.goto("/itsearvio/")
    assert_accessible(page)
    page.get_by_role("button", name="Näytä tulos").click()
    expect(page.get_by_role("alert")).to_contain_text("Vastaa vähintään yhteen kysymykseen")
    assert_accessible(page)
    page.get_by_role("group", name="Miten rahat riittävät elämiseen?").get_by_label(
        "3", exact=True
    ).check()
    page.get_by_role("group", name="Onko sinulla turvallinen ja sopiva koti?").get_by_label(
        "9", exact=True
    ).check()
    page.get_by_role("button", name="Näytä tulos").click()
    expect(
        page.get_by_role("heading", name="Toimeentulo, etuudet ja velat: 3 / 10")
    ).to_be_visible()
    expect(page.get_by_text("Asuminen: 9 / 10")).to_be_visible()
    assert_accessible(page)


def test_easy_finnish_page_and_mobile_layout(
    browser: Browser, live_server, purgeable_log, catalogue_loaded
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="fi-FI"
    )
    page = context.new_page()
    page.goto("/selkosuomi/")
    expect(page.get_by_role("heading", name="Työllisyystalo selkosuomeksi")).to_be_visible()
    assert_accessible(page)
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing overflows sideways on a phone
    assert_accessible(page)
    context.close()


def test_a_need_in_ones_own_words_and_an_unsure_search(page: Page, catalogue_loaded):
    """Issue 18: everyday words find help; when the search is unsure it says so and offers the
    areas of life and the contact request; a Swedish query works in the Finnish interface."""
    page.goto("/palvelut/")
    page.get_by_label("Mihin tarvitset apua?").fill("ei oo kämppää")
    page.get_by_role("button", name="Hae palveluja").click()
    expect(
        page.get_by_role("link", name="Asunnottomien palvelut ja Asunto ensin -tuki")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mihin tarvitset apua?").fill("qwertyuiop zxcvb")
    page.get_by_role("button", name="Hae palveluja").click()
    expect(
        page.get_by_role("heading", name="Emme löytäneet palvelua näillä sanoilla")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Pyydä yhteydenottoa")).to_be_visible()
    expect(page.get_by_role("link", name="Toimeentulo, etuudet ja velat")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mihin tarvitset apua?").fill("skuldrådgivning")
    page.get_by_role("button", name="Hae palveluja").click()
    expect(page.get_by_role("link", name="Talous- ja velkaneuvonta")).to_be_visible()
    expect(page.get_by_text("Haimme sanoja kielellä: ruotsi.")).to_be_visible()
    assert_accessible(page)


def test_self_assessment_ranks_suggestions_and_says_why(page: Page, catalogue_loaded):
    page.goto("/itsearvio/")
    page.get_by_role("group", name="Miten rahat riittävät elämiseen?").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_label("Kotikuntasi").select_option("Pohjala")
    page.get_by_role("button", name="Näytä tulos").click()
    section = page.locator("#area-talous").locator("xpath=..")
    expect(section.get_by_text("Miksi ehdotamme:").first).to_be_visible()
    expect(section.get_by_role("link", name="Kuntoutusraha")).to_have_count(0)
    assert_accessible(page)
