"""Appointments (issue 16 part 5): the coordinator books, the client sees it on their own pages and
asks to move it, the coordinator sees the request and moves it; at desktop and phone width with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, ViewportSize, expect

from conftest import make_shared_client, open_path
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, log_out
from tyollisyystalo.selfservice.models import ClientAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES: list[ViewportSize] = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_booking_and_the_client_asking_to_move(
    browser: Browser, live_server, purgeable_log, settings, employment, county, aino, bertta, size
):
    settings.DEMO = True
    sari = make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)
    case = open_path(aino, sari)
    ClientAccount.objects.create(user=get_user_model().objects.create_user("sari"), client=sari)
    day = timezone.localdate() + dt.timedelta(days=3)
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="fi-FI")
    page = context.new_page()
    log_in(page, aino)
    page.goto(f"/polut/{case.pk}/")
    page.get_by_role("link", name="Varaa tapaaminen").click()
    expect(page.get_by_role("heading", name="Varaa tapaaminen", level=1)).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.get_by_label("Tapaamisen laji").select_option(label="Seurantatapaaminen")
    page.get_by_label("Päivä").fill(day.isoformat())
    page.get_by_label("Alkaa klo").fill("10:00")
    page.get_by_label("Päättyy klo").fill("11:00")
    page.get_by_label("Paikka").fill("Kauppakatu 1")
    page.get_by_role("button", name="Varaa", exact=True).click()
    expect(page.get_by_text("Tapaaminen varattiin.")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    log_out(page)

    page.goto("/omat/kirjaudu/")
    page.get_by_label("Esittelyasiakas").select_option(label="Esimerkki, Sari")
    page.get_by_role("button", name="Kirjaudu esittelyasiakkaana").click()
    page.get_by_role("link", name="Tapaamisesi").click()
    expect(page.get_by_role("heading", name="Tapaamisesi", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Seurantatapaaminen").click()
    expect(page.get_by_text("Kauppakatu 1")).to_be_visible()
    page.get_by_label("Mitkä ajat sinulle sopisivat?").fill("Torstaina iltapäivällä")
    page.get_by_role("button", name="Pyydä uutta aikaa").click()
    expect(page.get_by_text("Pyyntösi lähetettiin.")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.goto("/omat/")
    page.get_by_role("button", name="Kirjaudu ulos").click()

    log_in(page, aino)
    page.goto("/tapaamiset/")
    expect(page.get_by_text("asiakas pyytää siirtoa")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="seurantatapaaminen").first.click()
    expect(page.get_by_text("Torstaina iltapäivällä")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    # She moves it to the Thursday afternoon the client asked for.
    page.get_by_role("link", name="Muuta aikaa, paikkaa tai osallistujia").click()
    expect(page.get_by_role("heading", name="Muuta tapaamista", level=1)).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.get_by_label("Alkaa klo").fill("13:00")
    page.get_by_label("Päättyy klo").fill("14:00")
    page.get_by_label("tulkki").check()
    page.get_by_role("button", name="Tallenna muutos").click()
    expect(page.get_by_text("Tapaaminen muutettiin.")).to_be_visible()
    expect(page.get_by_text("13.00–14.00")).to_be_visible()
    expect(page.get_by_text("(käsitelty)")).to_be_visible()
    context.close()
