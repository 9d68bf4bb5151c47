"""The coach's list and the card's coaching section read in a number of queries that does not
grow with the number of periods."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import add_to_team, make_client
from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.clients.models import ClientRelationship
from tyollisyystalo.coaching import services
from tyollisyystalo.coaching.models import CoachingPeriod
from tyollisyystalo.coaching.sections import coaching_section
from tyollisyystalo.coaching.selectors import coach_periods

pytestmark = pytest.mark.django_db


def coached_clients(n, askel, employment, ville):
    for i in range(n):
        client = make_client(organisation=employment, name=(f"Asiakas{i}", "Esimerkki"))
        ClientRelationship.objects.create(
            client=client, organisation=askel, started_on=timezone.localdate()
        )
        add_to_team(client, ville)
        period = services.period_start(
            actor=ville,
            client_id=client.pk,
            kind="ips",
            intensity="light",
            started_on=timezone.localdate() - dt.timedelta(days=10),
        )
        services.support_contact_add(
            actor=ville,
            period_id=period.pk,
            contacted_on=timezone.localdate(),
            kind="client_meeting",
        )
    return client


def count(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_coach_list_queries_do_not_grow(askel, employment, ville):
    coached_clients(2, askel, employment, ville)
    few = count(lambda: coach_periods(staff=ville))
    coached_clients(6, askel, employment, ville)
    assert len(coach_periods(staff=ville)) == 8
    assert count(lambda: coach_periods(staff=ville)) == few


FORM_A = {
    "education": "Ammattikoulu",
    "work_history": "Varasto",
    "preferred_jobs": "Varasto",
    "disclosure": "none",
    "benefits_counselling": False,
    "own_goal": "Työ",
}


def test_card_section_queries_do_not_grow_with_answers(askel, employment, ville):
    client = coached_clients(1, askel, employment, ville)
    period = CoachingPeriod.objects.get(client=client)
    access = client_access_decide(staff=ville, client_id=client.pk, purpose="test")
    few = count(lambda: coaching_section(access))
    for _ in range(4):
        services.form_answer_save(actor=ville, period_id=period.pk, form="A", answers=FORM_A)
    section = coaching_section(access)
    assert section is not None
    assert len(section.context["coaching"].periods[0].latest_answers) == 4
    assert count(lambda: coaching_section(access)) == few
