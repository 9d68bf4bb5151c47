"""Every page of the client's path that the Klaus walkthrough does not pass, with axe-core,
including the pages that answer bad input with errors."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_client, make_consent, make_person, open_path
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.cases.consultations import consultation_create, consultation_item_add
from tyollisyystalo.organisations.models import OrganisationType
from tyollisyystalo.plans.services import plan_create, plan_revise
from tyollisyystalo.plans.tests.test_content import GOOD
from tyollisyystalo.referrals.services import referral_send
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.worktrials.services import feedback_link_create, feedback_link_revoke

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def path_world():
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    ngo = OrganisationFactory.create(
        code="org-askelma", name_fi="Askelma", type=OrganisationType.NGO
    )
    aino = make_person("aino", "Aino Aaltonen", employment, Role.COORDINATOR)
    ville = make_person("ville", "Ville Virtanen", ngo, Role.JOB_COACH)
    klaus = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    case = open_path(aino, klaus)
    plan = plan_create(
        actor=aino,
        case_id=case.id,
        plan_type="client",
        started_on=timezone.localdate(),
        content=GOOD,
    )
    plan_revise(actor=aino, plan_id=plan.id, base_number=1, content={**GOOD, "summary": "Uusi"})
    make_consent(
        klaus,
        disclosing=[employment],
        receiving=[ngo],
        categories=["identity", "education_work"],
        recorder=aino,
    )
    referral = referral_send(
        actor=aino,
        case_id=case.id,
        reason="Työhönvalmennus",
        categories=["education_work"],
        receiving_organisation=ngo,
    )
    meeting = consultation_create(actor=aino, held_on=timezone.localdate(), title="Tiimi")
    consultation_item_add(actor=aino, consultation_id=meeting.pk, case_id=case.id)
    link, token = feedback_link_create(
        actor=aino, case_id=case.id, trial_label="Klaus, varasto", host_name="Varasto Oy"
    )
    feedback_link_revoke(actor=aino, link_id=link.pk)
    return {
        "aino": aino,
        "ville": ville,
        "klaus": klaus,
        "case": case,
        "plan": plan,
        "referral": referral,
        "meeting": meeting,
        "revoked_token": token,
    }


def test_path_pages_and_their_error_states_are_accessible(page: Page, path_world):
    w = path_world
    klaus, case, plan = w["klaus"], w["case"], w["plan"]
    log_in(page, w["aino"])

    # An instrument form, and the same form refused with every missing answer named.
    page.goto(f"/asiakkaat/{klaus.id}/mittarit/work_ability_index/uusi/")
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna vastaukset").click()
    expect(page.get_by_text("Tämä kenttä vaaditaan.").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"/asiakkaat/{klaus.id}/ensitapaaminen/")
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna kartoitus").click()
    expect(page.get_by_text("Kirjoita ainakin yksi kohta.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/polut/{case.id}/vastuuhenkilot/")
    assert_accessible(page)

    page.goto("/polut/konsultaatiot/")
    assert_accessible(page)
    page.goto(f"/polut/konsultaatiot/{w['meeting'].pk}/")
    expect(page.get_by_role("link", name=re.compile("Kivinen, Klaus"))).to_be_visible()
    assert_accessible(page)

    page.goto(f"/suunnitelmat/{plan.id}/?versio=1")
    expect(page.get_by_text("Tämä on vanha versio")).to_be_visible()
    assert_accessible(page)
    # A small action form refused: a 400 page naming the problem, with the way back.
    page.get_by_text("Kirjaa paperilla tai tapaamisessa annettu hyväksyntä").click()
    page.get_by_role("button", name="Kirjaa hyväksyntä").click()
    expect(page.get_by_role("heading", name="Tietoja ei tallennettu")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/suunnitelmat/{plan.id}/muokkaa/")
    assert_accessible(page)
    page.locator("#goal-0-text").fill("")
    page.get_by_role("button", name="Tallenna uusi versio").click()
    expect(page.get_by_text("Kirjoita tavoite.")).to_be_visible()
    assert_accessible(page)

    # A referral without the consent it needs is refused, saying what is missing.
    page.goto(f"/lahetteet/uusi/{case.id}/")
    assert_accessible(page)
    page.get_by_role("combobox", name="tai vastaanottava organisaatio").fill("askel")
    page.get_by_role("option", name=re.compile("Askelma")).click()
    page.get_by_label("Ohjauksen syy").fill("Terveystarkastus")
    page.get_by_label("Terveys ja toimintakyky").check()
    page.get_by_role("button", name="Lähetä lähete").click()
    expect(page.get_by_text(re.compile("Asiakkaan suostumus puuttuu")).first).to_be_visible()
    assert_accessible(page)
    page.goto(f"/lahetteet/{w['referral'].id}/")
    assert_accessible(page)

    page.goto(f"/tyokokeilu/uusi/{case.id}/")
    assert_accessible(page)
    log_out(page)

    # The host's revoked link says so plainly.
    page.goto(f"/tyokokeilu/palaute/{w['revoked_token']}/")
    expect(page.get_by_role("heading", name="Linkki on peruttu")).to_be_visible()
    assert_accessible(page)

    # The receiver sees the referral with the shared data, and its answer form.
    log_in(page, w["ville"])
    page.goto("/polut/")
    page.get_by_role("link", name=re.compile("Kivinen, Klaus")).click()
    expect(page.get_by_role("heading", name="Vastaa lähetteeseen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hylkää lähete").check()
    page.get_by_role("button", name="Tallenna vastaus").click()
    expect(page.get_by_text("Kerro, miksi lähete hylätään.").first).to_be_visible()
    assert_accessible(page)
