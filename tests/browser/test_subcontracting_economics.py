"""The cost centre's economics of the subcontracting model in a real browser, with axe-core on
every page state: the controller (the county's manager) opens a group's months by its address,
changes the year and back, downloads the XLSX and the CSV, goes on to the pilot's three
scenarios, makes the third option bigger and sees its invoicing grow, and types a negative group
count (refused in Finnish, a 400, nothing computed); the group's supervisor finds the same page
from her group, and on a phone the wide table scrolls inside its own box, not the page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from conftest import add_to_team, make_client, make_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_walkthrough import log_in
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.models import Invoice, Seller, WorkGroup
from tyollisyystalo.subcontracting.templatetags.money import euros
from tyollisyystalo.subcontracting.tests.conftest import TODAY, employ, scheduled_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 812}
LAST_YEAR = TODAY.year - 1


@dataclass
class CostCentre:
    supervisor: StaffMember
    controller: StaffMember
    group: WorkGroup
    invoice: Invoice


def _set_up(county: Organisation) -> CostCentre:
    """As ``subcontracting/tests/conftest.py`` builds it: the county's renovation group with its
    supervision cost, a member on pay subsidy, a private customer's order with 8 hours that is
    invoiced today; and the county's manager, who owns the cost centre's figures."""
    supervisor = make_person("kaisa", "Kaisa Kivelä", county, Role.WORK_GROUP_SUPERVISOR)
    controller = make_person("helena", "Helena Heikkilä", county, Role.MANAGER)
    municipality, _new = Municipality.objects.get_or_create(
        code="153", defaults={"name_fi": "Imatra"}
    )
    Seller.objects.create(
        organisation=county,
        iban="FI4950009420028730",
        bic="OKOYFIHH",
        street="Valtakatu 1",
        postcode="55100",
        city="Imatra",
    )
    group = services.group_create(
        actor=supervisor,
        name="Rempparyhmä",
        kind="renovation",
        cost_centre="4711",
        municipality=municipality,
        active_from=TODAY - dt.timedelta(days=400),
        required_training="safety_card",
        supervisor_monthly_cents=450000,
    )
    worker = make_client(organisation=county, name=("Jani", "Järvinen"))
    add_to_team(worker, supervisor)
    member = employ(supervisor, group, worker)
    services.training_record(
        actor=supervisor,
        member_id=member.pk,
        kind="safety_card",
        completed_on=TODAY - dt.timedelta(days=300),
        expires_on=TODAY + dt.timedelta(days=5 * 365),
    )
    customer = services.customer_create(
        actor=supervisor,
        kind="person",
        name="Liisa Lahtinen",
        street="Koivukuja 3",
        postcode="55120",
        city="Imatra",
        household_deduction=True,
    )
    order = scheduled_order(supervisor, group, customer)
    services.hours_record(
        actor=supervisor,
        order_id=order.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=12),
        hours=Decimal(8),
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
    invoice = services.invoice_send(actor=supervisor, order_id=order.pk)
    assert invoice.issued_on == TODAY
    return CostCentre(supervisor=supervisor, controller=controller, group=group, invoice=invoice)


def _cell(page: Page, figure: str, column: int) -> Locator:
    """The table's cell of a figure's row (its heading) in a column counted from 0 after it."""
    row = page.locator("table tbody tr").filter(
        has=page.get_by_role("rowheader", name=figure, exact=True)
    )
    return row.locator("td").nth(column)


def _cents(text: str) -> int:
    """ "1 234,56 €" (no-break spaces, maybe a minus) → 123456."""
    digits = re.sub(r"[^\d,-]", "", text)
    whole, part = digits.split(",")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(part))


def _show_year(page: Page, year: int) -> None:
    page.get_by_label("Vuosi").fill(str(year))
    page.get_by_role("button", name="Näytä").click()
    expect(page.get_by_role("heading", name=f"Talous: Rempparyhmä {year}", level=1)).to_be_visible()
    assert page.url.endswith(f"?vuosi={year}")


def test_the_controller_reads_the_cost_centre_and_the_scenarios(page: Page, county):
    centre = _set_up(county)
    url = reverse("subcontracting:economics", kwargs={"group_id": centre.group.pk})
    log_in(page, centre.controller, start="Organisaation käyttöloki")
    # A manager has no "Työryhmät" in her menu: she opens the cost centre by its address.
    expect(page.get_by_role("link", name="Työryhmät", exact=True)).to_have_count(0)
    page.goto(url)
    expect(
        page.get_by_role("heading", name=f"Talous: Rempparyhmä {TODAY.year}", level=1)
    ).to_be_visible()
    expect(
        page.get_by_role("region", name=f"Kuukaudet ja vuoden alusta {TODAY.year}")
    ).to_be_visible()
    headers = page.locator("table thead th")
    expect(headers.nth(TODAY.month)).to_have_text(f"{TODAY.month}/{TODAY.year}")
    expect(headers.last).to_have_text("Vuoden alusta")
    this_month = TODAY.month - 1
    billed = euros(centre.invoice.net_cents)
    assert centre.invoice.net_cents == 8 * 3500
    expect(_cell(page, "Laskutus: Yksityishenkilö", this_month)).to_have_text(billed)
    expect(_cell(page, "Laskutus yhteensä", this_month)).to_have_text(billed)
    expect(_cell(page, "Laskutus yhteensä", 12)).to_have_text(billed)  # year to date
    # The supervision's 4,500 € a month is the group's cost; the result adds up from the column.
    expect(_cell(page, "Ohjaus", this_month)).to_have_text(euros(450000))
    figures = {
        figure: _cents(_cell(page, figure, this_month).inner_text())
        for figure in (
            "Laskutus yhteensä",
            "Palkkatuki",
            "Työolosuhteiden järjestelytuki",
            "Työntekijöiden palkat sivukuluineen",
            "Ohjaus",
            "Tarvikkeet",
            "Tulos",
        )
    }
    assert figures["Palkkatuki"] > 0  # the member's pay subsidy decision is in force
    assert figures["Tulos"] == (
        figures["Laskutus yhteensä"]
        + figures["Palkkatuki"]
        + figures["Työolosuhteiden järjestelytuki"]
        - figures["Työntekijöiden palkat sivukuluineen"]
        - figures["Ohjaus"]
        - figures["Tarvikkeet"]
    )
    expect(page.get_by_text("Järvinen")).to_have_count(0)  # figures only, no person
    assert_accessible(page)

    # Last year had no invoices; and back.
    _show_year(page, LAST_YEAR)
    expect(
        page.get_by_role("region", name=f"Kuukaudet ja vuoden alusta {LAST_YEAR}")
    ).to_be_visible()
    expect(_cell(page, "Laskutus yhteensä", 12)).to_have_text(euros(0))
    assert_accessible(page)
    _show_year(page, TODAY.year)
    expect(_cell(page, "Laskutus yhteensä", this_month)).to_have_text(billed)
    assert_accessible(page)

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Lataa Excel (XLSX)").click()
    assert xlsx.value.suggested_filename == f"talous-4711-{TODAY.year}.xlsx"
    assert xlsx.value.path().read_bytes().startswith(b"PK")
    with page.expect_download() as csv_file:
        page.get_by_role("link", name="Lataa CSV").click()
    assert csv_file.value.suggested_filename == f"talous-4711-{TODAY.year}.csv"
    csv_text = csv_file.value.path().read_bytes().decode("utf-8-sig")
    assert "Tulos" in csv_text
    assert "Laskutus yhteensä" in csv_text

    # The pilot's three options side by side.
    page.get_by_role("link", name="Skenaariot").click()
    expect(
        page.get_by_role("heading", name="Alihankintamallin skenaariot", level=1)
    ).to_be_visible()
    columns = page.locator("table thead th")
    expect(columns).to_have_text(
        [
            "Tunnusluku",
            "1) Ei alihankintamallia",
            "2) Malli vammaispalveluissa",
            "3) Malli myös muissa palveluissa",
        ]
    )
    wider = page.get_by_label("Ryhmiä: malli myös muissa palveluissa")
    expect(wider).to_have_value("4")
    before = _cents(_cell(page, "Laskutus yhteensä", 2).inner_text())
    assert before > 0
    assert_accessible(page)
    wider.fill("6")
    page.get_by_role("button", name="Laske").click()
    expect(wider).to_have_value("6")
    after = _cents(_cell(page, "Laskutus yhteensä", 2).inner_text())
    assert after == before * 6 // 4
    # The other two options are as they were.
    expect(_cell(page, "Laskutus yhteensä", 0)).to_have_text(euros(0))
    assert_accessible(page)

    # A negative group count past the browser's own check: refused in Finnish, nothing computed.
    wider.evaluate("field => field.removeAttribute('min')")
    wider.fill("-1")
    with page.expect_response(lambda r: "/alihankinta/skenaariot/" in r.url) as response:
        page.get_by_role("button", name="Laske").click()
    assert response.value.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tarkista tiedot")
    expect(summary).to_contain_text(
        "Ryhmiä: malli myös muissa palveluissa: Tämän luvun on oltava vähintään 0."
    )
    expect(wider).to_have_value("-1")
    expect(page.locator("table")).to_have_count(0)
    expect(page.get_by_text("Laskutus yhteensä")).to_have_count(0)
    assert_accessible(page)


def test_the_supervisor_finds_the_economics_from_her_group(page: Page, county):
    centre = _set_up(county)
    log_in(page, centre.supervisor)
    page.get_by_role("link", name="Työryhmät", exact=True).click()
    page.get_by_role("link", name="Rempparyhmä").click()
    expect(page.get_by_role("heading", name="Rempparyhmä", level=1)).to_be_visible()
    page.get_by_role("link", name="Talous", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Talous: Rempparyhmä {TODAY.year}", level=1)
    ).to_be_visible()
    assert page.url.endswith(
        reverse("subcontracting:economics", kwargs={"group_id": centre.group.pk})
    )
    expect(_cell(page, "Laskutus yhteensä", TODAY.month - 1)).to_have_text(
        euros(centre.invoice.net_cents)
    )
    assert_accessible(page)


def test_the_economics_page_fits_a_phone(browser: Browser, live_server, purgeable_log, county):
    centre = _set_up(county)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    log_in(page, centre.supervisor)
    for url in (
        reverse("subcontracting:economics", kwargs={"group_id": centre.group.pk}),
        reverse("subcontracting:scenarios"),
    ):
        page.goto(url)
        expect(page.get_by_role("table")).to_be_visible()
        wider = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .filter(e => !e.closest('.table-scroll'))
              .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wider
        scroll = page.locator(".table-scroll")
        box = scroll.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        assert_accessible(page)
        if url.endswith("/talous/"):
            # Fourteen columns are wider than the phone: they scroll inside their own region.
            assert scroll.evaluate("box => box.scrollWidth > box.clientWidth")
    context.close()
