"""Retention in a real browser: a manager's legal hold, and the client's page of retention periods."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_client, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.retention.models import LegalHold
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_places_and_releases_a_hold_and_the_client_reads_the_periods(page: Page, settings):
    settings.DEMO = True
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    mikko = make_person("mikko", "Mikko Mattila", employment, Role.MANAGER)
    sari = make_client(organisation=employment)
    ClientAccount.objects.create(user=get_user_model().objects.create_user("sari"), client=sari)

    log_in(page, mikko, start="Organisaation käyttöloki")
    page.get_by_role("link", name="Säilytysvelvoitteet").click()
    expect(
        page.get_by_role("heading", name=re.compile("Säilytysvelvoitteet"), level=1)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Aseta säilytysvelvoite").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Asiakkaan tunniste").fill(str(sari.id))
    page.get_by_label("Peruste").fill("Valitus hallinto-oikeudessa vireillä")
    page.get_by_role("button", name="Aseta säilytysvelvoite").click()
    expect(page.get_by_text("Säilytysvelvoite asetettiin.")).to_be_visible()
    expect(page.get_by_role("cell", name="Valitus hallinto-oikeudessa vireillä")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Pura säilytysvelvoite")).click()
    expect(page.get_by_text("Säilytysvelvoite purettiin.")).to_be_visible()
    assert_accessible(page)
    assert not LegalHold.objects.get().is_active
    log_out(page)

    page.goto("/omat/kirjaudu/")
    page.get_by_label("Esittelyasiakas").select_option(label="Esimerkki, Sari")
    page.get_by_role("button", name="Kirjaudu esittelyasiakkaana").click()
    page.get_by_role("link", name="Katso säilytysajat tietolajeittain").click()
    expect(
        page.get_by_role("heading", name="Kuinka kauan tietojasi säilytetään", level=1)
    ).to_be_visible()
    expect(page.get_by_text(re.compile("neljä vuotta"))).to_be_visible()
    assert_accessible(page)
