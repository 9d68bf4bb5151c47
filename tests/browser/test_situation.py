"""The manager's situation picture in a real browser: Mikko opens it from the management front
page, changes the period, downloads the CSV and the XLSX and finds the page's figures in them,
in Finnish and in English; axe-core clean on every page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.situation.tests.builders import build_quarter
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page: Page, link: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    path = info.value.path()
    return Path(path).read_bytes()


def _csv_rows(body: bytes) -> dict[str, list[str]]:
    """Row label → cells, the first row of each label (the headline before the comparison)."""
    rows: dict[str, list[str]] = {}
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
        if row:
            rows.setdefault(row[0], row[1:])
    return rows


def test_manager_reads_the_situation_picture_and_downloads_it(page: Page) -> None:
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    county = OrganisationFactory.create(
        code="org-hva", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )
    build_quarter(employment, county)
    mikko = make_person("mikko", "Mikko Manninen", employment, Role.MANAGER)

    log_in(page, mikko, start="Organisaation käyttöloki")
    page.goto("/johtaminen/")
    assert_accessible(page)
    page.get_by_role("link", name="Tilannekuva").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tilannekuva")
    assert_accessible(page)

    # The first quarter of 2026 (hand-worked in situation/tests/test_page_and_exports.py):
    # 13 paths in service, Aalto 8, Beeta and the others fewer than five.
    page.get_by_label("Jakso", exact=True).select_option("2026-Q1")
    page.get_by_role("button", name="Näytä").click()
    expect(page).to_have_url(re.compile(r"period=2026-Q1"))
    headline = page.locator("#table-headline")
    row = headline.locator("tr[data-row=in_service]")
    expect(row).to_contain_text("Palvelupolkuja palvelussa jakson aikana")
    expect(row.locator("td")).to_have_text(["8", "< 5", "< 5", "13"])
    expect(page.locator("#table-entry_route tr[data-row=self] td")).to_have_text(
        ["x", "x", "0", "6"]
    )
    expect(page.locator("figure svg[role=img]").first).to_be_visible()
    assert_accessible(page)

    rows = _csv_rows(_download(page, "Lataa CSV"))
    assert rows["Palvelupolkuja palvelussa jakson aikana"] == ["8", "< 5", "< 5", "13"]
    assert rows["Asiakas otti itse yhteyttä"] == ["x", "x", "0", "6"]
    assert rows["Jakso"] == ["1. neljännes 2026"]

    workbook = load_workbook(io.BytesIO(_download(page, "Lataa Excel (XLSX)")))
    sheet = workbook.worksheets[1]  # the headline table
    values = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Palvelupolkuja palvelussa jakson aikana"] == [8, "< 5", "< 5", 13]

    # In English: the same figures, the texts translated, the exports too.
    page.get_by_label("Kieli").select_option("en")
    page.get_by_role("button", name="Vaihda", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Situation picture")
    expect(page.locator("#table-headline tr[data-row=in_service] td")).to_have_text(
        ["8", "< 5", "< 5", "13"]
    )
    assert_accessible(page)
    rows = _csv_rows(_download(page, "Download CSV"))
    assert rows["Service paths in service during the period"] == ["8", "< 5", "< 5", "13"]
    assert rows["Period"] == ["Quarter 1 2026"]
    workbook = load_workbook(io.BytesIO(_download(page, "Download Excel (XLSX)")))
    values = {
        r[0]: list(r[1:]) for r in workbook.worksheets[1].iter_rows(min_row=3, values_only=True)
    }
    assert values["Service paths in service during the period"] == [8, "< 5", "< 5", 13]

    # A month picked from the list, then back to Finnish.
    page.get_by_label("Period", exact=True).select_option("2026-02")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#table-headline tr[data-row=new] td")).to_have_text(
        ["6", "0", "0", "6"]  # a2–a7 opened in February; nobody else
    )
    assert_accessible(page)
    page.get_by_label("Language").select_option("fi")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tilannekuva")
