"""The evaluation data package in a real browser: the manager finds the page from the management
front page, is refused without a purpose, types one and downloads the zip, in Finnish and in
English; axe-core clean on every page, each download logged once with its purpose."""

from __future__ import annotations

import json
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.evaluation.tests import dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download_package(page: Page, button: str) -> dict:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    assert download.suggested_filename.startswith("arviointiaineisto-org-esimerkkila-tyollisyys-")
    with zipfile.ZipFile(download.path()) as archive:
        names = archive.namelist()
        assert "datapackage.json" in names
        assert "data/clients.csv" in names
        descriptor: dict = json.loads(archive.read("datapackage.json"))
        clients = archive.read("data/clients.csv").decode().splitlines()
    assert clients[0] == "client,age_group,municipality"
    assert len(clients) == 1 + 6
    return descriptor


def test_manager_downloads_the_package_in_finnish_and_english(
    page: Page, employment, county, aino, mikko
):
    dataset.build(employment, county, aino)
    log_in(page, mikko, start="Organisaation käyttöloki")

    page.get_by_role("link", name="Tiedolla johtaminen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiedolla johtaminen")
    assert_accessible(page)
    page.get_by_role("link", name="Arviointiaineisto tutkijoille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arviointiaineisto")
    expect(page.get_by_role("table", name="Tiedoston data/clients.csv kentät")).to_be_visible()
    assert_accessible(page)

    # No purpose: refused, said plainly, nothing logged.
    before = AccessLogEntry.objects.count()
    page.get_by_role("button", name="Lataa aineisto (zip)").click()
    expect(page.get_by_role("alert")).to_contain_text("Kirjoita, mihin aineistoa käytetään.")
    assert_accessible(page)
    assert AccessLogEntry.objects.count() == before

    page.get_by_label("Käyttötarkoitus").fill("Työkykyohjelman arviointi, THL 2026")
    descriptor = download_package(page, "Lataa aineisto (zip)")
    assert descriptor["title"] == "Työllisyystalon arviointiaineisto"
    entry = AccessLogEntry.objects.get(object_id=descriptor["id"])
    assert entry.purpose == "evaluation export, 6 clients: Työkykyohjelman arviointi, THL 2026"

    # The same in English.
    page.get_by_label("Kieli").select_option("en")
    page.get_by_role("button", name="Vaihda", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation data package")
    expect(page.get_by_role("heading", name="How people are protected")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Purpose").fill("Evaluation of the Work Ability Programme, FIOH")
    descriptor = download_package(page, "Download the package (zip)")
    assert descriptor["title"] == "Työllisyystalo evaluation data package"
    assert AccessLogEntry.objects.filter(action="export").count() == 2
