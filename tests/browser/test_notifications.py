"""The bell (issue 16 part 8): an invited nurse sees "1 uusi", opens the notification, lands on
the invitation, and the bell goes quiet; at desktop and phone width, with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from conftest import make_client, open_path
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.cases.team import team_member_invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES: list[ViewportSize] = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_an_invitation_rings_and_leads_to_itself(
    browser: Browser, live_server, purgeable_log, employment, aino, bertta, size
):
    client = make_client(organisation=employment)
    case = open_path(aino, client)
    team_member_invite(actor=aino, case_id=case.id, staff_member=bertta, role_in_case="Hoitaja")
    context = browser.new_context(base_url=live_server.url, viewport=size, locale="fi-FI")
    page = context.new_page()
    log_in(page, bertta)
    bell = page.get_by_role("link", name="Ilmoitukset 1 uusi")
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("heading", name="Ilmoitukset", level=1)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    page.get_by_role("button", name="Kutsu asiakkaan tiimiin").click()
    expect(page.get_by_role("heading", name="Työlista", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Ilmoitukset", exact=True)).to_be_visible()
    page.goto("/ilmoitukset/")
    page.get_by_label("Kyllä, kerran päivässä, jos on uutta").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Ilmoitusasetus tallennettiin.")).to_be_visible()
    assert_accessible(page)
    context.close()
