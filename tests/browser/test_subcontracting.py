"""The work-group supervisor's day (issue 17) in a real browser, with axe-core on every page: from
the staff menu to the group, a new order request, its steps, the risk assessment and the
schedule, hours (too many refused in Finnish, nothing saved), done, the invoice with its PDF and
Finvoice message; and the order page with its hours form on a phone."""

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
from tyollisyystalo.subcontracting.models import (
    Customer,
    HourEntry,
    Invoice,
    Member,
    Order,
    OrderStatus,
    Seller,
    WorkGroup,
)
from tyollisyystalo.subcontracting.tests.conftest import TODAY, employ, scheduled_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 812}


@dataclass
class Day:
    supervisor: StaffMember
    group: WorkGroup
    member: Member
    city: Customer


def _set_up(county: Organisation) -> Day:
    """As ``subcontracting/tests/conftest.py`` builds it: the county's renovation group with a
    supervisor, a member from her team with a valid safety card, and the city as a customer
    with a cooperation agreement in force; the county invoices electronically."""
    supervisor = make_person("kaisa", "Kaisa Kivelä", county, Role.WORK_GROUP_SUPERVISOR)
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
        e_invoice_address="003702012566",
        e_invoice_operator="003721291126",
    )
    group = services.group_create(
        actor=supervisor,
        name="Rempparyhmä",
        kind="renovation",
        cost_centre="4711",
        municipality=municipality,
        active_from=TODAY - dt.timedelta(days=400),
        required_training="safety_card",
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
    city = services.customer_create(
        actor=supervisor,
        kind="municipality",
        name="Imatran kaupunki",
        unit="Tilapalvelut",
        street="Virastokatu 2",
        postcode="55100",
        city="Imatra",
        business_id="0162193-3",
        e_invoice_address="003701621933",
        e_invoice_operator="003721291126",
    )
    services.agreement_add(
        actor=supervisor,
        customer_id=city.pk,
        valid_from=TODAY - dt.timedelta(days=90),
        signed_on=TODAY - dt.timedelta(days=91),
        service_description="Toimitilojen siivous kerran kuukaudessa.",
    )
    return Day(supervisor=supervisor, group=group, member=member, city=city)


def _fits(page: Page, width: int) -> None:
    wider = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wider


def _field(page: Page, label: str) -> Locator:
    """A form field by its label, which says "(pakollinen)" after a required one."""
    label_is = re.compile(rf"^{re.escape(label)}( \(pakollinen\))?$")
    return page.get_by_label(label_is).and_(page.locator("input, select, textarea"))


def _next_step(page: Page, label: str, **fields: str) -> None:
    """The order page's "Seuraava vaihe" form: choose the step, fill what it asks, move."""
    page.get_by_label("Seuraava vaihe").select_option(label=label)
    for name, value in fields.items():
        _field(page, name).fill(value)
    page.get_by_role("button", name="Siirrä").click()
    expect(page.get_by_text("Tilauksen tila päivitettiin.")).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text=label)).to_be_visible()
    assert_accessible(page)


