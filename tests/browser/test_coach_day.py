"""The coach's day in a real browser (issue 14 parts 5 and 7): the worklist shows a follow-along
contact due, the modular period's page takes the client's assessment of a module (a score
outside 1–5 refused first), a peer coach is added (a missing name refused first), axe-core
clean on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, add_to_team, make_client, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.clients.models import ClientRelationship
from tyollisyystalo.coaching import services
from tyollisyystalo.coaching_modules.models import ModuleAssessment, PeerCoach
from tyollisyystalo.coaching_modules.services import ModuleData, module_add
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_sees_what_is_due_and_records_a_module_assessment(page: Page):
    today = timezone.localdate()
    askelma = OrganisationFactory.create(code="org-askelma", name_fi="Askelma-säätiö")
    team = CoachingTeam.objects.create(name="Työhönvalmennuksen yhteistiimi")
    team.organisations.set([askelma])
    ville = make_person("ville", "Ville Virtanen", askelma, Role.JOB_COACH)
    klaus = make_client(organisation=askelma, name=("Klaus", "Kivinen"))
    add_to_team(klaus, ville)
    ClientRelationship.objects.filter(client=klaus).update(started_on=today - dt.timedelta(days=90))
    period = services.period_start(
        actor=ville,
        client_id=klaus.pk,
        kind="modular",
        intensity="light",
        started_on=today - dt.timedelta(days=60),
    )
    module = module_add(
        staff=ville,
        period_id=period.pk,
        data=ModuleData(
            title="Arjen rytmi",
            provider=askelma,
            planned_start=today - dt.timedelta(days=50),
            planned_end=today - dt.timedelta(days=5),
        ),
    )

    log_in(page, ville)
    page.get_by_role("link", name="Valmentajan työlista").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Arjen rytmi")).not_to_have_count(0)
    assert_accessible(page)

    page.goto(f"/valmennus/{period.pk}/")
    page.get_by_role("link", name="Moduulit, arviot ja vertaisvalmennus").click()
    expect(page.get_by_role("heading", name="Arjen rytmi")).to_be_visible()
    assert_accessible(page)
    page.locator("summary", has_text="Kirjaa arvio").click()
    form = page.locator(f"form[action$='/moduuli/{module.pk}/arvio/']")
    form.get_by_label("Kenen arvio").select_option("client")
    form.get_by_label("Arvio asteikolla 1–5").fill("7")
    form.get_by_role("button", name="Tallenna arvio").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    assert not ModuleAssessment.objects.exists()
    form = page.locator(f"form[action$='/moduuli/{module.pk}/arvio/']")
    form.get_by_label("Arvio asteikolla 1–5").fill("4")
    form.get_by_role("button", name="Tallenna arvio").click()
    expect(page.get_by_role("heading", name="Arjen rytmi")).to_be_visible()
    assert_accessible(page)
    assessment = ModuleAssessment.objects.get()
    assert (assessment.party, assessment.score) == ("client", 4)

    # Peer coaches of the organisation: a name is required; then the coach is listed.
    page.goto(f"/valmennus/moduulit/vertaisvalmentajat/{askelma.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vertaisvalmentajat")
    assert_accessible(page)
    page.get_by_role("button", name="Lisää", exact=True).click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)
    assert not PeerCoach.objects.exists()
    page.locator("form[action$='/uusi/'] input[name=name]").fill("Pekka Vertanen")
    page.get_by_role("button", name="Lisää", exact=True).click()
    expect(page.get_by_text("Pekka Vertanen")).not_to_have_count(0)
    assert_accessible(page)
    assert PeerCoach.objects.get().name == "Pekka Vertanen"
