"""Paths people walk, in a real browser, with axe-core checking every page on the way."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from conftest import (
    PASSWORD,
    OrganisationFactory,
    make_consent,
    make_person,
    make_shared_client,
    totp_device,
)
from tests.browser.conftest import assert_accessible, open_card_parts
from tyollisyystalo.consents.models import EmergencyAccess
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    county = OrganisationFactory.create(
        code="org-hva",
        name_fi="Esimerkkimaakunnan hyvinvointialue",
        type=OrganisationType.WELLBEING_COUNTY,
    )
    aino = make_person("aino", "Aino Aaltonen", employment, Role.COORDINATOR)
    bertta = make_person("bertta", "Bertta Berg", county, Role.NURSE)
    sari = make_shared_client(
        employment=employment,
        county=county,
        coordinator=aino,
        nurse=bertta,
        health_title="Terveystarkastuksen palaute",
    )
    consent = make_consent(
        sari,
        disclosing=[county],
        receiving=[employment],
        categories=["identity", "health"],
        recorder=bertta,
    )
    return {"aino": aino, "bertta": bertta, "sari": sari, "consent": consent}


def log_in(page: Page, staff, start: str = "Asiakkaani") -> None:
    device = totp_device(staff.user)
    page.goto("/kirjaudu/")
    assert_accessible(page)
    page.get_by_label("Käyttäjätunnus").fill(staff.user.username)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_label("Vahvistuskoodi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Kirjaudu").click()
    expect(page.get_by_role("heading", name=start, level=1)).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("heading", name="Tukea työkykyyn ja työllistymiseen")).to_be_visible()


def open_card_by_search(page: Page, name: str) -> None:
    page.goto("/asiakkaat/")
    page.get_by_label("Nimi").fill(name)
    page.get_by_role("button", name="Hae").click()
    expect(page.get_by_role("link", name=re.compile("Esimerkki, Sari"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Esimerkki, Sari")).click()
    expect(page.get_by_role("heading", name="Esimerkki, Sari", level=1)).to_be_visible()
    open_card_parts(page)


def test_front_page_in_three_languages_is_accessible(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tukea työkykyyn ja työllistymiseen")
    assert_accessible(page)
    page.get_by_label("Kieli").select_option("sv")
    page.get_by_role("button", name="Vaihda").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stöd för arbetsförmåga och sysselsättning"
    )
    assert_accessible(page)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Support for work ability and employment"
    )
    assert_accessible(page)


def test_withdrawing_consent_takes_the_other_organisations_access_away(page: Page, world):
    # Aino of employment services sees the county's health entry through Sari's consent.
    log_in(page, world["aino"])
    assert_accessible(page)
    open_card_by_search(page, "esimerkki")
    expect(page.get_by_text("Terveystarkastuksen palaute")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # Nurse Bertta records that Sari withdrew the consent by phone.
    log_in(page, world["bertta"])
    open_card_by_search(page, "sari")
    page.get_by_role("link", name=re.compile("Voimassa")).click()
    expect(page.get_by_role("heading", name=re.compile("Suostumus"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Suullisesti").check()
    page.get_by_role("button", name="Peru suostumus").click()
    expect(page.get_by_text("Peruminen tuli voimaan heti")).to_be_visible()
    expect(page.get_by_text("Peruttu", exact=True)).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # Aino no longer sees the health entry, and is told that something is hidden.
    log_in(page, world["aino"])
    open_card_by_search(page, "esimerkki")
    expect(page.get_by_role("heading", name="Työllistymissuunnitelma")).to_be_visible()
    expect(page.get_by_text("Terveystarkastuksen palaute")).to_have_count(0)
    expect(page.get_by_text("tietoja, jotka eivät näy sinulle")).to_be_visible()

    # Who looked: Aino sees her own organisation's reads; Bertta's would reveal that Sari uses
    # the county's services, which the withdrawn consent no longer lets her see (R3).
    page.get_by_role("link", name="Kuka on katsonut tietoja").click()
    expect(page.get_by_role("cell", name=re.compile("Aaltonen")).first).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Berg"))).to_have_count(0)
    expect(page.get_by_text("muiden organisaatioiden rivejä")).to_be_visible()
    assert_accessible(page)


def test_coordinator_records_a_consent_and_an_entry(page: Page, world):
    log_in(page, world["aino"])
    open_card_by_search(page, "esimerkki")
    page.get_by_role("link", name="Kirjaa suostumus").click()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna suostumus").click()
    expect(page.get_by_role("alert")).to_contain_text("Valitse vähintään yksi tietoryhmä")
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("Luovuttavat")).get_by_label(
        "Esimerkkilän työllisyyspalvelut"
    ).check()
    page.get_by_role("group", name=re.compile("Vastaanottavat")).get_by_label(
        "Esimerkkimaakunnan hyvinvointialue"
    ).check()
    page.get_by_label("Suunnitelma ja seuranta").check()
    page.get_by_label("Käyttötarkoitus").fill("Yhteinen suunnitelma")
    page.get_by_label("Kirjallinen lomake").check()
    page.get_by_role("button", name="Tallenna suostumus").click()
    expect(page.get_by_text("Suostumus kirjattiin.")).to_be_visible()
    page.get_by_role("link", name="Takaisin asiakkaan tietoihin").click()
    open_card_parts(page)
    page.get_by_label("Tietoryhmä").select_option("notes")
    page.get_by_label("Otsikko").fill("Puhelu")
    page.get_by_label("Teksti").fill("Sovittiin tapaaminen.")
    page.get_by_role("button", name="Tallenna kirjaus").click()
    expect(page.get_by_text("Kirjaus tallennettiin.")).to_be_visible()
    open_card_parts(page)
    expect(page.get_by_role("heading", name="Puhelu")).to_be_visible()
    assert_accessible(page)


def test_registering_a_client_and_keyboard_only_search(page: Page, world):
    log_in(page, world["aino"])
    page.get_by_role("link", name="Uusi asiakas").click()
    assert_accessible(page)
    page.get_by_label("Etunimet").fill("Matti")
    page.get_by_label("Sukunimi").fill("Meikäläinen")
    page.get_by_label("Henkilötunnus").fill("010101A900X")
    page.get_by_role("button", name="Tallenna asiakas").click()
    expect(page.get_by_role("alert")).to_contain_text("tarkistusmerkki")
    assert_accessible(page)
    page.get_by_label("Henkilötunnus").fill("010101a900r")
    page.get_by_role("button", name="Tallenna asiakas").click()
    expect(page.get_by_role("heading", name="Meikäläinen, Matti", level=1)).to_be_visible()

    # Keyboard only: skip link, then tab to the search field.
    page.goto("/asiakkaat/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Siirry pääsisältöön")).to_be_focused()
    page.get_by_label("Henkilötunnus").focus()
    page.keyboard.type("010101A900R")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=re.compile("Meikäläinen, Matti"))).to_be_visible()


def test_emergency_access_is_reasoned_and_reviewed(page: Page, world):
    other = OrganisationFactory.create(code="org-tyo-2", name_fi="Pohjalan työllisyyspalvelut")
    lauri = make_person("lauri", "Lauri Lind", other, Role.COORDINATOR)
    helena = make_person("helena", "Helena Heikkilä", other, Role.MANAGER)
    log_in(page, lauri)
    page.goto(f"/asiakkaat/{world['sari'].id}/")
    expect(
        page.get_by_role("heading", name=re.compile("Sivua ei löytynyt|Not Found"))
    ).to_be_visible()
    page.goto(f"/asiakkaat/{world['sari'].id}/hatakaytto/")
    assert_accessible(page)
    page.get_by_label("Peruste hätäkäytölle").fill("lyhyt")
    page.get_by_role("button", name="Avaa hätäkäyttö").click()
    expect(page.get_by_role("alert")).to_contain_text("vähintään 20 merkkiä")
    page.get_by_label("Peruste hätäkäytölle").fill(
        "Asiakas on päivystyksessä, tarvitaan tiedot hoidon järjestämiseksi."
    )
    page.get_by_role("button", name="Avaa hätäkäyttö").click()
    expect(page.get_by_text("hätäkäytön perusteella")).to_be_visible()
    open_card_parts(page)
    expect(page.get_by_text("Terveystarkastuksen palaute")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, helena, start="Organisaation käyttöloki")
    page.get_by_role("link", name="Hätäkäytöt").click()
    assert_accessible(page)
    page.get_by_label("Perusteltu", exact=True).check()
    page.get_by_role("button", name="Tallenna tarkastus").click()
    expect(page.get_by_text("Hätäkäyttö merkittiin tarkastetuksi.")).to_be_visible()
    assert EmergencyAccess.objects.get().review_outcome == "justified"
    page.get_by_role("link", name="Käyttöloki").click()
    expect(page.get_by_role("heading", name="Organisaation käyttöloki")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Toiminto").select_option("emergency")
    page.get_by_role("button", name="Suodata").click()
    expect(page.get_by_role("cell", name=re.compile("Lind")).first).to_be_visible()
    assert_accessible(page)


def test_too_many_failed_logins_show_an_accessible_lockout_page(page: Page, world):
    page.goto("/kirjaudu/")
    for _ in range(5):
        page.get_by_label("Käyttäjätunnus").fill("aino")
        page.get_by_label("Salasana").fill("väärä-salasana")
        page.get_by_label("Vahvistuskoodi").fill("123456")
        page.get_by_role("button", name="Kirjaudu").click()
    expect(page.get_by_role("heading", name="Kirjautuminen on estetty hetkeksi")).to_be_visible()
    assert_accessible(page)


def test_a_consent_changed_meanwhile_is_shown_not_overwritten(page: Page, world):
    from tyollisyystalo.consents.services import ConsentInput, consent_revise

    consent = world["consent"]
    log_in(page, world["bertta"])
    page.goto(f"/suostumukset/{consent.pk}/muuta/")
    page.get_by_label("Käyttötarkoitus").fill("Minun muutokseni")
    # Meanwhile someone else saves version 2 of the same consent.
    current = consent.versions.get(is_current=True)
    consent_revise(
        actor=world["bertta"],
        consent_id=consent.pk,
        data=ConsentInput(
            disclosing_organisation_ids=frozenset(
                o.pk for o in current.disclosing_organisations.all()
            ),
            receiving_organisation_ids=frozenset(
                o.pk for o in current.receiving_organisations.all()
            ),
            categories=frozenset(c.category for c in current.categories.all()),
            purpose="Toisen tallentama",
            method=current.method,
            form_reference=current.form_reference,
            valid_from=current.valid_from,
            valid_until=current.valid_until,
        ),
    )
    page.get_by_role("button", name="Tallenna suostumus").click()
    notice = page.get_by_role("alert").filter(has_text="Joku muu muutti suostumusta")
    expect(notice).to_contain_text("Toisen tallentama")
    expect(page.get_by_label("Käyttötarkoitus")).to_have_value("Minun muutokseni")
    assert_accessible(page)
    assert consent.versions.get(is_current=True).purpose == "Toisen tallentama"
