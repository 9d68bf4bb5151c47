"""A county's renovation group: its supervisor, a member with a valid safety card, a private
customer who wants the household deduction, and the county's invoicing details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import add_to_team, make_client, make_person
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.models import Seller

TODAY = timezone.localdate()


@pytest.fixture
def supervisor(county):
    return make_person("kaisa", "Kaisa Kivelä", county, Role.WORK_GROUP_SUPERVISOR)


@pytest.fixture
def municipality(county):
    found, _new = Municipality.objects.get_or_create(code="153", defaults={"name_fi": "Imatra"})
    return found


@pytest.fixture
def seller(county):
    return Seller.objects.create(
        organisation=county,
        iban="FI4950009420028730",
        bic="OKOYFIHH",
        street="Valtakatu 1",
        postcode="55100",
        city="Imatra",
    )


@pytest.fixture
def group(supervisor, municipality, seller):
    return services.group_create(
        actor=supervisor,
        name="Rempparyhmä",
        kind="renovation",
        cost_centre="4711",
        municipality=municipality,
        active_from=TODAY - dt.timedelta(days=400),
        required_training="safety_card",
    )


@pytest.fixture
def worker(county, supervisor):
    person = make_client(organisation=county, name=("Jani", "Järvinen"))
    add_to_team(person, supervisor)
    return person


def employ(supervisor, group, person, *, start_days_ago=200, end=None):
    return services.member_add(
        actor=supervisor,
        group_id=group.pk,
        client_id=person.id,
        decision_on=TODAY - dt.timedelta(days=start_days_ago + 10),
        decision_maker="Vammaispalvelujen johtava sosiaalityöntekijä",
        contract_start=TODAY - dt.timedelta(days=start_days_ago),
        contract_end=end,
        hours_per_week=Decimal(25),
        collective_agreement="Sote-sopimus",
        pay_grade="02SOS020",
        hourly_wage_cents=1450,
        subsidy_from=TODAY - dt.timedelta(days=start_days_ago),
        subsidy_percent=70,
        subsidy_monthly_cents=140000,
    )


@pytest.fixture
def member(supervisor, group, worker):
    member = employ(supervisor, group, worker)
    services.training_record(
        actor=supervisor,
        member_id=member.pk,
        kind="safety_card",
        completed_on=TODAY - dt.timedelta(days=300),
        expires_on=TODAY + dt.timedelta(days=5 * 365),
    )
    return member


@pytest.fixture
def person_customer(supervisor):
    return services.customer_create(
        actor=supervisor,
        kind="person",
        name="Liisa Lahtinen",
        street="Koivukuja 3",
        postcode="55120",
        city="Imatra",
        household_deduction=True,
    )


def scheduled_order(supervisor, group, customer, **extra):
    order = services.order_create(
        actor=supervisor,
        group_id=group.pk,
        customer_id=customer.pk,
        title="Pihan syyssiivous",
        site="Koivukuja 3, Imatra",
        **extra,
    )
    services.order_transition(
        actor=supervisor, order_id=order.pk, to_status="estimate", estimate_hours=Decimal(12)
    )
    services.order_transition(actor=supervisor, order_id=order.pk, to_status="agreed")
    services.order_risk_assessment_record(
        actor=supervisor, order_id=order.pk, on=TODAY - dt.timedelta(days=20), by="Kaisa Kivelä"
    )
    return services.order_transition(
        actor=supervisor,
        order_id=order.pk,
        to_status="scheduled",
        scheduled_from=TODAY - dt.timedelta(days=14),
        scheduled_to=TODAY - dt.timedelta(days=10),
    )
