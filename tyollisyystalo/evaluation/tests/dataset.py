"""A small hand-built dataset for the evaluation package tests.

Esimerkkilä employment services (mikko's organisation) owns paths of six clients; five live in
Esimerkkilä (code X91, as the demo's codes), one in Pikkukylä (992, too few to show). Sari
(born 17.5.1990) has the full path: events, reviews, two work-ability scores, a referral to a
catalogue service, a work trial, an IPS coaching period with a placement and the employer's
feedback. A seventh client's
identity has been anonymised (left out). The wellbeing county owns a path and a score of Sari
and a path of its own client (all left out: not the exporter's records).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from conftest import StaffFactory, make_client
from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent
from tyollisyystalo.catalogue.models import (
    Attribute,
    CatalogueOrganization,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingPeriod,
    Placement,
    PlacementFeedback,
)
from tyollisyystalo.evaluation.selectors import RATING_FIELDS
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys.models import Answer, AnswerValue
from tyollisyystalo.worktrials.models import FeedbackLink, WorkTrialFeedback

SARI_HETU = "170590-998D"
FREE_TEXT = "Salainen vapaa teksti Sarin terveydestä"


def day(year: int, month: int, dd: int) -> dt.date:
    return dt.date(year, month, dd)


def at(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time(10, 30)))


@dataclass
class Dataset:
    employment: Organisation
    county: Organisation
    coordinator: StaffMember
    sari: Client
    clients: list[Client] = field(default_factory=list)  # the six in the package, Sari first
    anonymised: Client | None = None
    foreign_client: Client | None = None


def result(total: str, domains: dict[str, str], band: str) -> str:
    return json.dumps(
        {"total": total, "domains": domains, "band": band, "flagged": [], "suggestions": []}
    )


def score(
    client: Client,
    owner: Organisation,
    answered: dt.date,
    total: str,
    band: str,
    *,
    entered_by: StaffMember | None = None,
) -> InstrumentResponse:
    """A Work Ability Score answer (its one domain "was" equal to the total)."""
    return InstrumentResponse.objects.create(
        client=client,
        owner_organisation=owner,
        category="health" if entered_by else "assessments",
        instrument_key="work_ability_score",
        instrument_version="1",
        answered_on=answered,
        respondent="professional" if entered_by else "client",
        entered_by=entered_by,
        answers_json=json.dumps({"was": total}),
        result_json=result(total, {"was": total}, band),
    )


def open_case(
    client: Client,
    owner: Organisation,
    coordinator: StaffMember,
    *,
    referred: dt.date,
    started: dt.date | None = None,
    closed: dt.date | None = None,
    outcome: str = "",
    route: str = "employment_services",
) -> Case:
    status = "closed" if closed else ("active" if started else "referred")
    case = Case.objects.create(
        client=client,
        owner_organisation=owner,
        category="plan",
        entry_route=route,
        coordinator=coordinator,
        referred_on=referred,
        started_on=started,
        closed_on=closed,
        status=status,
        outcome=outcome,
        outcome_on=closed if outcome else None,
        referrer_name="Lähettäjän nimi",
    )
    CaseEvent.objects.create(
        case=case,
        kind="opened",
        at=at(referred),
        effective_on=referred,
        actor=coordinator,
        to_status="referred",
        reason=FREE_TEXT,
    )
    return case


def ratings(*values: int | None) -> dict[str, int | None]:
    return dict(zip(RATING_FIELDS, values, strict=True))


def used_link(
    case: Case,
    creator: StaffMember,
    category: str,
    used: dt.date,
    *,
    placement: Placement | None = None,
) -> FeedbackLink:
    """A feedback link to a work trial (or, given one, a placement), used on ``used``."""
    subject = {"subject_kind": "placement", "subject_id": str(placement.id)} if placement else {}
    return FeedbackLink.objects.create(
        case=case,
        **subject,
        client=case.client,
        owner_organisation=case.owner_organisation,
        category=category,
        token_hash=uuid.uuid4().hex,
        trial_label="Sari Esimerkki, varastotyö 1.–31.7.",
        host_name="Varasto Oy",
        created_by=creator,
        created_at=at(used - dt.timedelta(days=10)),
        expires_at=at(used + dt.timedelta(days=20)),
        used_at=at(used),
    )


def add_identity_details(client: Client, *, birth: dt.date, municipality: Municipality) -> None:
    ClientIdentity.objects.filter(client=client).update(birth_date=birth, municipality=municipality)


def build(employment: Organisation, county: Organisation, coordinator: StaffMember) -> Dataset:
    big = Municipality.objects.create(code="X91", name_fi="Esimerkkilä")
    small = Municipality.objects.create(code="992", name_fi="Pikkukylä")
    nurse = StaffFactory.create(organisation=county, role=Role.NURSE)
    coach = StaffFactory.create(organisation=employment, role=Role.JOB_COACH)

    sari = make_client(organisation=employment, name=("Sari", "Esimerkki"), hetu=SARI_HETU)
    add_identity_details(sari, birth=day(1990, 5, 17), municipality=big)
    data = Dataset(employment, county, coordinator, sari, clients=[sari])

    # Sari's path: referred 10.3.2025, intake 20.3., active 2.4., closed 28.11. with a job.
    case = open_case(
        sari,
        employment,
        coordinator,
        referred=day(2025, 3, 10),
        started=day(2025, 3, 20),
        closed=day(2025, 11, 28),
        outcome="job_or_study",
    )
    for kind, on, from_status, to_status, outcome in (
        ("status", day(2025, 3, 20), "referred", "intake", ""),
        ("status", day(2025, 4, 2), "intake", "active", ""),
        ("coordinator", day(2025, 4, 20), "", "", ""),  # after the status change that month
        ("review", day(2025, 5, 5), "", "", ""),
        ("outcome", day(2025, 11, 28), "", "", "job_or_study"),
        ("status", day(2025, 11, 28), "active", "closed", ""),
    ):
        CaseEvent.objects.create(
            case=case,
            kind=kind,
            at=at(on),
            effective_on=on,
            actor=coordinator,
            from_status=from_status,
            to_status=to_status,
            outcome=outcome,
            reason=FREE_TEXT,
        )
    CaseDeadline.objects.create(
        case=case,
        kind="interim_review",
        months=1,
        due_on=day(2025, 4, 20),
        done_on=day(2025, 5, 5),
        done_by=coordinator,
        summary=FREE_TEXT,
    )
    CaseDeadline.objects.create(
        case=case,
        kind="interim_review",
        months=3,
        due_on=day(2025, 6, 20),
        cancelled_at=at(day(2025, 6, 1)),
    )
    for answered, total, band in (
        (day(2025, 3, 25), "6", "moderate"),
        (day(2025, 10, 5), "8", "good"),
    ):
        score(sari, employment, answered, total, band)
    taxonomy = Taxonomy.objects.create(code="tt-area", name="Elämän alueet", description="-")
    work = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="work", name_fi="Työ", position=1)
    health = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="health", name_fi="Terveys", position=2
    )
    provider = CatalogueOrganization.objects.create(
        source_id="prov-1", name_fi="Tuottaja", kind="public"
    )
    service = Service.objects.create(
        source_id="svc-1", name_fi="Työkykyarvio", organization=provider
    )
    Attribute.objects.create(service=service, taxonomy_term=health)
    Attribute.objects.create(service=service, taxonomy_term=work)
    Referral.objects.create(
        client=sari,
        owner_organisation=employment,
        category="plan",
        case=case,
        service=service,
        receiving_organisation=county,
        reason=FREE_TEXT,
        shared_categories="plan",
        status="completed",
        sent_by=coordinator,
        answer_due_on=day(2025, 4, 24),
        answered_at=at(day(2025, 4, 15)),
        answered_by=nurse,
        completed_at=at(day(2025, 6, 20)),
        result=FREE_TEXT,
        created_at=at(day(2025, 4, 10)),
    )
    record = {"client": sari, "owner_organisation": employment}
    WorkTrialFeedback.objects.create(
        **record,
        category="assessments",
        link=used_link(case, coordinator, "assessments", day(2025, 7, 14)),
        case=case,
        respondent_name="Ohjaaja Olli",
        free_text=FREE_TEXT,
        created_at=at(day(2025, 7, 14)),
        **ratings(5, 3, 4, 4, 5, 4, 5),
    )
    period = CoachingPeriod.objects.create(
        client=sari,
        owner_organisation=employment,
        category="education_work",
        case=case,
        coach=coach,
        kind="ips",
        intensity="intensive",
        status="ended",
        started_on=day(2025, 5, 6),
        ended_on=day(2025, 11, 28),
        ending_reason="competitive_job",
        created_by=coach,
    )
    CoachingEvent.objects.create(
        period=period, effective_on=day(2025, 5, 6), to_status="started", actor=coach
    )
    CoachingEvent.objects.create(
        period=period,
        effective_on=day(2025, 11, 28),
        from_status="started",
        to_status="ended",
        ending_reason="competitive_job",
        note=FREE_TEXT,
        actor=coach,
    )
    placement = Placement.objects.create(
        client=sari,
        owner_organisation=employment,
        category="education_work",
        period=period,
        employer_name="Varasto Oy",
        job_title="Varastotyöntekijä",
        started_on=day(2025, 9, 1),
        hours_per_week=Decimal("25.0"),
        contract_type="permanent",
        competitive=True,
        hourly_wage=Decimal("13.50"),
    )
    PlacementFeedback.objects.create(
        **record,
        category="education_work",
        link=used_link(case, coach, "education_work", day(2025, 10, 9), placement=placement),
        placement=placement,
        respondent_name="Esimies Eero",
        strengths=FREE_TEXT,
        created_at=at(day(2025, 10, 9)),
        **ratings(4, 4, 5, None, 4, 5, 5),
    )

    # Four more clients in Esimerkkilä and one in Pikkukylä, each with an open path.
    for number, (birth, referred, municipality, route) in enumerate(
        (
            (day(2006, 1, 2), day(2025, 6, 3), big, "self"),  # 19 → "-19"
            (day(1960, 2, 1), day(2025, 6, 3), big, "portal"),  # 65 → "65-"
            (day(1995, 6, 4), day(2025, 6, 3), big, "social_health"),  # 29 (birthday after)
            (day(1995, 6, 3), day(2025, 6, 3), big, "employment_services"),  # 30 that day
            (day(1980, 8, 8), day(2025, 8, 1), small, "employment_services"),  # 44
        ),
        start=2,
    ):
        client = make_client(organisation=employment, name=(f"Asiakas{number}", "Testi"))
        add_identity_details(client, birth=birth, municipality=municipality)
        open_case(client, employment, coordinator, referred=referred, route=route)
        data.clients.append(client)

    # Left out: an anonymised client's path, and everything the county owns.
    gone = make_client(organisation=employment, name=("Poistettu", "Henkilö"))
    add_identity_details(gone, birth=day(1970, 1, 1), municipality=big)
    open_case(gone, employment, coordinator, referred=day(2025, 2, 2))
    ClientIdentity.objects.get(client=gone).anonymize()
    data.anonymised = gone
    open_case(sari, county, nurse, referred=day(2025, 5, 1), route="social_health")
    score(sari, county, day(2025, 5, 2), "3", "poor", entered_by=nurse)
    foreign = make_client(organisation=county, name=("Vieras", "Asiakas"))
    open_case(foreign, county, nurse, referred=day(2025, 5, 1), route="social_health")
    data.foreign_client = foreign
    add_survey_answers(employment, county, big, small)
    return data


def add_survey_answers(
    employment: Organisation, county: Organisation, big: Municipality, small: Municipality
) -> None:
    """Client satisfaction in 2025-Q4: five answers for Esimerkkilä and one for Pikkukylä
    (overall 8, 9, 10, 7, 8 and 6; heard yes/no); employer feedback in 2025-Q3: three answers
    (too few: left out); the county's own answers (not the exporter's)."""
    q4 = [day(2025, 10, 1), day(2025, 11, 1), day(2025, 12, 1)]
    for number, (overall, heard, municipality) in enumerate(
        ((8, 1, big), (9, 1, big), (10, 0, big), (7, 1, big), (8, 1, big), (6, 0, small))
    ):
        answer(employment, "client_satisfaction", q4[number % 3], municipality, overall, heard)
    for month in (7, 8, 9):
        answer(employment, "employer_feedback", day(2025, month, 1), big, 4, 1)
    for _ in range(5):
        answer(county, "client_satisfaction", day(2025, 10, 1), big, 5, 0)


def answer(
    organisation: Organisation,
    survey: str,
    month: dt.date,
    municipality: Municipality,
    overall: int,
    heard: int,
) -> None:
    counted = {
        "survey": survey,
        "organisation": organisation,
        "municipality": municipality,
        "month": month,
    }
    row = Answer.objects.create(**counted, version="1", texts=json.dumps({"other": FREE_TEXT}))
    for item, value in (("overall", overall), ("heard", heard)):
        AnswerValue.objects.create(**counted, answer=row, item=item, value=value)


def add_clients(
    employment: Organisation, receiver: Organisation, coordinator: StaffMember, count: int
) -> None:
    """More of everything, for the query count: each with a path, event, score and referral."""
    for number in range(count):
        client = make_client(organisation=employment, name=(f"Lisä{number}", "Testi"))
        case = open_case(client, employment, coordinator, referred=day(2025, 9, 1))
        score(client, employment, day(2025, 9, 2), "5", "moderate")
        Referral.objects.create(
            client=client,
            owner_organisation=employment,
            category="plan",
            case=case,
            receiving_organisation=receiver,
            reason=FREE_TEXT,
            shared_categories="plan",
            sent_by=coordinator,
            answer_due_on=day(2025, 9, 20),
        )
