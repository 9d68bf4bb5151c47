"""Small datasets for the indicator tests, written straight to the tables with explicit dates
(the services would date everything today). Every row is synthetic."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.utils import timezone

from conftest import StaffFactory, make_client
from tyollisyystalo.cases.models import Case, CaseDeadline, CaseStatus, DeadlineKind
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.coaching.models import CoachingPeriod, CoachingStatus, Placement
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.worktrials.models import FeedbackLink


def municipality(code: str, name: str) -> Municipality:
    found, _ = Municipality.objects.get_or_create(code=code, defaults={"name_fi": name})
    return found


def coordinator(organisation: Organisation) -> StaffMember:
    return StaffFactory.create(organisation=organisation, role=Role.COORDINATOR)


def resident(organisation: Organisation, home: Municipality | None) -> Client:
    client = make_client(organisation=organisation)
    ClientIdentity.objects.filter(client=client).update(municipality=home)
    return client


def path(
    client: Client,
    organisation: Organisation,
    staff: StaffMember,
    *,
    referred_on: dt.date,
    started_on: dt.date | None = None,
    closed_on: dt.date | None = None,
    outcome: str = "",
) -> Case:
    if closed_on is not None:
        status = CaseStatus.CLOSED
    elif started_on is not None:
        status = CaseStatus.ACTIVE
    else:
        status = CaseStatus.REFERRED
    return Case.objects.create(
        client=client,
        owner_organisation=organisation,
        category="plan",
        entry_route="employment_services",
        coordinator=staff,
        status=status,
        referred_on=referred_on,
        started_on=started_on,
        closed_on=closed_on,
        outcome=outcome,
        outcome_on=closed_on if outcome else None,
    )


def closed_paths(
    organisation: Organisation,
    staff: StaffMember,
    home: Municipality,
    *,
    count: int = 1,
    outcome: str,
    on: dt.date,
) -> None:
    """``count`` residents of ``home``, each with a path closed on ``on`` with ``outcome``."""
    for _ in range(count):
        client = resident(organisation, home)
        path(
            client,
            organisation,
            staff,
            referred_on=on - dt.timedelta(days=60),
            started_on=on - dt.timedelta(days=50),
            closed_on=on,
            outcome=outcome,
        )


def moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def review(
    case: Case,
    *,
    due_on: dt.date,
    done_on: dt.date | None = None,
    cancelled_on: dt.date | None = None,
    kind: str = DeadlineKind.INTERIM_REVIEW,
) -> CaseDeadline:
    return CaseDeadline.objects.create(
        case=case,
        kind=kind,
        due_on=due_on,
        done_on=done_on,
        done_by=case.coordinator if done_on else None,
        cancelled_at=moment(cancelled_on) if cancelled_on else None,
    )


def referral(
    case: Case,
    receiver: Organisation,
    *,
    sent_on: dt.date,
    status: str = "sent",
    answered_on: dt.date | None = None,
    completed_on: dt.date | None = None,
) -> Referral:
    return Referral.objects.create(
        client=case.client,
        owner_organisation=case.owner_organisation,
        category="plan",
        case=case,
        receiving_organisation=receiver,
        reason="Synteettinen syy.",
        shared_categories="plan",
        status=status,
        sent_by=case.coordinator,
        answer_due_on=sent_on + dt.timedelta(days=14),
        answered_at=moment(answered_on) if answered_on else None,
        answered_by=case.coordinator if answered_on else None,
        decline_reason="Ei tilaa." if status == "declined" else "",
        completed_at=moment(completed_on) if completed_on else None,
        created_at=moment(sent_on),
    )


def coaching(
    client: Client,
    organisation: Organisation,
    coach: StaffMember,
    *,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    case: Case | None = None,
) -> CoachingPeriod:
    return CoachingPeriod.objects.create(
        client=client,
        owner_organisation=organisation,
        category="education_work",
        case=case,
        coach=coach,
        kind="ips",
        intensity="intensive",
        status=CoachingStatus.ENDED if ended_on else CoachingStatus.JOB_SEARCH,
        started_on=started_on,
        ended_on=ended_on,
        ending_reason="other" if ended_on else "",
        created_by=coach,
    )


def job(
    period: CoachingPeriod,
    *,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    competitive: bool = True,
) -> Placement:
    return Placement.objects.create(
        client=period.client,
        owner_organisation=period.owner_organisation,
        category=period.category,
        period=period,
        employer_name="Synteettinen Oy",
        job_title="Varastotyöntekijä",
        started_on=started_on,
        ended_on=ended_on,
        hours_per_week=Decimal(20),
        contract_type="fixed_term",
        competitive=competitive,
    )


def work_trial(case: Case, *, created_on: dt.date, days: int = 30) -> FeedbackLink:
    return FeedbackLink.objects.create(
        case=case,
        client=case.client,
        owner_organisation=case.owner_organisation,
        category="assessments",
        token_hash=f"{case.pk.hex}{created_on:%Y%m%d}",
        trial_label="Synteettinen työkokeilu",
        host_name="Synteettinen isäntä",
        created_by=case.coordinator,
        created_at=moment(created_on),
        expires_at=moment(created_on + dt.timedelta(days=days)),
    )


def work_ability(
    client: Client, organisation: Organisation, *, answered_on: dt.date, score: int
) -> InstrumentResponse:
    return InstrumentResponse.objects.create(
        client=client,
        owner_organisation=organisation,
        category="assessments",
        instrument_key="work_ability_score",
        instrument_version="1",
        answered_on=answered_on,
        respondent="client",
        answers_json=json.dumps({"work_ability": str(score)}),
        result_json=json.dumps(
            {"total": str(score), "domains": {}, "band": "", "flagged": [], "suggestions": []}
        ),
    )
