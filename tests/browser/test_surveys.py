"""Klaus answers his surveys: on his own pages in Finnish (a missing answer refused first, easy
Finnish on request), and by a single-use link in English, which then says it was used. The
coordinator copies an SMS-ready link; the manager reads results with the small-number rule."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, StaffFactory, make_client, open_path
from tests.browser.conftest import assert_accessible, open_card_parts
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.cases.services import case_transition
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys.definitions import survey_current
from tyollisyystalo.surveys.models import Answer, AnswerValue, Invitation
from tyollisyystalo.surveys.services import (
    answer_record,
    invitation_link_make,
    path_six_months_invite,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_klaus_answers_on_his_own_pages_and_by_a_link(page: Page, settings):
    settings.DEMO = True
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    aino = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    klaus = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    ClientAccount.objects.create(user=get_user_model().objects.create_user("klaus"), client=klaus)
    case = open_path(aino, klaus, started_days_ago=200)
    path_six_months_invite(case=case, at=timezone.now())
    closing = Invitation.objects.get()
    assert closing.survey == "client_satisfaction"

    # On his own pages, in Finnish.
    page.goto("/omat/kirjaudu/")
    page.get_by_label("Esittelyasiakas").select_option(label="Kivinen, Klaus")
    page.get_by_role("button", name="Kirjaudu esittelyasiakkaana").click()
    expect(page.get_by_role("heading", name="Kyselyt sinulle")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Asiakastyytyväisyys").click()
    expect(page.get_by_role("heading", name="Asiakastyytyväisyys", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Näytä kysely selkosuomeksi").click()
    expect(page.get_by_role("heading", name="Mitä mieltä olet palvelusta?")).to_be_visible()
    assert_accessible(page)
    overall = page.get_by_role("group", name=re.compile("Anna palvelulle arvosana"))
    overall.get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the other required answers missing
    assert Answer.objects.count() == 0
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("Minua kuunneltiin")).get_by_label("5").check()
    page.get_by_role("group", name=re.compile("minun näköiseni")).get_by_label("4").check()
    page.get_by_role("group", name=re.compile("monta kertaa")).get_by_label("Ei").check()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    expect(page.get_by_role("heading", name="Kiitos vastauksistasi")).to_be_visible()
    assert_accessible(page)
    assert sorted(AnswerValue.objects.values_list("item", "value")) == [
        ("heard", 5),
        ("overall", 9),
        ("plan_mine", 4),
        ("repeated_story", 0),
    ]
    page.get_by_role("link", name="Takaisin omille sivuille").click()
    expect(page.get_by_role("heading", name="Kyselyt sinulle")).to_have_count(0)
    page.get_by_role("button", name="Kirjaudu ulos").click()

    # By a link, in English: the path closed and the work-ability survey came by SMS.

    today = timezone.localdate()
    case_transition(actor=aino, case_id=case.id, to_status="active", on=today)
    case_transition(
        actor=aino, case_id=case.id, to_status="closed", on=today, outcome="job_or_study"
    )
    change = Invitation.objects.get(survey="work_ability_change")
    token = invitation_link_make(invitation_id=change.pk)
    page.goto(f"/kysely/{token}/")
    page.get_by_label("Kieli").select_option("en")
    page.get_by_role("button", name="Vaihda", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Change in your work ability", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("work ability now")).get_by_label("7").check()
    page.get_by_role("group", name=re.compile("at the start")).get_by_label("3").check()
    page.get_by_role("button", name="Send the answers").click()
    expect(page.get_by_role("heading", name="Thank you for your answers")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/kysely/{token}/")
    expect(page.get_by_role("heading", name="The survey has already been answered")).to_be_visible()
    assert_accessible(page)
    assert Answer.objects.filter(survey="work_ability_change").count() == 1


def test_coordinator_copies_an_sms_link_and_the_manager_reads_results(page: Page, settings):

    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    north = Municipality.objects.create(code="901", name_fi="Pohjola")
    south = Municipality.objects.create(code="902", name_fi="Etelä")
    employment.municipalities.set([north, south])
    aino = StaffFactory.create(
        user__username="aino", organisation=employment, role=Role.COORDINATOR
    )
    mikko = StaffFactory.create(user__username="mikko", organisation=employment, role=Role.MANAGER)
    klaus = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    case = open_path(aino, klaus)
    today = timezone.localdate()
    case_transition(actor=aino, case_id=case.id, to_status="active", on=today)
    case_transition(actor=aino, case_id=case.id, to_status="closed", on=today, outcome="other")
    survey = survey_current("client_satisfaction")
    for place, grades in ((north, [9, 8, 8, 10, 7, 9, 9, 8, 10, 9, 8, 9]), (south, [6, 7, 8])):
        for grade in grades:
            answer_record(
                survey=survey,
                organisation_id=employment.pk,
                municipality_id=place.pk,
                month=today,
                cleaned={"overall": grade, "heard": 4, "plan_mine": 4, "repeated_story": False},
            )

    # The coordinator copies an SMS-ready link from the client card.
    log_in(page, aino)
    page.goto(f"/asiakkaat/{klaus.pk}/")
    open_card_parts(page)
    expect(page.get_by_role("heading", name="Kyselyt", level=2)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tee linkki tekstiviestiin").first.click()
    expect(page.get_by_role("heading", name="Kyselylinkki tekstiviestiin")).to_be_visible()
    expect(page.get_by_label("Tekstiviesti")).to_have_value(re.compile(r"/kysely/\S+/"))
    assert_accessible(page)
    log_out(page)

    # The manager reads the results: 15 answers, Etelä's 3 hidden and Pohjala's 12 with it.
    log_in(page, mikko, start="Organisaation käyttöloki")
    page.goto("/johtaminen/")
    page.get_by_role("link", name="Kyselyjen tulokset").click()
    assert_accessible(page)
    page.get_by_role("link", name="Asiakastyytyväisyys").click()
    expect(page.get_by_text(re.compile("15 vastausta"))).to_be_visible()
    places = page.get_by_role("table", name=re.compile("kunnittain"))
    expect(places.get_by_role("row", name=re.compile("Etelä"))).to_contain_text("< 5")
    expect(places.get_by_role("row", name=re.compile("Pohjola"))).to_contain_text("x")
    assert_accessible(page)
    page.get_by_label("Kunta").select_option("902")
    page.get_by_role("button", name="Näytä").click()
    expect(page.get_by_text(re.compile("tuloksia ei näytetä"))).to_be_visible()
    assert_accessible(page)
