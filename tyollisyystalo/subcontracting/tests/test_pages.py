"""The supervisor's walk through the pages: order → hours → invoice → PDF and Finvoice → credit
note; bad input is a 400 in Finnish with nothing saved; another group's supervisor gets 404s
that log nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login, make_person
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.models import HourEntry, Invoice, Order
from tyollisyystalo.subcontracting.tests.conftest import TODAY


def main(response) -> str:
    html = response.content.decode()
    found = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    return found.group(1) if found else ""


@pytest.fixture
def city(supervisor):
    customer = services.customer_create(
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
        customer_id=customer.pk,
        valid_from=TODAY - dt.timedelta(days=90),
        signed_on=TODAY - dt.timedelta(days=91),
        service_description="Toimitilojen siivous kerran kuukaudessa.",
    )
    return customer


@pytest.mark.django_db
def test_the_supervisors_walk_from_order_to_invoice(
    client, supervisor, group, member, city, seller
):
    seller.e_invoice_address = "003702012566"
    seller.e_invoice_operator = "003721291126"
    seller.save()
    login(client, supervisor)
    assert "Rempparyhmä" in main(client.get(reverse("subcontracting:index")))
    group_url = reverse("subcontracting:group", kwargs={"group_id": group.pk})
    page = main(client.get(group_url))
    assert "Järvinen" in page
    member_url = reverse("subcontracting:member", kwargs={"member_id": member.pk})
    member_html = main(client.get(member_url))
    assert "Palkkatuki sääntöjen mukaan" in member_html
    assert "70 %" in member_html
    created = client.post(
        group_url,
        {"customer": city.pk, "title": "Kuukausisiivous", "site": "Virastokatu 2"},
    )
    order = Order.objects.get()
    assert created.status_code == 302
    order_url = reverse("subcontracting:order", kwargs={"order_id": order.pk})
    transition = reverse("subcontracting:order_transition", kwargs={"order_id": order.pk})
    client.post(transition, {"to_status": "estimate", "estimate_hours": "8"})
    client.post(transition, {"to_status": "agreed"})
    refused = client.post(
        transition, {"to_status": "scheduled", "scheduled_from": TODAY.isoformat()}
    )
    assert refused.status_code == 400
    assert "riskiarvio" in main(refused)
    client.post(
        reverse("subcontracting:order_risk", kwargs={"order_id": order.pk}),
        {"on": TODAY.isoformat(), "by": "Kaisa Kivelä"},
    )
    client.post(
        transition,
        {
            "to_status": "scheduled",
            "scheduled_from": (TODAY - dt.timedelta(days=3)).isoformat(),
        },
    )
    hours_url = reverse("subcontracting:order_hours", kwargs={"order_id": order.pk})
    too_many = client.post(
        hours_url,
        {"member": member.pk, "day": (TODAY - dt.timedelta(days=2)).isoformat(), "hours": "13"},
    )
    assert too_many.status_code == 400
    assert "enintään 12" in main(too_many)
    assert not HourEntry.objects.exists()
    ok = client.post(
        hours_url,
        {"member": member.pk, "day": (TODAY - dt.timedelta(days=2)).isoformat(), "hours": "7,5"},
    )
    assert ok.status_code == 302
    assert HourEntry.objects.get().hours == Decimal("7.5")
    client.post(transition, {"to_status": "done"})
    sent = client.post(reverse("subcontracting:invoice_send", kwargs={"order_id": order.pk}))
    invoice = Invoice.objects.get()
    assert sent.status_code == 302
    invoice_page = main(
        client.get(reverse("subcontracting:invoice", kwargs={"invoice_id": invoice.pk}))
    )
    assert "262,50" in invoice_page
    assert "37 §" in invoice_page
    pdf = client.get(reverse("subcontracting:invoice_pdf", kwargs={"invoice_id": invoice.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xml = client.get(reverse("subcontracting:invoice_finvoice", kwargs={"invoice_id": invoice.pk}))
    assert xml.status_code == 200
    assert b'Version="3.0"' in xml.content
    assert b"VATEX-EU-132-1G" in xml.content
    assert "Kuukausisiivous" in main(client.get(order_url))
    credit = client.post(
        reverse("subcontracting:invoice", kwargs={"invoice_id": invoice.pk}), {"reason": ""}
    )
    assert credit.status_code == 400
    assert Invoice.objects.count() == 1
    client.post(
        reverse("subcontracting:invoice", kwargs={"invoice_id": invoice.pk}),
        {"reason": "Väärä kohde"},
    )
    note = Invoice.objects.get(credit_for=invoice)
    assert note.gross_cents == -invoice.gross_cents


@pytest.mark.django_db
def test_another_supervisor_sees_nothing_and_nothing_is_logged(
    client, supervisor, group, member, city, county
):
    order = services.order_create(
        actor=supervisor, group_id=group.pk, customer_id=city.pk, title="Siivous", site="X"
    )
    stranger = make_person("sanna", "Sanna Siivous", county, Role.WORK_GROUP_SUPERVISOR)
    login(client, stranger)
    before = AccessLogEntry.objects.count()
    for url in (
        reverse("subcontracting:group", kwargs={"group_id": group.pk}),
        reverse("subcontracting:order", kwargs={"order_id": order.pk}),
        reverse("subcontracting:member", kwargs={"member_id": member.pk}),
        reverse("subcontracting:member_add", kwargs={"group_id": group.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Järvinen" not in response.content.decode()
    posted = client.post(
        reverse("subcontracting:order_hours", kwargs={"order_id": order.pk}),
        {"member": member.pk, "day": TODAY.isoformat(), "hours": "1"},
    )
    assert posted.status_code == 404
    assert not HourEntry.objects.exists()
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_a_coordinator_has_no_work_group_pages(client, aino, group):
    login(client, aino)
    assert client.get(reverse("subcontracting:index")).status_code in (403, 404)
    assert client.get(
        reverse("subcontracting:group", kwargs={"group_id": group.pk})
    ).status_code in (403, 404)


@pytest.mark.django_db
def test_the_invoice_through_the_api(client, supervisor, group, member, person_customer, county):
    from tyollisyystalo.subcontracting import billing
    from tyollisyystalo.subcontracting.tests.conftest import scheduled_order

    order = scheduled_order(supervisor, group, person_customer)
    services.hours_record(
        actor=supervisor,
        order_id=order.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=12),
        hours=Decimal("7.5"),
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
    invoice = services.invoice_send(actor=supervisor, order_id=order.pk)
    url = reverse("v1:subcontracting-invoice", kwargs={"invoice_id": invoice.pk})
    login(client, supervisor)
    body = client.get(url).json()
    assert body["number"] == str(invoice.number)
    assert body["gross_cents"] == 26250
    assert body["vat_category"] == "E"
    assert body["vat_exemption_code"] == "VATEX-EU-132-1G"
    assert billing.reference_valid(body["reference"])
    assert body["rf_reference"] == billing.rf_reference(body["reference"])
    assert body["labour_gross_cents"] == 26250
    # 35 % of 262.50 € is 91.88 €, less than the own share of 150 €: no deduction yet.
    assert body["household_deduction_estimate"]["deduction_cents"] == 0
    assert "Järvinen" not in str(body)  # an invoice names no worker
    stranger = make_person("sanna", "Sanna Siivous", county, Role.WORK_GROUP_SUPERVISOR)
    client.logout()
    login(client, stranger)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_card_shows_the_group_only_to_those_who_may_read_the_work_data(
    client, supervisor, group, member, worker, county, aino
):
    """The county's social worker in the client's team sees the employment and hours on the
    card; employment services' coordinator, without the client's consent, sees no trace of it."""
    from conftest import add_to_team

    social_worker = make_person("sini", "Sini Sosiaali", county, Role.SOCIAL_WORKER)
    add_to_team(worker, social_worker)
    card = reverse("casefile:card", kwargs={"client_id": worker.id})
    login(client, social_worker)
    page = main(client.get(card))
    assert "Rempparyhmä" in page
    client.logout()
    add_to_team(worker, aino)
    login(client, aino)
    response = client.get(card)
    assert "Rempparyhmä" not in response.content.decode()
    section = client.get(
        reverse("casefile:section", kwargs={"client_id": worker.id, "key": "work_groups"})
    )
    assert section.status_code == 404


@pytest.mark.django_db
def test_payroll_csv_lists_days_and_hours_per_member(
    client, supervisor, group, member, person_customer
):
    import csv
    import io

    from tyollisyystalo.subcontracting.tests.conftest import scheduled_order

    order = scheduled_order(supervisor, group, person_customer)
    month = TODAY.replace(day=1) - dt.timedelta(days=1)  # last month: always whole days
    for day, hours in ((month.replace(day=3), "6"), (month.replace(day=4), "7.5")):
        if day >= member.contract_start:
            services.hours_record(
                actor=supervisor,
                order_id=order.pk,
                member_id=member.pk,
                day=day,
                hours=Decimal(hours),
            )
    login(client, supervisor)
    url = reverse("subcontracting:payroll", kwargs={"group_id": group.pk})
    response = client.get(url, {"kausi": month.strftime("%Y-%m")})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Työntekijä", "Työpäivät", "Tunnit", "Tilaukset"]
    assert rows[1][0].startswith("Järvinen")
    assert rows[1][1:3] == ["2", "13,5"]
    assert "Pihan syyssiivous" in rows[1][3]
    assert client.get(url, {"kausi": "2026-13"}).status_code == 400
    assert client.get(url, {"kausi": "x"}).status_code == 400
