"""Plans the parties acknowledge themselves (issue 16 part 4): the coordinator opens a client's
plan, the client acknowledges it on their own pages, a professional of another organisation on
theirs, and the plan shows both; at desktop and phone width with axe, never scrolling sideways."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, ViewportSize, expect

from conftest import make_consent, make_shared_client, open_path
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.selfservice.models import ClientAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES: list[ViewportSize] = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_the_client_and_another_organisation_acknowledge_the_plan(
    browser: Browser, live_server, purgeable_log, settings, employment, county, aino, bertta, size
):
    settings.DEMO = True
    sari = make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)
    make_consent(
        sari,
        disclosing=[employment],
        receiving=[county],
        categories=[DataCategory.PLAN],
        recorder=aino,
    )
    case = open_path(aino, sari)
    ClientAccount.objects.create(user=get_user_model().objects.create_user("sari"), client=sari)
    plan = plan_create(
        actor=aino,
        case_id=case.id,
        plan_type="client",
        started_on=timezone.localdate(),
        content={
            "summary": "Sari haluaa kokeilla toimistotyötä.",
            "goals": [{"id": "g1", "text": "Työkokeilu toimistossa"}],
            "actions": [
                {"id": "a1", "goal": "g1", "what": "Oma työnhaku", "responsible_kind": "client"},
                {
                    "id": "a2",
                    "goal": "g1",
                    "what": "Työkyvyn arvio",
                    "responsible_kind": "organisation",
                    "responsible": str(county),
                    "organisation_id": str(county.pk),
                },
            ],
        },
    )
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="fi-FI")
    page = context.new_page()
    log_in(page, aino)
    page.goto(f"/suunnitelmat/{plan.pk}/")
    expect(page.get_by_role("heading", name="Hyväksynnät")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    log_out(page)

    page.goto("/omat/kirjaudu/")
    page.get_by_label("Esittelyasiakas").select_option(label="Esimerkki, Sari")
    page.get_by_role("button", name="Kirjaudu esittelyasiakkaana").click()
    page.get_by_role("link", name="Hyväksy suunnitelmasi tai pyydä muutoksia").click()
    expect(page.get_by_role("heading", name="Odottaa hyväksyntääsi")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.get_by_role("link", name="Asiakassuunnitelma").first.click()
    expect(page.get_by_text("Oma työnhaku")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.get_by_role("button", name="Hyväksyn suunnitelman").click()
    expect(page.get_by_text("Kiitos! Kuittauksesi tallentui.")).to_be_visible()
    expect(page.get_by_text(re.compile("Olet hyväksynyt tämän suunnitelman"))).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.goto("/omat/")
    page.get_by_role("button", name="Kirjaudu ulos").click()

    log_in(page, bertta)
    page.goto("/suunnitelmat/kuitattavana/")
    expect(page.get_by_role("heading", name="Suunnitelmat kuitattavana")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.get_by_role("link", name=re.compile("Asiakassuunnitelma")).click()
    page.get_by_role("button", name="Kuittaa suunnitelma").click()
    expect(page.get_by_text("Kiitos! Kuittauksesi tallentui.")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    log_out(page)

    log_in(page, aino)
    page.goto(f"/suunnitelmat/{plan.pk}/")
    parties = page.locator(".ack-parties")
    expect(parties).to_contain_text("asiakas itse sähköisesti")
    expect(parties).to_contain_text("osapuoli itse sähköisesti")
    expect(parties).not_to_contain_text("ei ole vielä kuitannut")
    assert_accessible(page)
    _fits(page, size["width"])
    context.close()
