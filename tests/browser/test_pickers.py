"""The searchable service picker on the referral form (issue 16 part 3): keyboard only, the
ARIA 1.2 combobox pattern and its live region, axe-core at desktop and phone width, no sideways
scroll; and the same form without JavaScript through the search step."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect

from conftest import (
    PASSWORD,
    OrganisationFactory,
    make_client,
    make_consent,
    make_person,
    open_path,
    totp_device,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.services import catalogue_import
from tyollisyystalo.organisations.models import Municipality, OrganisationType
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json"
PHONE = {"width": 375, "height": 812}
SERVICE = "Talous- ja velkaneuvonta"


@pytest.fixture
def referral_world() -> dict[str, Any]:
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    legal_aid = OrganisationFactory.create(
        code="org-oikeusapu", name_fi="Oikeusaputoimisto", type=OrganisationType.NGO
    )
    for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä")):
        Municipality.objects.create(code=code, name_fi=name, name_sv=name)
    catalogue_import(data=copy.deepcopy(json.loads(DEMO_FILE.read_text(encoding="utf-8"))))
    aino = make_person("aino", "Aino Aaltonen", employment, Role.COORDINATOR)
    klaus = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    case = open_path(aino, klaus)
    make_consent(
        klaus,
        disclosing=[employment],
        receiving=[legal_aid],
        categories=["identity", "education_work"],
        recorder=aino,
    )
    return {"aino": aino, "case": case, "service": Service.objects.get(name_fi=SERVICE)}


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_service_combobox_by_keyboard_only(page: Page, referral_world):
    log_in(page, referral_world["aino"])
    page.goto(f"/lahetteet/uusi/{referral_world['case'].pk}/")
    combobox = page.get_by_role("combobox", name="Palvelu palvelukartalta")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(combobox).to_have_attribute("aria-autocomplete", "list")
    listbox_id = combobox.get_attribute("aria-controls")
    assert listbox_id
    listbox = page.locator(f"#{listbox_id}")
    expect(listbox).to_have_attribute("role", "listbox")
    expect(listbox).to_be_hidden()
    # With JavaScript the search step for pages without it is gone.
    expect(page.get_by_label("Hae palvelua hakusanalla")).to_have_count(0)
    assert_accessible(page)

    combobox.focus()
    page.keyboard.type("velkaneuvontaan")
    expect(listbox).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    status = page.locator(f"#{combobox.get_attribute('id')}-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(re.compile(r"^\d+ hakutulos"))
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text(SERVICE)
    assert_accessible(page)  # the list open

    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    page.keyboard.press("End")  # back to the text, the caret at its end (the APG's behaviour)
    expect(combobox).not_to_have_attribute("aria-activedescendant", re.compile(".+"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(combobox).to_have_value(SERVICE)
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(status).to_have_text(f"Valittu: {SERVICE}")
    assert page.locator("select[name=service]").input_value() == str(referral_world["service"].pk)

    # Escape closes an open list and keeps the choice.
    page.keyboard.type(" x")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()

    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    combobox.fill("")
    combobox.focus()
    page.keyboard.type("velka")
    expect(listbox).to_be_visible()
    fits(page, PHONE["width"])
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(combobox).to_have_value(re.compile("velka", re.IGNORECASE))
    fits(page, PHONE["width"])
    page.keyboard.press("Tab")  # to the organisation picker, left empty
    page.get_by_label("Ohjauksen syy").fill("Velkojen selvittely")
    page.get_by_label("Koulutus- ja työhistoria").check()
    page.get_by_role("button", name="Lähetä lähete").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lähete")
    referral = Referral.objects.get()
    assert referral.service is not None
    assert "velka" in referral.service.name_fi.lower()


def test_the_referral_form_without_javascript(browser: Browser, live_server, referral_world):
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    aino = referral_world["aino"]
    page.goto("/kirjaudu/")
    page.get_by_label("Käyttäjätunnus").fill(aino.user.username)
    page.get_by_label("Salasana").fill(PASSWORD)
    device = totp_device(aino.user)
    page.get_by_label("Vahvistuskoodi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Kirjaudu").click()
    page.goto(f"/lahetteet/uusi/{referral_world['case'].pk}/")
    select = page.get_by_role("combobox", name="Palvelu palvelukartalta")
    assert select.evaluate("e => e.tagName") == "SELECT"
    every = select.locator("option").count()
    page.get_by_label("Ohjauksen syy").fill("Velkojen selvittely")
    page.get_by_label("Hae palvelua hakusanalla").fill("velkaneuvontaan")
    page.get_by_role("button", name="Rajaa palvelut").click()
    expect(page.get_by_text(re.compile("löytyi"))).to_be_visible()
    expect(page.get_by_label("Ohjauksen syy")).to_have_value("Velkojen selvittely")
    assert 1 < select.locator("option").count() < every
    select.select_option(label=SERVICE)
    page.get_by_label("Koulutus- ja työhistoria").check()
    page.get_by_role("button", name="Lähetä lähete").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lähete")
    assert Referral.objects.get().service == referral_world["service"]
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    fits(page, PHONE["width"])
    context.close()
