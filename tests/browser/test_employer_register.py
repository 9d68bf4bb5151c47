"""The employer register in a real browser: a job coach adds an employer, logs a contact and
imports a spreadsheet, axe-core clean on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FilePayload, Page, expect

from conftest import OrganisationFactory, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.employers.models import CoachingTeam, Employer, EmployerContact
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_adds_employer_and_logs_a_contact(page: Page):
    askelma = OrganisationFactory.create(code="org-askelma", name_fi="Askelma ry")
    team = CoachingTeam.objects.create(name="Työhönvalmennuksen yhteistiimi")
    team.organisations.set([askelma])
    ville = make_person("ville", "Ville Virtanen", askelma, Role.JOB_COACH)

    log_in(page, ville)
    page.get_by_role("link", name="Työnantajarekisteri").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Työnantajarekisteri")
    assert_accessible(page)

    page.get_by_role("link", name="Lisää työnantaja").click()
    page.get_by_label("Nimi").fill("Leipomo Koivu Oy")
    page.get_by_label("Y-tunnus").fill("1234567-2")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Y-tunnus").fill("1234567-1")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Leipomo Koivu Oy", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Kirjaa yhteydenotto").click()
    page.get_by_label("Yhteydenoton tapa").select_option(label="Käynti työpaikalla")
    page.get_by_label("Kasvokkain").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("cell", name=re.compile("Käynti työpaikalla"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Takaisin rekisteriin").click()
    page.get_by_role("link", name="Tuo työnantajia taulukosta").click()
    assert_accessible(page)
    csv_text = (
        "nimi;y-tunnus;toimiala;kunta;koko;yhteyshenkilö;puhelin;sähköposti;pvm;muistiinpanot\n"
        "Kahvila Kallio Oy;;I;;micro;Maija Malli;040 1;;1.2.2026;Soitettu\n"
        "Varasto Oy;;H;;small;;;;;\n"
    )
    page.get_by_label("CSV-tiedosto").set_input_files(
        files=FilePayload(name="t.csv", mimeType="text/csv", buffer=csv_text.encode())
    )
    page.get_by_role("button", name="Esikatsele").click()
    expect(page.get_by_role("cell", name="Kahvila Kallio Oy")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna rivit rekisteriin").click()
    expect(page.get_by_text("2 työnantajaa tuotiin.")).to_be_visible()
    assert_accessible(page)
    assert Employer.objects.get(name="Leipomo Koivu Oy").business_id == "1234567-1"
    assert Employer.objects.count() == 3
    assert EmployerContact.objects.get(employer__name="Leipomo Koivu Oy").face_to_face