def test_the_supervisors_day_from_order_to_invoice(page: Page, county):
    day = _set_up(county)
    worked = TODAY - dt.timedelta(days=2)
    log_in(page, day.supervisor)
    assert_accessible(page)

    page.get_by_role("link", name="Työryhmät", exact=True).click()
    expect(page.get_by_role("heading", name="Työryhmät", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rempparyhmä").click()
    expect(page.get_by_role("heading", name="Rempparyhmä", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Järvinen, Jani")).to_be_visible()
    assert_accessible(page)

    # A new order request, from the disclosure under the group's orders.
    page.get_by_text("Kirjaa uusi tilauspyyntö").click()
    _field(page, "Tilaaja").select_option(label=str(day.city))
    _field(page, "Työ").fill("Kuukausisiivous")
    _field(page, "Työkohteen osoite").fill("Virastokatu 2")
    _field(page, "Tilaajan viite").fill("TP-2024-17")
    assert_accessible(page)
    page.get_by_role("button", name="Kirjaa tilauspyyntö").click()
    expect(page.get_by_text("Tilauspyyntö kirjattiin.")).to_be_visible()
    expect(page.get_by_role("heading", name="Kuukausisiivous", level=1)).to_be_visible()
    order = Order.objects.get()
    assert (order.customer_id, order.customer_reference) == (day.city.pk, "TP-2024-17")
    assert page.url.endswith(f"/tilaukset/{order.pk}/")
    assert_accessible(page)

    _next_step(page, "Arvio annettu", **{"Arvioidut tunnit": "8"})
    expect(page.get_by_text("arvio 8 h")).to_be_visible()
    _next_step(page, "Sovittu")

    page.get_by_text("Lisää tarvikkeet tai matkat").click()
    expect(page.get_by_role("button", name="Lisää rivi")).to_be_visible()
    page.get_by_text("Kirjaa riskiarvio").click()
    _field(page, "Riskiarvio tehty").fill(TODAY.isoformat())
    _field(page, "Riskiarvion tekijä").fill("Kaisa Kivelä")
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna riskiarvio").click()
    expect(page.get_by_text("Riskiarvio kirjattiin.")).to_be_visible()
    expect(page.get_by_text(f"Riskiarvio tehty {TODAY:%-d.%-m.%Y} (Kaisa Kivelä).")).to_be_visible()
    assert_accessible(page)

    _next_step(
        page,
        "Aikataulutettu",
        **{
            "Työ alkaa": (TODAY - dt.timedelta(days=3)).isoformat(),
            "Työ päättyy": TODAY.isoformat(),
        },
    )

    # Hours from site: 13 is too many for one day; what she typed stays, nothing is saved.
    expect(page.get_by_role("heading", name="Kirjaa tunnit", level=3)).to_be_visible()
    _field(page, "Työntekijä").select_option(label="Järvinen, Jani")
    _field(page, "Päivä").fill(worked.isoformat())
    _field(page, "Tunnit").fill("13")
    page.get_by_role("button", name="Tallenna tunnit").click()
    expect(page.get_by_role("alert")).to_contain_text("enintään 12")
    expect(_field(page, "Tunnit")).to_have_value("13")
    expect(_field(page, "Päivä")).to_have_value(worked.isoformat())
    expect(_field(page, "Työntekijä")).to_have_value(str(day.member.pk))
    assert not HourEntry.objects.exists()
    assert_accessible(page)
    _field(page, "Tunnit").fill("7,5")
    page.get_by_role("button", name="Tallenna tunnit").click()
    expect(page.get_by_text("Tunnit kirjattiin.")).to_be_visible()
    expect(page.get_by_text("Yhteensä 7,5 h.")).to_be_visible()
    entry = HourEntry.objects.get()
    assert (entry.member_id, entry.day, entry.hours) == (day.member.pk, worked, Decimal("7.5"))
    assert_accessible(page)

    _next_step(page, "Tehty")
    page.get_by_role("button", name="Lähetä lasku").click()
    invoice = Invoice.objects.get()
    expect(page.get_by_text(f"Lasku {invoice.number} lähetettiin.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Lasku {invoice.number}", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("262,50")
    expect(main).to_contain_text("37 §")
    assert Order.objects.get().status == OrderStatus.INVOICED
    page.get_by_text("Hyvitä lasku", exact=True).click()
    expect(page.get_by_role("button", name="Lähetä hyvityslasku")).to_be_visible()
    assert_accessible(page)

    # The PDF opens inline (a viewer, not a page axe could check): fetch what the link gives.
    pdf_link = page.get_by_role("link", name="Lasku PDF-tiedostona")
    pdf = page.request.get(pdf_link.get_attribute("href") or "")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert pdf.body().startswith(b"%PDF")

    with page.expect_download() as download:
        page.get_by_role("link", name="Verkkolasku (Finvoice 3.0)").click()
    assert download.value.suggested_filename == f"finvoice-{invoice.number}.xml"
    xml = download.value.path().read_bytes()
    assert b'Version="3.0"' in xml
    assert b"003701621933" in xml


def test_the_order_page_and_hours_on_a_phone(browser: Browser, live_server, purgeable_log, county):
    day = _set_up(county)
    order = scheduled_order(day.supervisor, day.group, day.city)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    log_in(page, day.supervisor)
    page.goto(reverse("subcontracting:order", kwargs={"order_id": order.pk}))
    expect(page.get_by_role("heading", name="Pihan syyssiivous", level=1)).to_be_visible()
    _fits(page, PHONE["width"])
    assert_accessible(page)
    form = page.locator("form.hours-form")
    expect(form).to_be_visible()
    box = form.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    _field(page, "Työntekijä").select_option(label="Järvinen, Jani")
    _field(page, "Päivä").fill((TODAY - dt.timedelta(days=12)).isoformat())
    _field(page, "Tunnit").fill("6,5")
    page.get_by_role("button", name="Tallenna tunnit").click()
    expect(page.get_by_text("Tunnit kirjattiin.")).to_be_visible()
    expect(page.get_by_text("Yhteensä 6,5 h.")).to_be_visible()
    assert HourEntry.objects.get().hours == Decimal("6.5")
    _fits(page, PHONE["width"])
    assert_accessible(page)
    context.close()
