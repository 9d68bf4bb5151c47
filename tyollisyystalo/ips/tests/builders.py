"""Hand-built coaching rows for the measures' and the fidelity pre-fill's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from conftest import make_client
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.coaching.models import (
    CoachingPeriod,
    CoachingStatus,
    ContractType,
    EndingReason,
    Placement,
    SupportContact,
    SupportContactKind,
)
from tyollisyystalo.employers.models import CoachingTeam, Employer, EmployerContact
from tyollisyystalo.staff.models import StaffMember

TODAY = dt.date(2026, 6, 1)


def days_ago(n: int, today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=n)


def period(
    coach: StaffMember,
    started_on: dt.date,
    *,
    team: CoachingTeam | None = None,
    ended_on: dt.date | None = None,
) -> CoachingPeriod:
    client = make_client(organisation=coach.organisation, name=("Testi", "Asiakas"))
    return CoachingPeriod.objects.create(
        client=client,
        owner_organisation=coach.organisation,
        category=DataCategory.EDUCATION_WORK,
        team=team,
        coach=coach,
        kind="ips",
        intensity="intensive",
        status=CoachingStatus.ENDED if ended_on else CoachingStatus.JOB_SEARCH,
        started_on=started_on,
        ended_on=ended_on,
        ending_reason=EndingReason.OTHER if ended_on else "",
        created_by=coach,
    )


def employer(team: CoachingTeam, by: StaffMember, name: str = "Työnantaja Oy") -> Employer:
    return Employer.objects.create(team=team, name=name, created_by=by)


def contact(
    at: Employer,
    coach: StaffMember,
    on: dt.date,
    *,
    face_to_face: bool = True,
    about: CoachingPeriod | None = None,
) -> EmployerContact:
    return EmployerContact.objects.create(
        employer=at,
        coach=coach,
        contacted_on=on,
        kind="visit" if face_to_face else "call",
        face_to_face=face_to_face,
        client=about.client if about else None,
        owner_organisation=coach.organisation,
    )


def placement(
    of: CoachingPeriod,
    started_on: dt.date,
    *,
    ended_on: dt.date | None = None,
    hours: str = "20",
    competitive: bool = True,
    wage: str | None = None,
    title: str = "Kokki",
    at: Employer | None = None,
    employer_name: str = "Ravintola Oy",
) -> Placement:
    return Placement.objects.create(
        client=of.client,
        owner_organisation=of.owner_organisation,
        category=of.category,
        period=of,
        employer=at,
        employer_name=at.name if at else employer_name,
        job_title=title,
        started_on=started_on,
        ended_on=ended_on,
        hours_per_week=Decimal(hours),
        contract_type=ContractType.PERMANENT,
        competitive=competitive,
        hourly_wage=Decimal(wage) if wage else None,
    )


def support(of: CoachingPeriod, on: dt.date, kind: str = SupportContactKind.FOLLOW_ALONG) -> None:
    SupportContact.objects.create(
        client=of.client,
        owner_organisation=of.owner_organisation,
        category=of.category,
        period=of,
        contacted_on=on,
        kind=kind,
        author=of.coach,
    )
