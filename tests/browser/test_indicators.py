"""The manager's indicators in a real browser: the figures against the region's goal, a
municipality's trend, setting a goal (a bad one refused first); axe-core clean on every page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import OrganisationFactory, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.indicators.models import IndicatorGoal
from tyollisyystalo.indicators.periods import PeriodKind, period_of
from tyollisyystalo.indicators.services import region_goal_set
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_indicators_and_sets_a_goal(page: Page) -> None:
    organisation = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    x01 = b.municipality("X01", "Esimerkkilä")
    x02 = b.municipality("X02", "Pohjala")
    organisation.municipalities.set([x01, x02])
    staff = b.coordinator(organisation)
    quarter = period_of(PeriodKind.QUARTER, timezone.localdate()).previous()
    day = quarter.start + dt.timedelta(days=10)
    b.closed_paths(organisation, staff, x01, count=5, outcome="job_or_study", on=day)
    b.closed_paths(organisation, staff, x01, count=5, outcome="declined", on=day)
    b.closed_paths(organisation, staff, x02, count=2, outcome="declined", on=day)
    region_goal_set(
        indicator_key="placed_in_working_life",
        period=period_of(PeriodKind.YEAR, quarter.start),
        target=Decimal(28),
        basis="Seed 002",
    )
    mikko = make_person("mikko", "Mikko Manninen", organisation, Role.MANAGER)

    log_in(page, mikko, start="Organisaation käyttöloki")
    page.goto("/johtaminen/")
    page.get_by_role("link", name="Mittarit ja tavoitteet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mittarit ja tavoitteet")
    page.get_by_role("combobox", name="Kausi").select_option(quarter.code)
    page.get_by_role("button", name="Näytä").click()
    overview = page.get_by_role("table", name="Mittarit ja tavoitteet kunnittain")
    # The organisation: 5 of 12 = 42 %; Esimerkkilä and Pohjala hidden (2 paths in Pohjala).
    expect(overview.get_by_role("row", name="Työelämään sijoittuneet")).to_contain_text(
        "42 % (28 %)"
    )
    expect(overview.get_by_role("row", name="Työelämään sijoittuneet")).to_contain_text("x")
    assert_accessible(page)

    page.get_by_role("link", name="Esimerkkilä", exact=True).click()
    expect(page.get_by_role("heading", name="Kehitys: Esimerkkilä")).to_be_visible()
    page.get_by_text("Miten tämä lasketaan?").first.click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Aseta organisaatiosi tavoitteet").click()
    page.get_by_role("combobox", name="Mittari").select_option("placed_in_working_life")
    page.get_by_role("combobox", name="Kausi").select_option(str(quarter.start.year))
    page.get_by_label("Tavoite").fill("130")
    page.get_by_role("button", name="Tallenna tavoite").click()
    expect(page.get_by_role("alert")).to_contain_text("Tavoitteen pitää olla välillä 0–100.")
    assert not IndicatorGoal.objects.filter(organisation=organisation).exists()
    assert_accessible(page)
    page.get_by_label("Tavoite").fill("30,5")
    page.get_by_role("button", name="Tallenna tavoite").click()
    expect(page.get_by_role("status")).to_contain_text("Tavoite tallennettiin.")
    expect(page.get_by_role("table").first).to_contain_text("30,5")
    assert_accessible(page)


def test_steering_group_lands_on_the_figures_and_sets_a_shared_goal(page: Page) -> None:
    county = OrganisationFactory.create(code="org-hva", name_fi="Hyvinvointialue")
    x01 = b.municipality("X01", "Esimerkkilä")
    b.municipality("X02", "Pohjala")
    county.municipalities.set([x01])
    staff = b.coordinator(county)
    quarter = period_of(PeriodKind.QUARTER, timezone.localdate()).previous()
    day = quarter.start + dt.timedelta(days=10)
    b.closed_paths(county, staff, x01, count=6, outcome="job_or_study", on=day)
    raija = make_person("raija", "Raija Ranta", county, Role.STEERING_GROUP)

    log_in(page, raija, start="Tiedolla johtaminen")
    assert_accessible(page)
    page.get_by_role("link", name="Mittarit ja tavoitteet").click()
    expect(page.get_by_text("Luvut on laskettu")).to_be_visible()
    page.get_by_role("link", name="Aseta alueen yhteiset tavoitteet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mittarien tavoitteet")
    page.get_by_role("combobox", name="Mittari").select_option("placed_in_working_life")
    page.get_by_role("combobox", name="Kenen luvuille").select_option(label="Koko alue, Pohjala")
    page.get_by_role("combobox", name="Kausi").select_option(str(quarter.start.year))
    page.get_by_label("Tavoite").fill("128")
    page.get_by_label("Peruste (esimerkiksi sopimus tai päätös)").fill("Yhteistyösopimus")
    page.get_by_role("button", name="Tallenna tavoite").click()
    expect(page.get_by_role("alert")).to_contain_text("Tavoitteen pitää olla välillä 0–100.")
    assert not IndicatorGoal.objects.exists()
    assert_accessible(page)
    page.get_by_label("Tavoite").fill("28")
    page.get_by_role("button", name="Tallenna tavoite").click()
    expect(page.get_by_role("status")).to_contain_text("Tavoite tallennettiin.")
    expect(page.get_by_role("table").first).to_contain_text("Pohjala")
    goal = IndicatorGoal.objects.select_related("municipality").get()
    assert goal.municipality is not None
    assert (goal.organisation, goal.municipality.code, goal.basis) == (
        None,
        "X02",
        "Yhteistyösopimus",
    )
    assert_accessible(page)
