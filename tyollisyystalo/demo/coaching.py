"""Demo job coaching (issue 14): Klaus's IPS coaching with forms A, B and C, twenty other
coached clients in every state, a modular period with peer coaching, and two fidelity reviews
six months apart.

Everything goes through the same services as the pages, dated in the past. Run after the
service paths (the periods start from referrals on those paths). A second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from tyollisyystalo.cases.models import Case, CaseStatus
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.coaching.models import CoachingPeriod, CoachingStatus, SupportContactKind
from tyollisyystalo.coaching.services import (
    employer_meeting_log,
    form_answer_save,
    period_start,
    period_transition,
    support_contact_add,
)
from tyollisyystalo.coaching_modules.services import (
    ModuleData,
    SessionData,
    assessment_record,
    choice_record,
    module_add,
    peer_coach_add,
    peer_session_record,
)
from tyollisyystalo.consents.models import ConsentMethod
from tyollisyystalo.consents.services import ConsentInput, consent_record
from tyollisyystalo.employers.demo import TEAM_NAME
from tyollisyystalo.employers.models import CoachingTeam, Employer
from tyollisyystalo.fidelity.demo import seed_fidelity_reviews
from tyollisyystalo.referrals.services import referral_answer, referral_send
from tyollisyystalo.staff.models import StaffMember

COACHING_SERVICES = {"ville": "svc-092", "kalle": "svc-101"}
# The twenty other coached clients: four in each state of a period.
STATES = [
    CoachingStatus.STARTED,
    CoachingStatus.JOB_SEARCH,
    CoachingStatus.EMPLOYED,
    CoachingStatus.FOLLOW_ALONG,
    CoachingStatus.ENDED,
]
ENDINGS = ["competitive_job", "education", "no_contact", "other_service"]
JOBS = [
    ("Varastotyöntekijä", 30, "permanent"),
    ("Kahvilatyöntekijä", 20, "fixed_term"),
    ("Kiinteistöhuoltaja", 37.5, "permanent"),
    ("Siivooja", 25, "fixed_term"),
    ("Asentaja", 37.5, "apprenticeship"),
    ("Kokki", 30, "permanent"),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _staff(username: str) -> StaffMember:
    return StaffMember.objects.select_related("organisation").get(user__username=username)


def seed_coaching(*, klaus_case: Case | None, seed: int = 2026) -> Counter[str]:
    counts: Counter[str] = Counter()
    team = CoachingTeam.objects.filter(name=TEAM_NAME).first()
    if team is None or CoachingPeriod.objects.exists():
        return counts
    rng = random.Random(seed)  # noqa: S311 - demo data
    if klaus_case is not None:
        _klaus(klaus_case, team)
        counts["klaus_coaching"] = 1
    counts.update(_others(team, rng, exclude=klaus_case.client_id if klaus_case else None))
    counts["fidelity_reviews"] = seed_fidelity_reviews()
    return counts


def _referred_period(
    case: Case,
    coordinator: StaffMember,
    coach: StaffMember,
    sent: dt.date,
    kind: str = "ips",
    *,
    dated: bool = True,
) -> CoachingPeriod:
    """With the client's consent, the coordinator refers them to the coach's service; the
    coach accepts and starts a period."""
    service = Service.objects.get(source_id=COACHING_SERVICES[coach.user.username])
    consent_record(
        actor=coordinator,
        client_id=case.client_id,
        data=ConsentInput(
            disclosing_organisation_ids=frozenset({case.owner_organisation_id}),
            receiving_organisation_ids=frozenset({coach.organisation_id}),
            categories=frozenset({C.IDENTITY, C.EDUCATION_WORK}),
            purpose="Työhönvalmennus",
            method=ConsentMethod.WRITTEN_FORM,
            valid_from=sent,
            valid_until=sent + dt.timedelta(days=730),
        ),
        at=_at(sent, 9) if dated else None,
    )
    referral = referral_send(
        actor=coordinator,
        case_id=case.id,
        reason="Tavoitteena palkkatyö avoimilla työmarkkinoilla. Asiakas toivoo työhönvalmennusta.",
        categories=[C.EDUCATION_WORK],
        service=service,
        at=_at(sent, 10) if dated else None,
    )
    referral_answer(
        actor=coach, referral_id=referral.id, accept=True, at=_at(sent, 14) if dated else None
    )
    return period_start(
        actor=coach,
        referral_id=referral.id,
        kind=kind,
        intensity="intensive" if kind == "ips" else "light",
        started_on=sent + dt.timedelta(days=2),
        at=_at(sent + dt.timedelta(days=2)) if dated else None,
    )


def _klaus(case: Case, team: CoachingTeam) -> None:
    aino, ville = _staff("aino"), _staff("ville")
    today = timezone.localdate()
    start = today - dt.timedelta(days=80)  # after the work trial, before the job
    period = _referred_period(case, aino, ville, start)

    def day(offset: int) -> dt.date:
        return period.started_on + dt.timedelta(days=offset)

    form_answer_save(
        actor=ville,
        period_id=period.id,
        form="A",
        answers={
            "education": "Talonrakentajan ammattitutkinto (2008).",
            "work_history": "Rakennusapulainen ja remonttimies 2008–2022; työkokeilu remontissa.",
            "interests": "Remonttityöt, puutyöt, asiakastyö pienissä kohteissa.",
            "preferred_jobs": "Remonttityöntekijä, kiinteistöhuolto.",
            "strengths": "Ammattitaito, täsmällisyys, hyvä asiakaspalvelija.",
            "support_needs": "Ei toistuvia yli 15 kg nostoja; kaksi lyhyttä taukoa päivässä.",
            "disclosure": "coaching_only",
            "disclosure_details": "Työnantajalle voi kertoa selkäoireista ja nostorajoituksesta.",
            "benefits_counselling": "true",
            "own_goal": "Palkkatyö remonttiyrityksessä vuoden loppuun mennessä.",
        },
        at=_at(day(2)),
    )
    period_transition(
        actor=ville, period_id=period.id, to_status="job_search", on=day(3), at=_at(day(3))
    )
    employer = (
        Employer.objects.filter(team=team, name__startswith="Rakennus").order_by("pk").first()
        or Employer.objects.filter(team=team).order_by("pk").first()
    )
    assert employer is not None
    employer_meeting_log(
        actor=ville,
        period_id=period.id,
        employer_id=employer.pk,
        answers={
            "met_on": day(9).isoformat(),
            "purpose": "about_client",
            "face_to_face": "true",
            "notes": "Esittelin Klausin osaamisen. Yritys tarvitsee remonttimiehen keväästä.",
            "employer_needs": "Pieniä kylpyhuone- ja keittiöremontteja; ajokortti.",
            "next_step": "Työhaastattelu",
            "next_step_on": day(20).isoformat(),
        },
        about_client=True,
        at=_at(day(9)),
    )
    support_contact_add(
        actor=ville,
        period_id=period.id,
        contacted_on=day(21),
        kind=SupportContactKind.CLIENT_MEETING,
        note="Työhaastattelu meni hyvin; palkkatukihakemus vireille.",
        at=_at(day(21)),
    )
    form_answer_save(
        actor=ville,
        period_id=period.id,
        form="C",
        employer_id=employer.pk,
        answers={
            "job_title": "Remonttityöntekijä",
            "start_date": day(40).isoformat(),
            "hours_per_week": "30",
            "contract_type": "fixed_term",
            "competitive": "true",
            "hourly_wage": "14.20",
            "pay_subsidy": "true",
            "other_support": "Palkkatuki 70 %, työolosuhteiden järjestelytuki nostoapuvälineisiin.",
            "benefits_info_given": "true",
        },
        at=_at(day(40)),
    )
    period_transition(
        actor=ville, period_id=period.id, to_status="follow_along", on=day(55), at=_at(day(55))
    )
    for offset in (47, 62, 76):
        if day(offset) <= today:
            support_contact_add(
                actor=ville,
                period_id=period.id,
                contacted_on=day(offset),
                kind=SupportContactKind.FOLLOW_ALONG,
                note="Työ sujuu; selkä kestää, tauot toteutuvat.",
                at=_at(day(offset)),
            )


def _others(team: CoachingTeam, rng: random.Random, *, exclude: uuid.UUID | None) -> Counter[str]:
    """Twenty clients on open paths coached by ville or kalle, four in each state."""
    counts: Counter[str] = Counter()
    coaches = [_staff("ville"), _staff("kalle")]
    employers = list(Employer.objects.filter(team=team, merged_into__isnull=True).order_by("pk"))
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(status__in=[CaseStatus.ACTIVE, CaseStatus.INTAKE])
        .exclude(client_id__in=[exclude] if exclude else [])
        .select_related("coordinator")
        .order_by("status", "created_at", "pk")[:20]
    )
    for index, case in enumerate(cases):
        coach = coaches[index % 2]
        state = STATES[index % len(STATES)]
        sent = today - dt.timedelta(days=rng.randrange(60, 560))
        kind = "modular" if index == 1 else "ips"
        period = _referred_period(case, case.coordinator, coach, sent, kind=kind, dated=False)
        counts[f"period_{state}"] += 1
        if kind == "modular":
            _modules(period.id, coach, today)
        first = period.started_on + dt.timedelta(days=rng.randrange(5, 40))
        if state != CoachingStatus.STARTED:
            period_transition(
                actor=coach, period_id=period.id, to_status="job_search", on=first, at=None
            )
            employer = employers[(index * 7) % len(employers)]
            met = first + dt.timedelta(days=rng.randrange(3, 35))
            employer_meeting_log(
                actor=coach,
                period_id=period.id,
                employer_id=employer.pk,
                answers={
                    "met_on": met.isoformat(),
                    "purpose": "about_client",
                    "face_to_face": "true" if index % 3 else "false",
                    "notes": "Kerroin asiakkaan osaamisesta ja toiveista.",
                    "next_step": "Soitto viikon päästä",
                    "next_step_on": (met + dt.timedelta(days=7)).isoformat(),
                },
                about_client=True,
                at=None,
            )
        if state in (CoachingStatus.EMPLOYED, CoachingStatus.FOLLOW_ALONG, CoachingStatus.ENDED):
            title, hours, contract = JOBS[index % len(JOBS)]
            job_start = min(today, first + dt.timedelta(days=rng.randrange(40, 50)))
            form_answer_save(
                actor=coach,
                period_id=period.id,
                form="C",
                employer_id=employers[(index * 7) % len(employers)].pk,
                answers={
                    "job_title": title,
                    "start_date": job_start.isoformat(),
                    "hours_per_week": str(hours),
                    "contract_type": contract,
                    "competitive": "true" if index % 4 else "false",
                    "hourly_wage": "" if index % 3 == 0 else "13.50",
                    "pay_subsidy": "true" if index % 2 else "false",
                    "benefits_info_given": "true",
                },
                at=None,
            )
            if state == CoachingStatus.FOLLOW_ALONG:
                support_on = min(today, job_start + dt.timedelta(days=14))
                period_transition(
                    actor=coach,
                    period_id=period.id,
                    to_status="follow_along",
                    on=support_on,
                    at=None,
                )
                support_contact_add(
                    actor=coach,
                    period_id=period.id,
                    contacted_on=support_on,
                    kind=SupportContactKind.FOLLOW_ALONG,
                    note="Työ on alkanut hyvin.",
                    at=None,
                )
        if state == CoachingStatus.ENDED:
            ended = today - dt.timedelta(days=rng.randrange(1, 10))
            period_transition(
                actor=coach,
                period_id=period.id,
                to_status="ended",
                on=ended,
                ending_reason=ENDINGS[(index // len(STATES)) % len(ENDINGS)],
                at=None,
            )
    return counts


def _modules(period_id: uuid.UUID, coach: StaffMember, today: dt.date) -> None:
    """A modular period (seed 000): the first module assessed by all three parties and the
    purchaser's choice of the next one; a peer coach's sessions for the payroll export."""
    start = today - dt.timedelta(days=50)
    first = module_add(
        staff=coach,
        period_id=period_id,
        data=ModuleData(
            title="Arjen rytmi ja työelämätaidot",
            provider=coach.organisation,
            planned_start=start,
            planned_end=start + dt.timedelta(days=28),
        ),
    )
    done = start + dt.timedelta(days=29)
    for party, score, text in (
        ("client", 4, "Sain rytmiä arkeen."),
        ("provider", 4, "Osallistui aktiivisesti."),
        ("purchaser", 3, "Tavoitteet osin saavutettu."),
    ):
        assessment_record(
            staff=coach, module_id=first.id, party=party, score=score, text=text, assessed_on=done
        )
    choice_record(
        staff=coach, module_id=first.id, next_step="next_module", missing_reason="", chosen_on=done
    )
    module_add(
        staff=coach,
        period_id=period_id,
        data=ModuleData(
            title="Työnhaku ja työpaikan löytäminen",
            provider=coach.organisation,
            planned_start=done + dt.timedelta(days=1),
            planned_end=done + dt.timedelta(days=35),
        ),
    )
    peer = peer_coach_add(staff=coach, organisation=coach.organisation, name="Pekka Vertanen")
    for offset in (8, 15, 22, 36):
        peer_session_record(
            staff=coach,
            peer_coach=peer,
            data=SessionData(
                held_on=start + dt.timedelta(days=offset),
                duration_minutes=90,
                fee=Decimal("45.00"),
                period_id=period_id,
            ),
        )
