"""Messages (issue 16 part 6): the coordinator writes, the client reads and answers on their own
pages, the coordinator sees the answer and that her message was read; at desktop and phone width
with axe, and the page never scrolls sideways."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
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
def test_a_thread_between_the_coordinator_and_the_client(
    browser: Browser, live_server, purgeable_log, settings, employment, county, aino, bertta, size
):
    settings.DEMO = True
    sari = make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)
    case = open_path(aino, sari)
    ClientAccount.objects.create(user=get_user_model().objects.create_user("sari"), client=sari)
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="fi-FI")
    page = context.new_page()
    log_in(page, aino)
    page.goto(f"/polut/{case.pk}/")
    page.get_by_role("link", name="Kirjoita asiakkaalle viesti").click()
    expect(page.get_by_role("heading", name="Uusi viesti asiakkaalle")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Aihe").fill("Tapaaminen ensi viikolla")
    page.get_by_label("Viesti").fill("Hei Sari, sopiiko tiistai klo 10?")
    page.get_by_role("button", name="Lähetä").click()
    expect(page.get_by_text("Asiakas ei ole vielä lukenut")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    log_out(page)

    page.goto("/omat/kirjaudu/")
    page.get_by_label("Esittelyasiakas").select_option(label="Esimerkki, Sari")
    page.get_by_role("button", name="Kirjaudu esittelyasiakkaana").click()
    page.get_by_role("link", name="Avaa viestit").click()
    expect(page.get_by_role("heading", name="Viestisi", level=1)).to_be_visible()
    expect(page.get_by_text("1 uusi viesti")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.get_by_role("link", name="Tapaaminen ensi viikolla").click()
    expect(page.get_by_text("Hei Sari, sopiiko tiistai klo 10?")).to_be_visible()
    page.get_by_label("Viesti").fill("Tiistai sopii hyvin.")
    page.get_by_role("button", name="Lähetä").click()
    expect(page.get_by_text("Viestisi lähetettiin.")).to_be_visible()
    expect(page.get_by_text("Ei vielä luettu")).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    page.goto("/omat/")
    page.get_by_role("button", name="Kirjaudu ulos").click()

    log_in(page, aino)
    page.goto("/viestit/")
    expect(page.get_by_role("heading", name="Viestit", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Esimerkki, Sari")).click()
    expect(page.get_by_text("Tiistai sopii hyvin.")).to_be_visible()
    expect(page.get_by_text(re.compile("Asiakas luki"))).to_be_visible()
    assert_accessible(page)
    _fits(page, size["width"])
    context.close()
