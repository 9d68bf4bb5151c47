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


def test_coach_keeps_persons_and_openings_merges_a_duplicate_in_three_languages(page: Page):
    askelma = OrganisationFactory.create(code="org-askelma", name_fi="Askelma ry")
    team = CoachingTeam.objects.create(name="Työhönvalmennuksen yhteistiimi")
    team.organisations.set([askelma])
    ville = make_person("ville", "Ville Virtanen", askelma, Role.JOB_COACH)
    kept = Employer.objects.create(team=team, name="Rauta Oy", created_by=ville)
    Employer.objects.create(team=team, name="Rauta Oy (vanha)", created_by=ville)

    log_in(page, ville)
    page.goto(f"/tyonantajat/{kept.pk}/")
    page.get_by_role("link", name="Lisää yhteyshenkilö").click()
    assert_accessible(page)
    page.get_by_label("Nimi").fill("Maija Malli")
    page.get_by_label("Sähköposti", exact=True).fill("maija@example.fi")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text(re.compile("Maija Malli"))).to_be_visible()

    page.get_by_role("link", name="Lisää työpaikka tai työkokeilupaikka").click()
    page.get_by_label("Laji").select_option(label="Työkokeilupaikka")
    page.get_by_label("Tehtävä").fill("Varastoapulainen")
    page.get_by_label("Tunteja viikossa").fill("61")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Tehtävä")).to_have_value("Varastoapulainen")
    assert_accessible(page)
    page.get_by_label("Tunteja viikossa").fill("20")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text(re.compile("Varastoapulainen"))).to_be_visible()

    page.get_by_role("button", name="Poista henkilötiedot pyynnöstä").click()
    expect(page.get_by_text("Yhteyshenkilön tiedot poistettu pyynnöstä")).to_be_visible()
    expect(page.get_by_text(re.compile("Maija Malli"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Takaisin rekisteriin").click()
    page.get_by_role("link", name="Rauta Oy (vanha)").click()
    page.get_by_label("Yhdistä työnantajaan").select_option(label="Rauta Oy")
    page.get_by_role("button", name="Yhdistä").click()
    expect(page.get_by_role("heading", name="Rauta Oy", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Yhdistetyt kaksoiskappaleet")).to_be_visible()
    assert_accessible(page)

    for language, label, button, heading in (
        ("sv", "Kieli", "Vaihda", "Kontaktlogg"),
        ("en", "Språk", "Byt", "Contact log"),
    ):
        page.get_by_label(label).select_option(language)
        page.get_by_role("button", name=button).click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=2).first).to_contain_text(heading)
        assert_accessible(page)
