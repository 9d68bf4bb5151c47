"""The fidelity review and the IPS measures in a real browser: the team leader runs a review,
writes an improvement plan and sees the scores over time; axe-core clean on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.fidelity.models import FidelityReview, ImprovementAction
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_runs_a_review_and_plans_improvement(page: Page):
    askelma = OrganisationFactory.create(code="org-askelma", name_fi="Askelma ry")
    team = CoachingTeam.objects.create(name="Työhönvalmennuksen yhteistiimi")
    team.organisations.set([askelma])
    leena = make_person("leena", "Leena Lahti", askelma, Role.JOB_COACH)
    team.leaders.add(leena)

    log_in(page, leena)
    page.goto("/valmennus/laatuarviointi/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("IPS-laatuarviointi")
    assert_accessible(page)

    page.get_by_role("link", name="Uusi arviointi").click()
    assert_accessible(page)
    for radio in page.get_by_role("radio", name=re.compile(r"^4 – ")).all():
        radio.check()
    page.get_by_role("radio", name=re.compile(r"^3 – ")).first.check()  # caseload size
    page.get_by_label("Perustelu, kohta 1", exact=True).fill(
        "Kaksi valmentajaa, 27 asiakasta kummallakin."
    )
    page.get_by_role("button", name="Tallenna arviointi").click()
    expect(page.get_by_text("99 / 125")).to_be_visible()
    expect(page.get_by_text("Kohtalainen")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Mitä tehdään").fill("Rekrytoidaan kolmas valmentaja.")
    page.get_by_label("Kuka vastaa").fill("Tiimin vetäjä")
    page.get_by_label("Mihin mennessä").fill("2099-06-30")
    page.get_by_role("button", name="Lisää").click()
    expect(page.get_by_role("cell", name="Rekrytoidaan kolmas valmentaja.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Takaisin").click()
    expect(page.get_by_role("table")).to_contain_text("99")
    expect(page.locator("svg[role=img]")).to_be_visible()
    assert_accessible(page)

    page.goto("/valmennus/mittarit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Omat IPS-mittarit")
    assert_accessible(page)
    page.get_by_role("link", name="Työhönvalmennuksen yhteistiimi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Työhönvalmennuksen yhteistiimi")
    assert_accessible(page)

    review = FidelityReview.objects.get()
    assert (review.total, review.band) == (99, "fair")
    assert ImprovementAction.objects.get().item_key == "caseload_size"
