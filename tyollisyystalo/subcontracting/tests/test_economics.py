"""The cost centre's economics: pure arithmetic checked by hand, the page's months from the
group's invoices, hours and decisions in a fixed number of queries, and who may see it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login, make_person
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import economics, services
from tyollisyystalo.subcontracting.selectors import group_economics
from tyollisyystalo.subcontracting.tests.conftest import TODAY, scheduled_order


def test_subsidy_is_paid_for_the_days_in_force():
    subsidy = economics.Subsidy(140000, dt.date(2026, 3, 11), dt.date(2026, 4, 15))
    assert economics.days_in_force(subsidy, 2026, 3) == 21
    assert economics.subsidy_for_month(subsidy, 2026, 3) == round(140000 * 21 / 31)
    assert economics.subsidy_for_month(subsidy, 2026, 4) == round(140000 * 15 / 30)
    assert economics.subsidy_for_month(subsidy, 2026, 5) == 0
    assert economics.subsidy_for_month(subsidy, 2026, 2) == 0


def test_wages_carry_the_dated_side_costs():
    # 100 h × 14.50 € = 1,450 €; plus 21 % = 1,754.50 €
    assert economics.wages([(Decimal(100), 1450)], dt.date(2026, 6, 1)) == 175450


def test_the_three_scenarios_side_by_side():
    import dataclasses

    base = economics.Scenario(
        "1",
        groups=0,
        members_per_group=7,
        billed_hours_per_member=Decimal(40),
        paid_hours_per_member=Decimal(100),
        hourly_wage_cents=1450,
        subsidy_percent=70,
        arrangement_cents_per_member=0,
        supervisor_cents_per_group=450000,
        materials_share_percent=10,
    )
    on = dt.date(2026, 6, 1)
    none = economics.project(base, on, 3500)
    two = economics.project(dataclasses.replace(base, name="2", groups=2), on, 3500)
    assert none.result_cents == 0
    # 14 members: revenue 14 × 40 h × 35 € = 19,600 €; wages 14 × 1,754.50 € = 24,563 €;
    # subsidy 70 % of wages = 17,194.10 €; supervisors 9,000 €; materials 1,960 €.
    assert two.revenue_cents == 1960000
    assert two.wages_cents == 2456300
    assert two.subsidy_cents == 1719410
    assert two.result_cents == 1960000 + 1719410 - 2456300 - 900000 - 196000
    assert two.support_share is not None


@pytest.mark.django_db
def test_the_group_months_from_invoices_hours_and_decisions(
    supervisor, group, member, person_customer
):
    order = scheduled_order(supervisor, group, person_customer)
    day = TODAY - dt.timedelta(days=12)
    services.hours_record(
        actor=supervisor, order_id=order.pk, member_id=member.pk, day=day, hours=Decimal(8)
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
    invoice = services.invoice_send(actor=supervisor, order_id=order.pk)
    months = group_economics(group, invoice.issued_on.year)
    billed = months[invoice.issued_on.month - 1]
    assert billed.revenue_by_kind == {"person": 8 * 3500}
    worked = months[day.month - 1]
    assert worked.hours == 8
    assert worked.wages_cents == economics.wages([(Decimal(8), 1450)], day)
    assert worked.subsidy_cents > 0


@pytest.mark.django_db
def test_the_page_makes_the_same_queries_with_more_data_and_only_for_its_people(
    client, supervisor, group, member, person_customer, county, worker
):
    login(client, supervisor)
    url = reverse("subcontracting:economics", kwargs={"group_id": group.pk})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def invoiced(n: int) -> None:
        order = scheduled_order(supervisor, group, person_customer)
        services.hours_record(
            actor=supervisor,
            order_id=order.pk,
            member_id=member.pk,
            day=TODAY - dt.timedelta(days=12 - n),
            hours=Decimal(3),
        )
        services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
        services.invoice_send(actor=supervisor, order_id=order.pk)

    invoiced(0)
    before = queries()
    for n in range(1, 4):
        invoiced(n)
    assert queries() == before
    xlsx = client.get(url, {"muoto": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    csv_text = client.get(url, {"muoto": "csv"}).content.decode("utf-8-sig")
    assert "Tulos" in csv_text
    client.logout()
    controller = make_person("helena", "Helena Heikkilä", county, Role.MANAGER)
    login(client, controller)
    page = client.get(url)
    assert page.status_code == 200
    assert "Järvinen" not in page.content.decode()  # figures only
    client.logout()
    stranger = make_person("sanna", "Sanna Siivous", county, Role.WORK_GROUP_SUPERVISOR)
    login(client, stranger)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_scenarios_page_shows_three_options_and_refuses_bad_input(client, supervisor):
    login(client, supervisor)
    url = reverse("subcontracting:scenarios")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Malli vammaispalveluissa" in html
    assert "Tulos" in html
    assert client.get(url, {"groups_none": "-1", "members_per_group": "x"}).status_code == 400


@pytest.mark.django_db
def test_bad_years_and_numbers_are_a_400_not_a_500(client, supervisor, group, county):
    login(client, supervisor)
    url = reverse("subcontracting:economics", kwargs={"group_id": group.pk})
    for year in ("2020", "0", "99999", "abc", "-1"):
        assert client.get(url, {"vuosi": year}).status_code == 400, year
    scenarios = reverse("subcontracting:scenarios")
    for field, value in (
        ("billed_hours", "1E+999"),
        ("hourly_wage", "1e30"),
        ("paid_hours", "-100"),
    ):
        assert client.get(scenarios, {field: value}).status_code == 400, field
    # A peer instructor who does not keep groups (another role) sees no figures.
    nurse = make_person("noora", "Noora Hoitaja", county, Role.NURSE)
    group.peer_instructor = nurse
    group.save(update_fields=["peer_instructor"])
    client.logout()
    login(client, nurse)
    assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db
def test_the_pay_subsidy_stops_with_the_employment(supervisor, group, member):
    services.member_end(
        actor=supervisor, member_id=member.pk, on=TODAY - dt.timedelta(days=40), reason="other"
    )
    member.refresh_from_db()
    assert member.subsidy_until is None or member.subsidy_until > member.contract_end
    months = group_economics(group, TODAY.year)
    if TODAY.month >= 2:
        assert months[TODAY.month - 1].subsidy_cents == 0
    with pytest.raises(ValidationError):  # ended once: not again
        services.member_end(actor=supervisor, member_id=member.pk, on=TODAY, reason="open_market")
