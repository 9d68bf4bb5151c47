"""Klaus's path in a browser: the coordinator, a team member, the work-trial host and Klaus
himself, with axe-core on every page on the way (seed 001's story)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_client, make_consent, make_person
from tests.browser.conftest import assert_accessible, open_card_parts
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def klaus_world(settings):
    settings.DEMO = True
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
    klaus = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    make_consent(
        klaus,
        disclosing=[employment],
        receiving=[county],
        categories=["identity", "plan", "assessments"],
        recorder=aino,
    )
    user = User.objects.create_user(username="klaus")
    ClientAccount.objects.create(user=user, client=klaus)
    return {"aino": aino, "bertta": bertta, "klaus": klaus}


def test_klaus_path_by_coordinator_team_member_host_and_client(page: Page, klaus_world):
    aino, bertta, klaus = klaus_world["aino"], klaus_world["bertta"], klaus_world["klaus"]

    # Identification: a Work Ability Score of 5 suggests a coordinator; Aino accepts it.
    log_in(page, aino)
    page.goto(f"/asiakkaat/{klaus.id}/mittarit/")
    assert_accessible(page)
    page.get_by_role("link", name="Työkykypistemäärä").click()
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Tallenna vastaukset").click()
    expect(page.get_by_text("Työkykypistemäärä on alle 7")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name="Hyväksy ehdotus").click()
    expect(page.get_by_text("Ehdotus hyväksyttiin")).to_be_visible()

    # The path: opened from the card, moved to intake; the reviews are dated.
    page.goto(f"/asiakkaat/{klaus.id}/")
    page.get_by_role("link", name="Avaa palvelupolku").click()
    assert_accessible(page)
    page.get_by_label("Työllisyyspalveluiden kautta").check()
    page.get_by_label("Ohjaaja").fill("Eero Eskola")
    page.get_by_role("button", name="Avaa palvelupolku").click()
    expect(page.get_by_role("heading", name=re.compile("Palvelupolku"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Uusi tila").select_option("intake")
    page.get_by_role("button", name="Tallenna tila").click()
    expect(page.get_by_text("Palvelupolun tila muuttui.")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("Väliarviointi")).first).to_be_visible()
    assert_accessible(page)

    # The team: Bertta is invited by name; the page says what consent still allows her.
    page.get_by_role("link", name="Kutsu tiimiin").click()
    page.wait_for_load_state()  # the picker's script has put the combobox in place
    page.get_by_role("combobox", name="Työntekijä").fill("Berg")
    page.get_by_role("option", name=re.compile("Bertta Berg")).click()
    assert_accessible(page)
    page.get_by_label("Tehtävä asiakkaan asiassa").fill("Työttömien terveystarkastus")
    page.get_by_role("button", name="Lähetä kutsu").click()
    expect(page.get_by_text("Kutsuttu", exact=True)).to_be_visible()
    expect(page.get_by_text("Ei näe ilman suostumusta")).to_be_visible()

    # One shared plan with a goal, a measure and a responsible party.
    page.get_by_role("link", name="Laadi suunnitelma").click()
    page.get_by_label("Asiakassuunnitelma").check()
    page.locator("#goal-0-text").fill("Työkokeilu remonttityössä")
    page.locator("#goal-0-measure").fill("Työkokeilupäiviä viikossa")
    page.locator("#action-0-what").fill("Oma työnhaku")
    page.locator("#action-0-responsible_kind").select_option("client")
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna suunnitelma").click()
    expect(page.get_by_text("Mitä suunnitelmasta vielä puuttuu")).to_be_visible()
    expect(page.get_by_text(re.compile("puuttuu seurantapäivä"))).to_be_visible()
    expect(page.get_by_role("link", name="Tulosta (PDF)")).to_be_visible()
    assert_accessible(page)

    # A work trial: the host gets a one-time link.
    page.get_by_role("link", name="Takaisin palvelupolkuun").click()
    page.get_by_role("link", name="Pyydä palautetta työkokeilusta").click()
    page.locator("#id_trial_label").fill("Klaus, remonttityö")
    page.get_by_label("Työkokeilun järjestäjä").fill("Remontti Oy")
    page.get_by_role("button", name="Luo linkki").click()
    expect(page.get_by_role("heading", name="Palautelinkki luotiin")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_label("Linkki").input_value()
    log_out(page)

    page.goto(link)
    assert_accessible(page)
    page.get_by_label("Nimesi").fill("Rauno Rakentaja")
    page.get_by_role("group", name="Työtahti").get_by_label("4 – Hyvä").check()
    page.get_by_label("Työkokeilijan vahvuudet").fill("Huolellinen ja oppii nopeasti.")
    page.get_by_role("button", name="Lähetä palaute").click()
    expect(page.get_by_role("heading", name="Kiitos palautteesta")).to_be_visible()
    assert_accessible(page)
    page.goto(link)
    expect(page.get_by_role("heading", name="Palaute on jo annettu")).to_be_visible()

    # Bertta accepts the invitation from her worklist.
    log_in(page, bertta)
    page.goto("/polut/")
    assert_accessible(page)
    page.get_by_role("button", name="Hyväksy kutsu").click()
    expect(page.get_by_text("Liityit asiakkaan tiimiin.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # Aino: the host's feedback is in the assessment; Klaus got a job, the path continues.
    log_in(page, aino)
    page.goto("/polut/")
    assert_accessible(page)
    page.goto(f"/asiakkaat/{klaus.id}/")
    open_card_parts(page)
    page.get_by_role("link", name=re.compile("Alkukartoitus")).first.click()
    expect(page.get_by_text("Huolellinen ja oppii nopeasti.")).to_be_visible()
    page.get_by_label("Uusi tila").select_option("active")
    page.get_by_role("button", name="Tallenna tila").click()
    page.get_by_role("button", name="Kirjaa työ- tai opiskelupaikka").click()
    expect(page.get_by_text("Palvelu jatkuu vähintään seuraavaan väliarviointiin.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # Klaus in his own pages: plan, next review, answers, consents and who read his data.
    page.goto("/omat/kirjaudu/")
    assert_accessible(page)
    page.get_by_label("Esittelyasiakas").select_option(label="Kivinen, Klaus")
    page.get_by_role("button", name="Kirjaudu esittelyasiakkaana").click()
    expect(page.get_by_role("heading", name=re.compile("Omat sivut"), level=1)).to_be_visible()
    expect(page.get_by_text("Työkokeilu remonttityössä")).to_be_visible()
    expect(page.get_by_text("Palvelu on käynnissä", exact=False)).to_be_visible()
    expect(page.get_by_role("cell", name="Esimerkkilän työllisyyspalvelut").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tee uusi itsearvio").click()
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("työtä tai opiskella")).get_by_label("7").check()
    page.get_by_role("button", name="Tallenna vastaukset").click()
    expect(page.get_by_text("Vastauksesi tallentuivat")).to_be_visible()
    page.get_by_role("link", name="Peru tämä suostumus").click()
    assert_accessible(page)
    page.get_by_role("button", name="Peru suostumus").click()
    expect(page.get_by_text("Suostumus on peruttu.")).to_be_visible()
    assert_accessible(page)
