"""A coordinator records a client's facts and reads the statutory answers and why, in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in, open_card_by_search, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_records_facts_and_opens_why(page: Page, world) -> None:  # noqa: F811
    log_in(page, world["aino"])
    open_card_by_search(page, "Sari")
    rules = page.get_by_role("region", name="Lakisääteiset arviot")
    expect(rules.get_by_role("heading", name="Aktivointisuunnitelma")).to_be_visible()
    expect(rules.get_by_text("Vastaukseen tarvitaan vielä:").first).to_be_visible()
    assert_accessible(page)

    rules.get_by_role("link", name="Päivitä tiedot ja katso muut päivät").click()
    expect(
        page.get_by_role("heading", name=re.compile("Lakisääteiset arviot"), level=1)
    ).to_be_visible()
    assert_accessible(page)

    # A wrong number is refused in plain words and the page stays usable.
    page.get_by_label("Työttömyyskuukaudet viimeisten 14 kuukauden aikana").fill("15")
    page.get_by_role("button", name="Tallenna tiedot").click()
    expect(page.get_by_role("alert")).to_contain_text("Tarkista tiedot")
    assert_accessible(page)

    page.get_by_label("Työttömyyskuukaudet viimeisten 14 kuukauden aikana").fill("")
    page.get_by_label("Työllistymissuunnitelma laadittu").select_option("yes")
    page.get_by_label(re.compile("^Kuukaudet, joina toimeentulotuki")).fill("12")
    page.get_by_label("Kotoutumissuunnitelma laadittu").select_option("no")
    page.get_by_label("Monialaisen yhteispalvelun (TYP) asiakas").select_option("no")
    page.get_by_role("button", name="Tallenna tiedot").click()
    expect(page.get_by_text("Tiedot tallennettiin. Vastaukset päivittyivät.")).to_be_visible()

    answer = page.locator("li.rule-answer", has=page.locator("#rule-activation_plan_target_group"))
    expect(answer.locator(".status")).to_have_text("Kyllä")
    answer.get_by_text("Miksi?").click()
    expect(answer.get_by_text(re.compile("189/2001"))).to_be_visible()
    expect(answer.get_by_text(re.compile("toimeentulotuki")).first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Arviointipäivä").fill("2024-06-01")
    page.get_by_role("button", name="Näytä vastaukset tälle päivälle").click()
    expect(page.get_by_role("heading", name="Vastaukset 1.6.2024")).to_be_visible()
    assert_accessible(page)
