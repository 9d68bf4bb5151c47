"""The card summarises (issue 16 part 2): from My clients to a client's card, whose summary says
what matters now and whose parts open on demand or on their own pages; the card stays short at
1280 px and fits a 375 px phone, with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, ViewportSize, expect

from conftest import add_entry, make_shared_client, open_path
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.cases.models import CaseDeadline
from tyollisyystalo.clients.categories import DataCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES: list[ViewportSize] = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_from_my_clients_to_a_short_card_and_a_part_of_it(
    browser: Browser, live_server, purgeable_log, employment, county, aino, bertta, size
):
    sari = make_shared_client(employment=employment, county=county, coordinator=aino, nurse=bertta)
    case = open_path(aino, sari, started_days_ago=40)
    CaseDeadline.objects.create(
        case=case, kind="interim_review", due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    for n in range(15):  # a long record: the card must stay short all the same
        add_entry(sari, employment, aino, DataCategory.EMPLOYMENT_SERVICES, f"Kirjaus {n}")
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="fi-FI")
    page = context.new_page()
    log_in(page, aino)
    page.get_by_role("link", name="Esimerkki, Sari").click()
    expect(page.get_by_role("heading", name="Nyt tärkeintä")).to_be_visible()
    expect(page.get_by_role("link", name="Laadi suunnitelma palvelupolulle.")).to_be_visible()
    assert_accessible(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], width
    if size["width"] == 1280:
        assert height < 2000, height  # was about 5,600 px for a client like this
    page.locator("#osio-entries > summary").click()  # the disclosure opens in place
    expect(page.get_by_text("Kirjaus 14")).to_be_visible()
    page.get_by_role("link", name="Kirjaukset omalla sivullaan").click()
    expect(page.get_by_role("heading", name="Kirjaukset", level=1)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    page.get_by_role("link", name="Takaisin asiakkaan tietoihin").click()
    expect(page.get_by_role("heading", name="Esimerkki, Sari", level=1)).to_be_visible()
    context.close()
