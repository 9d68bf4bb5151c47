"""Who may open and change a coaching period: every coaching page for every persona.

The expected answer comes from ``expected_access`` below, a reading of ADR 0005 / 0017 / 0023
written apart from the gatekeeper: it looks at the raw rows (team memberships, consents) and
the role table as data. A denied request answers 404, changes nothing and logs nothing as read.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_to_team, login
from tyollisyystalo.access.policy import POLICY
from tyollisyystalo.audit.models import AccessLogEntry, Action, Outcome
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.coaching import services
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingFormAnswer,
    CoachingPeriod,
    Placement,
    SupportContact,
)
from tyollisyystalo.consents.models import ConsentCategory
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.worktrials.models import FeedbackLink

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def expected_access(staff, period) -> tuple[bool, bool]:
    """(may read, may write) the period, from the rows and the role table only."""
    policy = POLICY[Role(staff.role)]
    in_team = TeamMembership.objects.filter(
        client_id=period.client_id, staff_member=staff, ended_at__isnull=True
    ).exists()
    works_with = in_team or (
        policy.duty_covers_clients
        and period.client.relationships.filter(organisation=staff.organisation).exists()
    )
    category = period.category
    own = staff.organisation_id == period.owner_organisation_id
    may_write = own and works_with and category in {str(c) for c in policy.writable}
    if not (works_with and category in {str(c) for c in policy.readable}):
        return False, False
    if own:
        return True, may_write
    consented = ConsentCategory.objects.filter(
        category=category,
        version__consent__client_id=period.client_id,
        version__consent__withdrawn_at__isnull=True,
        version__valid_from__lte=TODAY(),
        version__disclosing_organisations=period.owner_organisation_id,
        version__receiving_organisations=staff.organisation_id,
    ).exists()
    return consented, False


PERSONAS = [
    "coach_in_team",
    "colleague_not_in_team",
    "coach_of_other_team",
    "coordinator_with_consent",
    "unrelated_coordinator",
    "manager_of_coaching_org",
]


@pytest.fixture
def period(referral, ville):
    period = services.period_start(
        actor=ville,
        referral_id=referral.pk,
        kind="ips",
        intensity="intensive",
        started_on=TODAY() - dt.timedelta(days=20),
    )
    services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="C",
        answers={
            "employer_name": "Varasto Oy",
            "job_title": "Varastotyöntekijä",
            "start_date": TODAY() - dt.timedelta(days=5),
            "hours_per_week": "20",
            "contract_type": "permanent",
            "competitive": True,
            "pay_subsidy": False,
            "benefits_info_given": True,
        },
    )
    return period


def persona(who, *, askel, muu, other_team, employment, aino, klaus):
    if who == "coach_in_team":
        staff = StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
        add_to_team(klaus, staff)
        return staff
    if who == "colleague_not_in_team":
        return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    if who == "coach_of_other_team":
        staff = StaffFactory.create(organisation=muu, role=Role.JOB_COACH)
        add_to_team(klaus, staff)  # even in the client's team: another organisation's records
        return staff
    if who == "coordinator_with_consent":
        return aino
    if who == "unrelated_coordinator":
        return StaffFactory.create(organisation=muu, role=Role.COORDINATOR)
    return StaffFactory.create(organisation=askel, role=Role.MANAGER)


def snapshot(period):
    return (
        CoachingEvent.objects.filter(period=period).count(),
        CoachingFormAnswer.objects.filter(period=period).count(),
        SupportContact.objects.filter(period=period).count(),
        Placement.objects.filter(period=period).count(),
        FeedbackLink.objects.count(),
        CoachingPeriod.objects.get(pk=period.pk).status,
    )


def reads_of(client_id):
    return AccessLogEntry.objects.filter(
        client_id=client_id, action=Action.READ, outcome=Outcome.ALLOWED
    ).count()


@pytest.mark.parametrize("who", PERSONAS)
def test_every_coaching_page_by_persona(
    client, who, period, askel, muu, other_team, employment, aino, klaus
):
    staff = persona(
        who,
        askel=askel,
        muu=muu,
        other_team=other_team,
        employment=employment,
        aino=aino,
        klaus=klaus,
    )
    may_read, may_write = expected_access(staff, period)
    placement = period.placements.get()
    ids = {"period_id": period.pk}
    login(client, staff)

    before_state, before_reads = snapshot(period), reads_of(period.client_id)
    reads = {
        "detail": client.get(reverse("coaching:detail", kwargs=ids)),
    }
    writes_get = {
        "form_a": client.get(reverse("coaching:form", kwargs={**ids, "code": "A"})),
        "meeting": client.get(reverse("coaching:meeting", kwargs=ids)),
        "placement_end": client.get(
            reverse("coaching:placement_end", kwargs={**ids, "placement_id": placement.pk})
        ),
        "feedback_link": client.get(
            reverse("coaching:feedback_link", kwargs={**ids, "placement_id": placement.pk})
        ),
    }
    today = TODAY().isoformat()
    writes_post = {
        "transition": client.post(
            reverse("coaching:transition", kwargs=ids),
            {"tila-to_status": "follow_along", "tila-effective_on": today},
        ),
        "support_contact": client.post(
            reverse("coaching:support_contact", kwargs=ids),
            {"tuki-contacted_on": today, "tuki-kind": "follow_along"},
        ),
        "form_e": client.post(
            reverse("coaching:form", kwargs={**ids, "code": "E"}),
            {"declined_on": today, "reason": "Ei tarvetta", "may_contact_again": "yes"},
        ),
    }

    start = client.get(reverse("coaching:start", kwargs={"client_id": period.client_id}))
    # Starting one's own period: a job coach of a coaching team's organisation who works with
    # the client (ADR 0023, part 1), whatever they may see of this period.
    may_start = (
        staff.role == Role.JOB_COACH
        and CoachingTeam.objects.filter(organisations=staff.organisation_id).exists()
        and TeamMembership.objects.filter(client_id=period.client_id, staff_member=staff).exists()
    )
    assert start.status_code == (200 if may_start else 404)
    assert reads["detail"].status_code == (200 if may_read else 404)
    for name, response in writes_get.items():
        assert response.status_code == (200 if may_write else 404), name
    for name, response in writes_post.items():
        assert response.status_code == (302 if may_write else 404), name
    if not may_write:
        assert snapshot(period) == before_state
    if not may_read:
        assert reads_of(period.client_id) == before_reads
        assert "Varastotyöntekijä" not in reads["detail"].text


def test_the_oracle_is_not_trivially_all_or_nothing(period, askel, muu, aino, klaus, other_team):
    answers = {
        who: expected_access(
            persona(
                who,
                askel=askel,
                muu=muu,
                other_team=other_team,
                employment=None,
                aino=aino,
                klaus=klaus,
            ),
            period,
        )
        for who in PERSONAS
    }
    assert answers["coach_in_team"] == (True, True)
    assert answers["coordinator_with_consent"] == (True, False)
    assert answers["coach_of_other_team"] == (False, False)
