"""Every staff page fits a 375 px phone (issue 16 part 9): the page never scrolls sideways
(a wide table scrolls inside its own box), and the header leaves room for the work."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize

from conftest import make_consent, make_shared_client, open_path
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.plans.tests.test_content import GOOD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 812}


def _wider(page: Page) -> list[str]:
    """What reaches past the screen's right edge (for the failure message)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('main *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
        )
    )


def _width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_staff_pages_fit_a_phone(
    browser: Browser, live_server, purgeable_log, employment, county, aino, bertta, mikko
):
    sari = make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)
    case = open_path(aino, sari, started_days_ago=10)
    plan = plan_create(
        actor=aino,
        case_id=case.id,
        plan_type="client",
        started_on=timezone.localdate(),
        content=GOOD,
    )
    make_consent(
        sari, disclosing=[employment], receiving=[county], categories=["plan"], recorder=aino
    )
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    log_in(page, aino)
    header = page.evaluate("document.querySelector('header.site-header').offsetHeight")
    assert header <= 160, header  # was 290 of 812 px
    wide = {}
    for url in (
        reverse("cases:caseload"),
        reverse("cases:worklist"),
        reverse("clients:search") + "?nimi=Esimerkki",
        reverse("casefile:card", args=[sari.id]),
        reverse("cases:detail", kwargs={"case_id": case.id}),
        reverse("plans:detail", args=[plan.pk]),
        reverse("referrals:send", args=[case.pk]),
    ):
        page.goto(url)
        if _width(page) > PHONE["width"]:
            wide[url] = (_width(page), _wider(page))
        assert_accessible(page)
    page.get_by_role("button", name="Kirjaudu ulos").click()
    log_in(page, mikko, start="Organisaation käyttöloki")
    for url in (
        reverse("audit:staff_log"),
        reverse("management:index"),
        reverse("indicators:indicators"),
        reverse("situation:picture"),
        reverse("surveys:results_index"),
    ):
        page.goto(url)
        if _width(page) > PHONE["width"]:
            wide[url] = (_width(page), _wider(page))
        assert_accessible(page)
    assert not wide, wide
