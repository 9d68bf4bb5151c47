"""Found by an outside review: numbers out of range are a 400 with nothing saved; a person has
one employment at a time; a sent invoice keeps the seller's details it was sent with; a private
customer is not shown to every supervisor; a member the reader may not see leaves no trace, and
a refused member page is logged as denied."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import login, make_person
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.invoicing import invoice_document
from tyollisyystalo.subcontracting.models import HourEntry, Order, OrderLine, Seller
from tyollisyystalo.subcontracting.selectors import customers_for, group_page, member_page
from tyollisyystalo.subcontracting.tests.conftest import TODAY, employ, scheduled_order


@pytest.mark.django_db
def test_numbers_out_of_range_are_refused_and_nothing_is_saved(
    client, supervisor, group, member, person_customer
):
    order = scheduled_order(supervisor, group, person_customer)
    login(client, supervisor)
    lines = reverse("subcontracting:order_line", kwargs={"order_id": order.pk})
    for quantity, price in (("9999999999", "10"), ("1,005", "10"), ("1", "999999999,99")):
        response = client.post(
            lines,
            {
                "kind": "materials",
                "description": "Maali",
                "quantity": quantity,
                "unit_price": price,
            },
        )
        assert response.status_code == 400, (quantity, price)
    assert not OrderLine.objects.exists()
    hours = reverse("subcontracting:order_hours", kwargs={"order_id": order.pk})
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    for value in ("0,004", "0,1", "7,555"):
        response = client.post(hours, {"member": member.pk, "day": day, "hours": value})
        assert response.status_code == 400, value
    assert not HourEntry.objects.exists()
    other = services.order_create(
        actor=supervisor, group_id=group.pk, customer_id=person_customer.pk, title="T", site="S"
    )
    response = client.post(
        reverse("subcontracting:order_transition", kwargs={"order_id": other.pk}),
        {"to_status": "estimate", "estimate_hours": "99999999"},
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == "request"
    assert other.estimate_hours is None
    payroll = reverse("subcontracting:payroll", kwargs={"group_id": group.pk})
    assert client.get(payroll, {"kausi": "9999-12"}).status_code == 400


@pytest.mark.django_db
def test_a_person_has_one_employment_at_a_time(supervisor, group, member, worker):
    with pytest.raises(ValidationError) as refused:
        employ(supervisor, group, worker, start_days_ago=50)
    assert "jo työsuhde" in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_a_sent_invoice_keeps_the_sellers_details(supervisor, group, member, person_customer):
    order = scheduled_order(supervisor, group, person_customer)
    services.hours_record(
        actor=supervisor,
        order_id=order.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=12),
        hours=Decimal(2),
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="done")
    invoice = services.invoice_send(actor=supervisor, order_id=order.pk)
    Seller.objects.update(iban="FI2112345600000785", street="Uusi katu 9")
    doc = invoice_document(invoice)
    assert doc.seller_iban == "FI4950009420028730"
    assert doc.seller.street == "Valtakatu 1"


@pytest.mark.django_db
def test_a_private_customer_is_shown_only_to_those_who_serve_them(
    supervisor, group, person_customer, county
):
    colleague = make_person("olga", "Olga Ohjaaja", county, Role.WORK_GROUP_SUPERVISOR)
    assert person_customer not in customers_for(colleague)
    assert person_customer in customers_for(supervisor)
    with pytest.raises(Http404):
        services.agreement_add(
            actor=colleague,
            customer_id=person_customer.pk,
            valid_from=TODAY,
            signed_on=TODAY,
            service_description="x",
        )
    city = services.customer_create(
        actor=supervisor,
        kind="municipality",
        name="Kaupunki",
        street="Katu 1",
        postcode="55100",
        city="Imatra",
        business_id="0162193-3",
    )
    assert city in customers_for(colleague)  # organisations are shared in the organisation
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_a_member_the_reader_may_not_see_leaves_no_trace(supervisor, group, member, worker):
    TeamMembership.objects.filter(client=worker, staff_member=supervisor).update(
        ended_at=dt.datetime.now(dt.UTC)
    )
    reads_before = AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).count()
    page = group_page(supervisor, group.pk)
    assert page.members == []
    assert AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).count() == reads_before
    with pytest.raises(Http404):
        member_page(supervisor, member.pk)
    denied = AccessLogEntry.objects.filter(client_id=worker.id, outcome=Outcome.DENIED)
    assert denied.count() == 1
    assert AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).count() == reads_before


@pytest.mark.django_db
def test_the_pay_subsidy_is_shown_beside_the_rules_answer(supervisor, group, member):
    from tyollisyystalo.rules import evaluate
    from tyollisyystalo.subcontracting.selectors import subsidy_check

    # The oracle: the rules module's own answer for the decision's first day.
    answer = evaluate(
        "pay_subsidy",
        {"pay_subsidy_ground": "reduced_work_ability", "employer_type": "wellbeing_county"},
        member.subsidy_from,
    )
    check = subsidy_check(member)
    assert check is not None
    assert check.rate_percent == answer.values["rate_percent"]
    assert check.monthly_cap_cents == answer.values["monthly_cap_eur"] * 100
    assert check.problems == ()  # 70 % and 1,400 € a month are within the rule
    member.subsidy_percent = answer.values["rate_percent"] + 10
    member.subsidy_monthly_cents = answer.values["monthly_cap_eur"] * 100 + 1
    member.save()
    problems = " ".join(subsidy_check(member).problems)  # type: ignore[union-attr]
    assert "enemmän kuin säännön" in problems
    assert "enimmäismäärän" in problems
