"""The job coach's walk in a real browser (issue 14): a referral accepted → a coaching period →
form A → an employer meeting (form B) → a job start (form C) → follow-along support → the
fidelity review; refused input on the way, the period page in Swedish and English, axe-core
clean on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import (
    OrganisationFactory,
    add_to_team,
    make_client,
    make_consent,
    make_person,
    open_path,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.coaching.models import CoachingPeriod, Placement, SupportContact
from tyollisyystalo.employers.models import CoachingTeam, Employer, EmployerContact
from tyollisyystalo.fidelity.models import FidelityReview
from tyollisyystalo.referrals.services import referral_send
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_walks_from_referral_to_job_and_fidelity_review(page: Page):
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    askelma = OrganisationFactory.create(code="org-askelma", name_fi="Askelma-säätiö")
    team = CoachingTeam.objects.create(name="Työhönvalmennuksen yhteistiimi")
    team.organisations.set([askelma])
    aino = make_person("aino", "Aino Aaltonen", employment, Role.COORDINATOR)
    ville = make_person("ville", "Ville Virtanen", askelma, Role.JOB_COACH)
    team.leaders.add(ville)
    employer = Employer.objects.create(team=team, name="Remontti Rakenne Oy", created_by=ville)
    klaus = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    add_to_team(klaus, aino)
    case = open_path(aino, klaus)
    make_consent(
        klaus,
        disclosing=[employment],
        receiving=[askelma],
        categories=["identity", "education_work"],
        recorder=aino,
    )
    referral = referral_send(
        actor=aino,
        case_id=case.pk,
        reason="Tavoitteena palkkatyö. Klaus toivoo työhönvalmennusta.",
        categories=["identity", "education_work"],
        receiving_organisation=askelma,
    )

    log_in(page, ville)
    # The receiver accepts the referral and starts a period from it.
    page.goto(f"/lahetteet/{referral.pk}/")
    assert_accessible(page)
    page.get_by_label("Hyväksy lähete").check()
    page.get_by_role("button", name="Tallenna vastaus").click()
    page.get_by_role("link", name="Aloita valmennusjakso").click()
    assert_accessible(page)
    page.get_by_role("button", name="Aloita valmennus").click()
    expect(page.get_by_role("heading", name=re.compile("Valmennusjakso"), level=1)).to_be_visible()
    assert_accessible(page)
    period = CoachingPeriod.objects.get(client=klaus)
    assert (period.referral_id, period.case_id, period.status) == (referral.pk, case.pk, "started")

    # Form A: refused while required answers are missing, typed values kept.
    page.get_by_role("link", name="A Ammatillinen profiili").click()
    page.get_by_label("Koulutus").fill("Talonrakentajan ammattitutkinto")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Koulutus")).to_have_value("Talonrakentajan ammattitutkinto")
    assert_accessible(page)
    page.get_by_label("Työhistoria").fill("Remonttimies 2008–2022")
    page.get_by_label("Toivotut työt").fill("Remonttityöntekijä")
    page.get_by_label("Oma tavoite").fill("Palkkatyö remonttiyrityksessä")
    page.locator("input[name=disclosure][value=coaching_only]").check()
    page.locator("input[name=benefits_counselling][value=yes]").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Lomakkeet")).to_be_visible()
    expect(page.get_by_text("Palkkatyö remonttiyrityksessä")).to_be_visible()

    # Form B: a meeting with an employer about Klaus goes to the team's register.
    page.get_by_role("link", name="B Työnantajatapaaminen").click()
    assert_accessible(page)
    page.locator("select[name=employer]").select_option(str(employer.pk))
    page.locator("input[name=purpose][value=about_client]").check()
    page.locator("input[name=face_to_face][value=yes]").check()
    page.locator("textarea[name=notes]").fill("Esittelin Klausin osaamisen.")
    page.get_by_label("Tapaaminen koski tätä asiakasta").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("link", name="Remontti Rakenne Oy")).to_be_visible()
    contact = EmployerContact.objects.get(employer=employer)
    assert (contact.client_id, contact.kind) == (klaus.id, "meeting")

    # Form C: hours per week outside 1–60 are refused; then the job starts.
    page.get_by_role("link", name="C Työsuhteen alkaminen").click()
    assert_accessible(page)
    page.locator("select[name=employer]").select_option(str(employer.pk))
    page.locator("input[name=job_title]").fill("Remonttityöntekijä")
    page.locator("input[name=hours_per_week]").fill("70")
    page.locator("input[name=contract_type][value=fixed_term]").check()
    for name in ("competitive", "pay_subsidy", "benefits_info_given"):
        page.locator(f"input[name={name}][value=yes]").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    assert not Placement.objects.exists()
    page.locator("input[name=hours_per_week]").fill("30")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("cell", name="Remonttityöntekijä")).to_be_visible()
    period.refresh_from_db()
    assert period.status == "employed"

    # Follow-along support after the job start.
    page.get_by_label("Uusi tila").select_option("follow_along")
    page.get_by_role("button", name="Vaihda tila").click()
    expect(page.get_by_text(re.compile("Työssä jatkuva tuki"))).not_to_have_count(0)
    page.get_by_label("Yhteydenoton laji").select_option("follow_along")
    page.get_by_role("button", name="Kirjaa yhteydenotto").click()
    assert_accessible(page)
    period.refresh_from_db()
    assert period.status == "follow_along"
    assert SupportContact.objects.filter(period=period, kind="follow_along").exists()

    # The period page in Swedish and English, then back to Finnish.
    for language, label, button, heading in (
        ("sv", "Kieli", "Vaihda", "Coachningsperiod"),
        ("en", "Språk", "Byt", "Coaching period"),
        ("fi", "Language", "Change", "Valmennusjakso"),
    ):
        page.get_by_label(label).select_option(language)
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)

    # The team leader's fidelity review: pre-filled figures shown, every item scored.
    page.goto(f"/valmennus/laatuarviointi/tiimi/{team.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("IPS-laatuarviointi")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Uusi arviointi")).click()
    assert_accessible(page)
    page.locator("input[name=reviewers]").first.check()
    # Pre-filled items start at the figure's score; every item gets 4 with a note.
    page.locator("input[type=radio][name^=score_][value='4']").evaluate_all(
        "inputs => inputs.forEach(i => { i.checked = true; })"
    )
    page.locator("textarea[name^=evidence_]").evaluate_all(
        "areas => areas.forEach(a => { a.value = 'Arvioitu tiimin kanssa.'; })"
    )
    page.get_by_role("button", name=re.compile("Tallenna")).click()
    expect(page.get_by_text(re.compile("100"))).not_to_have_count(0)
    assert_accessible(page)
    review = FidelityReview.objects.get(team=team)
    assert (review.total, review.band, review.complete) == (100, "good", True)
