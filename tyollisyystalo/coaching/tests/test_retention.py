"""Coaching records follow their owner's record class: a wellbeing county's coaching goes ten
years after the relationship ended, with every row under the period (erase order holds)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import StaffFactory, make_client
from tyollisyystalo.clients.models import ClientRelationship
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingFormAnswer,
    CoachingPeriod,
    Placement,
    PlacementFeedback,
    SupportContact,
)
from tyollisyystalo.retention.services import retention_erase
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.worktrials.models import FeedbackLink

ENDED = dt.date(2012, 6, 1)


def coached_client(county):
    coach = StaffFactory.create(organisation=county, role=Role.JOB_COACH)
    client = make_client(organisation=county)
    record = {"client": client, "owner_organisation": county, "category": "education_work"}
    start = ENDED - dt.timedelta(days=200)
    period = CoachingPeriod.objects.create(
        **record,
        coach=coach,
        kind="ips",
        intensity="light",
        started_on=start,
        created_by=coach,
    )
    CoachingEvent.objects.create(
        period=period, effective_on=start, to_status="started", actor=coach
    )
    placement = Placement.objects.create(
        **record,
        period=period,
        employer_name="Varasto Oy",
        job_title="Varastotyö",
        started_on=start,
        hours_per_week=20,
        contract_type="permanent",
        competitive=True,
    )
    CoachingFormAnswer.objects.create(
        **record,
        period=period,
        form="C",
        definition_version="1",
        answered_on=start,
        answers_json="{}",
        author=coach,
        placement=placement,
    )
    SupportContact.objects.create(
        **record, period=period, contacted_on=start, kind="follow_along", author=coach
    )
    now = timezone.now()
    link = FeedbackLink.objects.create(
        **record,
        subject_kind="placement",
        subject_id=str(placement.pk),
        token_hash="x" * 64,
        trial_label="Työ",
        host_name="Varasto Oy",
        created_by=coach,
        created_at=now - dt.timedelta(days=1),
        expires_at=now,
        used_at=now,
    )
    PlacementFeedback.objects.create(
        **record, link=link, placement=placement, respondent_name="Esimies"
    )
    ClientRelationship.objects.filter(client=client).update(
        started_on=ENDED - dt.timedelta(days=400), ended_on=ENDED
    )
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("years", "erased"), [(9, False), (11, True)])
def test_county_coaching_goes_with_the_social_welfare_class(county, years, erased):
    client = coached_client(county)
    retention_erase(at=timezone.make_aware(dt.datetime(ENDED.year + years, 6, 2, 12)))
    remaining = {
        "periods": CoachingPeriod.objects.filter(client=client).count(),
        "events": CoachingEvent.objects.filter(period__client=client).count(),
        "answers": CoachingFormAnswer.objects.filter(client=client).count(),
        "placements": Placement.objects.filter(client=client).count(),
        "contacts": SupportContact.objects.filter(client=client).count(),
        "feedback": PlacementFeedback.objects.filter(client=client).count(),
        "links": FeedbackLink.objects.filter(client=client).count(),
    }
    assert remaining == dict.fromkeys(remaining, 0 if erased else 1)
