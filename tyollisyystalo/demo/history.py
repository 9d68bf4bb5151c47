"""Eighteen months of history for knowledge-based management (issue 15 part 7).

A few hundred synthetic clients across the demo region's employment services and the wellbeing
county, each with a service path opened and (mostly) closed over the last eighteen months: entry
routes, the path's events, the review deadlines (most held on time, some late, a few left
overdue), referrals (accepted, completed with a result, declined, still waiting), work trials
with the host's answer, work-ability scores at the start and later, the self-assessment and the
support-need checklist, outcomes (job or study about 28 %) and some job coaching periods with
placements. Survey answers for the last four quarters come from ``demo.surveys``.

Bulk inserts that skip the services (no access-log rows, no notifications): the same builder
makes the benchmark's 100,000 clients (``bench/management.py``), so what the demo shows and
what the benchmark times are the same kind of data. Every date is derived from one random
stream per client, so a build is reproducible; the demo runs it once (its coordinators having
paths is the mark that it ran).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from faker import Faker

from tyollisyystalo.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseOutcome,
    CaseStatus,
    EventKind,
)
from tyollisyystalo.cases.schedules import review_schedule
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.clients.hetu import format_hetu, parse_hetu
from tyollisyystalo.clients.models import (
    Client,
    ClientIdentity,
    ClientRelationship,
    Sex,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.coaching.models import (
    CoachingKind,
    CoachingPeriod,
    CoachingStatus,
    ContractType,
    EndingReason,
    Intensity,
    Placement,
)
from tyollisyystalo.demo.latent import ROUTES, Drawn, latent_draw, latent_items_areas
from tyollisyystalo.employers.models import CoachingTeam, Employer
from tyollisyystalo.instruments.models import InstrumentResponse, Respondent
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.instruments.scoring import score
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.rules.calendar import add_months
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys.definitions import survey_current
from tyollisyystalo.surveys.models import (
    CLIENT_SATISFACTION,
    COOPERATION,
    EMPLOYER_FEEDBACK,
    WORK_ABILITY_CHANGE,
    Answer,
    AnswerValue,
)
from tyollisyystalo.worktrials.models import FeedbackLink, WorkTrialFeedback

MONTHS = 18
BATCH = 2000
CHUNK = 2000  # clients built and inserted at a time (the benchmark's memory stays flat)

# How paths end: job or study about 28 % of closed paths (seed 002's latest result).
OUTCOME_WEIGHTS = {  # before early leavers (declined, no contact, moved away in intake)
    CaseOutcome.JOB_OR_STUDY: 36,
    CaseOutcome.INDEPENDENT: 15,
    CaseOutcome.MOVED_TO_TYP: 9,
    CaseOutcome.DECLINED: 8,
    CaseOutcome.NO_CONTACT: 7,
    CaseOutcome.MOVED_AWAY: 6,
    CaseOutcome.PENSION: 4,
    CaseOutcome.OTHER: 15,
}
EARLY_OUTCOMES = (CaseOutcome.DECLINED, CaseOutcome.NO_CONTACT, CaseOutcome.MOVED_AWAY)
REVIEW_SUMMARY = "Tavoitteet käytiin läpi. Jatketaan sovitusti."
REFERRAL_REASON = "Tuen tarve todettu yhteisessä arviossa."
REFERRAL_RESULT = "Palvelu toteutui. Yhteenveto lähetetty vastuuhenkilölle."
DECLINE_REASON = "Palvelu ei sovi asiakkaan tilanteeseen; ehdotettu muuta palvelua."
TRIAL_HOSTS = [
    "Esimerkkilän Kauppa Oy",
    "Pohjalan Puutyö Oy",
    "Järvikylän Kiinteistöhuolto Oy",
    "Kaupungin varikko",
    "Kierrätyskeskus Kaari",
]
JOBS = [
    ("Varastotyöntekijä", Decimal(30), ContractType.PERMANENT),
    ("Kahvilatyöntekijä", Decimal(20), ContractType.FIXED_TERM),
    ("Kiinteistöhuoltaja", Decimal("37.5"), ContractType.PERMANENT),
    ("Siivooja", Decimal(25), ContractType.FIXED_TERM),
    ("Asentaja", Decimal("37.5"), ContractType.APPRENTICESHIP),
]
SELF_ASSESSMENT_AREAS = (
    "terveys",
    "mieli",
    "tyokyky",
    "osaaminen",
    "tyo",
    "talous",
    "asuminen",
    "arki",
    "osallisuus",
)
# Who keeps the demo history: (organisation code, clients, entry-route weights
# employment_services / social_health / self / portal, the municipality codes it serves).
DEMO_UNITS = [
    ("org-esimerkkila-tyollisyys", 240, (50, 20, 15, 15)),
    ("org-pohjala-tyollisyys", 130, (50, 20, 15, 15)),
    ("org-jarvikyla-tyollisyys", 110, (50, 20, 15, 15)),
    ("org-hva", 420, (15, 60, 15, 10)),  # enough for its segment analysis (issue 19)
]
HISTORY_STAFF = "historia"  # usernames of the history's own coordinators and coaches
COACH_ORGANISATIONS = ("org-askelma", "org-klubitalo")


@dataclass(frozen=True)
class Keeper:
    """An organisation that keeps paths: its coordinators and the municipalities it serves."""

    organisation: Organisation
    coordinators: Sequence[StaffMember]
    municipalities: Sequence[Municipality]
    route_weights: Sequence[int] = (50, 20, 15, 15)


@dataclass(frozen=True)
class Coaching:
    """Where coached clients are referred: the coaches (each of a coaching organisation), their
    team, the team's employers and the coaching service per coach organisation."""

    coaches: Sequence[StaffMember]
    team: CoachingTeam | None = None
    employers: Sequence[Employer] = ()
    services: dict[int, Service] = field(default_factory=dict)


@dataclass
class _Rows:
    """Rows of one chunk, inserted together."""

    clients: list[Client] = field(default_factory=list)
    identities: list[ClientIdentity] = field(default_factory=list)
    relationships: list[ClientRelationship] = field(default_factory=list)
    memberships: list[TeamMembership] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    deadlines: list[CaseDeadline] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    links: list[FeedbackLink] = field(default_factory=list)
    feedback: list[WorkTrialFeedback] = field(default_factory=list)
    responses: list[InstrumentResponse] = field(default_factory=list)
    facts: list[ClientRuleFacts] = field(default_factory=list)
    periods: list[CoachingPeriod] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)

    def insert(self) -> Counter[str]:
        order: list[tuple[str, Sequence[models.Model]]] = [
            ("clients", self.clients),
            ("identities", self.identities),
            ("relationships", self.relationships),
            ("paths", self.cases),
            ("memberships", self.memberships),
            ("events", self.events),
            ("deadlines", self.deadlines),
            ("referrals", self.referrals),
            ("work_trials", self.links),
            ("work_trial_feedback", self.feedback),
            ("instrument_answers", self.responses),
            ("rule_facts", self.facts),
            ("coaching_periods", self.periods),
            ("placements", self.placements),
        ]
        counts: Counter[str] = Counter()
        for name, rows in order:
            if rows:
                type(rows[0])._default_manager.bulk_create(rows, batch_size=BATCH)
            counts[name] += len(rows)
        return counts


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _days(rng: random.Random, low: int, high: int, mode: int) -> int:
    return round(rng.triangular(low, high, mode))


@dataclass
class _Path:
    """The client whose path is being built, with everything dated along it."""

    client: Client
    case: Case
    coordinator: StaffMember
    rng: random.Random
    rows: _Rows
    drawn: Drawn
    last_score: int = -1  # the latest work-ability score (-1: not asked)

    def event(self, kind: str, on: dt.date, **fields: str) -> None:
        self.rows.events.append(
            CaseEvent(
                case=self.case,
                kind=kind,
                at=_at(on, 11),
                effective_on=on,
                actor=self.coordinator,
                **fields,
            )
        )

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange(0, (last - first).days + 1))


class _Scores:
    """Instrument results worked out once per distinct set of answers (scoring is pure)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, tuple[tuple[str, int], ...]], tuple[str, str, str, str]] = {}

    def row(self, key: str, answers: dict[str, int], path: _Path, on: dt.date) -> None:
        cache_key = (key, tuple(sorted(answers.items())))
        if cache_key not in self._cache:
            instrument = instrument_get(key)
            result = score(instrument, {k: Decimal(v) for k, v in answers.items()})
            self._cache[cache_key] = (
                instrument.version,
                instrument.category,
                json.dumps({k: str(v) for k, v in answers.items()}, sort_keys=True),
                json.dumps(result.as_json(), sort_keys=True),
            )
        version, category, answers_json, result_json = self._cache[cache_key]
        client_answers = key == "self_assessment"
        path.rows.responses.append(
            InstrumentResponse(
                client=path.client,
                owner_organisation=path.case.owner_organisation,
                category=category,
                created_at=_at(on, 13),
                instrument_key=key,
                instrument_version=version,
                answered_on=on,
                respondent=Respondent.CLIENT if client_answers else Respondent.PROFESSIONAL,
                entered_by=None if client_answers else path.coordinator,
                answers_json=answers_json,
                result_json=result_json,
            )
        )


@dataclass
class _Builder:
    today: dt.date
    seed: int
    coaching: Coaching
    services: Sequence[Service]
    receivers: Sequence[Organisation]
    hetu: Callable[[random.Random, dt.date], str] | None
    fake: Faker
    scores: _Scores = field(default_factory=_Scores)
    latent: Callable[[Client, str], None] | None = None
    items: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.items, self.areas = latent_items_areas()

    def client(self, index: int, keeper: Keeper, rows: _Rows) -> None:
        rng = random.Random(f"{self.seed}:history:{index}")  # noqa: S311 - demo data
        organisation = keeper.organisation
        # Most clients live in a municipality the keeper serves; a few elsewhere or not known.
        municipality = rng.choice(list(keeper.municipalities)) if rng.random() < 0.95 else None
        # The client's kind (demo.latent): answers, facts, language, route and age follow it.
        drawn = latent_draw(
            random.Random(f"{self.seed}:latent:{index}"),  # noqa: S311 - demo data
            self.items,
            self.areas,
        )
        birth = self.today - dt.timedelta(days=drawn.age * 365 + rng.randrange(0, 365))
        code = self.hetu(rng, birth) if self.hetu else ""
        sex: str
        if code:
            parsed = parse_hetu(code)
            birth, sex = parsed.birth_date, parsed.sex
        else:
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
        first = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        last = self.fake.last_name()
        referred = self.today - dt.timedelta(days=rng.randrange(3, MONTHS * 30 + 60))
        client = Client(registered_by=organisation, created_at=_at(referred, 9))
        rows.clients.append(client)
        rows.identities.append(
            ClientIdentity(
                client=client,
                hetu=code,
                hetu_hash=hetu_lookup_hash(code) if code else None,
                hetu_is_temporary=bool(code),
                birth_date=birth,
                sex=sex,
                first_names=first,
                last_name=last,
                search_name=ClientIdentity.make_search_name(first, last),
                municipality=municipality,
                language=drawn.language,
            )
        )
        rows.relationships.append(
            ClientRelationship(client=client, organisation=organisation, started_on=referred)
        )
        coordinator = keeper.coordinators[index % len(keeper.coordinators)]
        case = Case(
            client=client,
            owner_organisation=organisation,
            category=C.PLAN,
            created_at=_at(referred, 9),
            entry_route=drawn.route
            if rng.random() < 0.5
            else rng.choices(ROUTES, keeper.route_weights)[0],
            coordinator=coordinator,
            status=CaseStatus.REFERRED,
            referred_on=referred,
        )
        rows.cases.append(case)
        path = _Path(client, case, coordinator, rng, rows, drawn)
        if self.latent is not None:
            self.latent(client, drawn.latent.code)
        self.member(path, coordinator, "Vastuuhenkilö", case.created_at, coordinator=True)
        self.path(path)

    def member(
        self, path: _Path, person: StaffMember, role: str, at: dt.datetime, *, coordinator: bool
    ) -> None:
        path.rows.memberships.append(
            TeamMembership(
                client=path.client,
                staff_member=person,
                case=path.case,
                role_in_case=role,
                is_coordinator=coordinator,
                invited_at=at,
                started_at=at,
                added_by=path.coordinator,
            )
        )

    def path(self, path: _Path) -> None:
        """Referred, then (mostly) a first meeting, active work and, for most, an ending."""
        today, rng, case = self.today, path.rng, path.case
        referred = case.referred_on
        path.event(EventKind.OPENED, referred, to_status=CaseStatus.REFERRED)
        started = referred + dt.timedelta(days=_days(rng, 1, 45, 9))
        if started > today:
            return
        if rng.random() < 0.03:  # never reached: closed without a first meeting
            closed = min(today, referred + dt.timedelta(days=_days(rng, 10, 40, 20)))
            self.close(path, closed, CaseOutcome.NO_CONTACT)
            return
        case.started_on, case.status = started, CaseStatus.INTAKE
        path.event(
            EventKind.STATUS, started, from_status=CaseStatus.REFERRED, to_status=CaseStatus.INTAKE
        )
        deadlines = [
            CaseDeadline(case=case, kind=due.kind, months=due.months, due_on=due.due_on)
            for due in review_schedule(
                started,
                interim_months=settings.CASE_INTERIM_REVIEW_MONTHS,
                final_months=settings.CASE_FINAL_REVIEW_MONTHS,
            )
        ]
        path.rows.deadlines.extend(deadlines)
        self.assessments(path, started)
        active = started + dt.timedelta(days=_days(rng, 3, 40, 12))
        outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
        closing: dt.date | None
        if rng.random() < 0.07:  # left during intake
            outcome = rng.choice(EARLY_OUTCOMES)
            closing = started + dt.timedelta(days=_days(rng, 5, 60, 20))
        else:
            closing = active + dt.timedelta(days=_days(rng, 40, 500, 210))
        if closing > today:
            closing = None
        if active <= today and (closing is None or active < closing):
            case.status = CaseStatus.ACTIVE
            path.event(
                EventKind.STATUS, active, from_status=CaseStatus.INTAKE, to_status=CaseStatus.ACTIVE
            )
            self.services_used(path, active, closing)
        self.reviews(path, deadlines, closing)
        if closing is not None:
            self.close(path, closing, outcome)

    def reviews(self, path: _Path, deadlines: list[CaseDeadline], closing: dt.date | None) -> None:
        """Most held by the due date, some late, a few left undone; those still open when the
        path closes are cancelled then."""
        rng, last = path.rng, min(self.today, closing or self.today)
        for deadline in deadlines:
            if closing is not None and deadline.due_on >= closing:
                deadline.cancelled_at = _at(closing, 11)
                continue
            if deadline.due_on > self.today:
                continue
            draw = rng.random()
            held: dt.date | None = None
            if draw < 0.82:
                held = deadline.due_on - dt.timedelta(days=rng.randrange(0, 8))
            elif draw < 0.94:
                held = deadline.due_on + dt.timedelta(days=rng.randrange(1, 30))
            if held is not None and held <= last:
                deadline.done_on, deadline.done_by = held, path.coordinator
                deadline.summary = REVIEW_SUMMARY
                path.event(EventKind.REVIEW, held, reason=str(deadline.get_kind_display()))
                if deadline.months in (6, 12) and rng.random() < 0.6:
                    self.work_ability(path, held)
            elif closing is not None:
                deadline.cancelled_at = _at(closing, 11)

    def close(self, path: _Path, on: dt.date, outcome: str) -> None:
        case = path.case
        path.event(
            EventKind.STATUS,
            on,
            from_status=case.status,
            to_status=CaseStatus.CLOSED,
            outcome=outcome,
        )
        case.status, case.closed_on, case.outcome, case.outcome_on = "closed", on, outcome, on

    def assessments(self, path: _Path, on: dt.date) -> None:
        """At the first meeting: the self-assessment, the checklist, a work-ability score and the
        rule facts, as the client's kind has them (demo.latent; some not asked)."""
        drawn = path.drawn
        if drawn.areas is not None:
            self.scores.row("self_assessment", drawn.areas, path, on)
        if drawn.checklist is not None:
            self.scores.row("support_need_checklist", drawn.checklist, path, on)
        path.last_score = -1 if drawn.work_ability is None else drawn.work_ability
        if path.last_score >= 0:
            self.scores.row("work_ability_score", {"work_ability": path.last_score}, path, on)
        if drawn.facts is not None:
            path.rows.facts.append(
                ClientRuleFacts(
                    client=path.client,
                    owner_organisation=path.case.owner_organisation,
                    category=C.EMPLOYMENT_SERVICES,
                    created_at=_at(on, 14),
                    author=path.coordinator,
                    facts_json=json.dumps(drawn.facts, sort_keys=True),
                )
            )

    def work_ability(self, path: _Path, on: dt.date) -> None:
        if path.last_score < 0:
            return
        change = path.rng.choices([-2, -1, 0, 1, 2, 3], [5, 12, 25, 28, 20, 10])[0]
        path.last_score = max(0, min(10, path.last_score + change))
        self.scores.row("work_ability_score", {"work_ability": path.last_score}, path, on)

    def services_used(self, path: _Path, active: dt.date, closing: dt.date | None) -> None:
        """Referrals, a work trial and job coaching between the start of active work and the
        closing (or today, for a path still open)."""
        rng, last = path.rng, closing or self.today
        if last <= active:
            return
        for _n in range(rng.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]):
            self.referral(path, path.day_between(active, last), still_open=closing is None)
        if rng.random() < 0.18:
            self.work_trial(path, path.day_between(active, last))
        if self.coaching.coaches and rng.random() < 0.25:
            self.coached(path, path.day_between(active, last), still_open=closing is None)

    def referral(
        self,
        path: _Path,
        sent: dt.date,
        *,
        still_open: bool,
        service: Service | None = None,
        receiver: Organisation | None = None,
        status: str = "",
    ) -> Referral:
        today, rng, case = self.today, path.rng, path.case
        if service is None and receiver is None and self.services:
            service = rng.choice(list(self.services))
        if receiver is None:
            provider = _provider(service) if service is not None else None
            receiver = provider or rng.choice(list(self.receivers))
        age = (today - sent).days
        if not status:
            draw = rng.random()
            if age < 12 and still_open:
                status = ReferralStatus.SENT
            elif draw < 0.62:
                completed = age > 40 or not still_open
                status = ReferralStatus.COMPLETED if completed else ReferralStatus.ACCEPTED
            elif draw < 0.72:
                status = ReferralStatus.ACCEPTED
            elif draw < 0.84:
                status = ReferralStatus.DECLINED
            elif draw < 0.9:
                status = ReferralStatus.CANCELLED
            else:
                status = ReferralStatus.SENT if still_open else ReferralStatus.COMPLETED
        answered = min(today, sent + dt.timedelta(days=_days(rng, 1, 20, 5)))
        referral = Referral(
            client=path.client,
            owner_organisation=case.owner_organisation,
            category=C.PLAN,
            created_at=_at(sent, 10),
            case=case,
            service=service,
            receiving_organisation=receiver,
            reason=REFERRAL_REASON,
            shared_categories=C.EDUCATION_WORK,
            status=status,
            sent_by=path.coordinator,
            answer_due_on=sent + dt.timedelta(days=14),
        )
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED, ReferralStatus.DECLINED):
            referral.answered_at = _at(answered, 14)
        if status == ReferralStatus.DECLINED:
            referral.decline_reason = DECLINE_REASON
        if status == ReferralStatus.COMPLETED:
            done = min(today, answered + dt.timedelta(days=_days(rng, 5, 90, 30)))
            referral.completed_at = _at(done, 15)
            referral.result = REFERRAL_RESULT
        path.rows.referrals.append(referral)
        return referral

    def work_trial(self, path: _Path, on: dt.date) -> None:
        """The host's feedback link; most hosts answered once the trial was over."""
        rng, case = path.rng, path.case
        created = _at(on, 12)
        link = FeedbackLink(
            case=case,
            client=path.client,
            owner_organisation=case.owner_organisation,
            category=C.PLAN,
            token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            trial_label=f"Työkokeilu {on:%m/%Y}",
            host_name=rng.choice(TRIAL_HOSTS),
            created_by=path.coordinator,
            created_at=created,
            expires_at=created + dt.timedelta(days=60),
        )
        path.rows.links.append(link)
        answered = on + dt.timedelta(days=_days(rng, 20, 55, 30))
        if answered > self.today or rng.random() >= 0.8:
            return
        link.used_at = _at(answered, 12)
        rating = _days(rng, 2, 5, 4)
        path.rows.feedback.append(
            WorkTrialFeedback(
                client=path.client,
                owner_organisation=case.owner_organisation,
                category=C.ASSESSMENTS,
                created_at=link.used_at,
                link=link,
                case=case,
                respondent_name="Työpaikkaohjaaja",
                attendance=rating,
                pace=max(1, rating - rng.randrange(0, 2)),
                quality=rating,
                learning=min(5, rating + rng.randrange(0, 2)),
                instructions=rating,
                social=rating,
                safety=rating,
            )
        )

    def coached(self, path: _Path, sent: dt.date, *, still_open: bool) -> None:
        """A referral to a coach's service, accepted, and an IPS period; most find a job."""
        rng, coaching = path.rng, self.coaching
        coach = rng.choice(list(coaching.coaches))
        started = sent + dt.timedelta(days=_days(rng, 3, 20, 7))
        if started > self.today:
            return
        referral = self.referral(
            path,
            sent,
            still_open=still_open,
            service=coaching.services.get(coach.organisation_id),
            receiver=coach.organisation,
            status=ReferralStatus.ACCEPTED,
        )
        referral.answered_at = _at(started - dt.timedelta(days=1), 14)
        period = CoachingPeriod(
            client=path.client,
            owner_organisation=coach.organisation,
            category=C.EDUCATION_WORK,
            created_at=_at(started, 9),
            case=path.case,
            referral=referral,
            team=coaching.team,
            coach=coach,
            kind=CoachingKind.IPS,
            intensity=rng.choice([Intensity.LIGHT, Intensity.INTENSIVE]),
            status=CoachingStatus.JOB_SEARCH,
            started_on=started,
            created_by=coach,
        )
        path.rows.periods.append(period)
        self.member(path, coach, "Työhönvalmentaja", period.created_at, coordinator=False)
        ends = started + dt.timedelta(days=_days(rng, 60, 400, 180))
        job_on = started + dt.timedelta(days=_days(rng, 20, 200, 70))
        placed = rng.random() < 0.6 and job_on <= self.today
        if placed:
            self.placement(path, period, job_on)
        if ends <= self.today:
            period.status = CoachingStatus.ENDED
            period.ended_on = max(ends, job_on) if placed else ends
            period.ending_reason = (
                EndingReason.COMPETITIVE_JOB
                if placed
                else rng.choice(
                    [EndingReason.OTHER_SERVICE, EndingReason.NO_CONTACT, EndingReason.DECLINED]
                )
            )
        elif placed:
            period.status = rng.choice([CoachingStatus.EMPLOYED, CoachingStatus.FOLLOW_ALONG])

    def placement(self, path: _Path, period: CoachingPeriod, on: dt.date) -> None:
        rng, employers = path.rng, self.coaching.employers
        title, hours, contract = rng.choice(JOBS)
        employer = rng.choice(list(employers)) if employers else None
        ends = on + dt.timedelta(days=_days(rng, 30, 400, 200))
        path.rows.placements.append(
            Placement(
                client=path.client,
                owner_organisation=period.owner_organisation,
                category=C.EDUCATION_WORK,
                created_at=_at(on, 12),
                period=period,
                employer=employer,
                employer_name=employer.name if employer else rng.choice(TRIAL_HOSTS),
                job_title=title,
                started_on=on,
                ended_on=ends if ends <= self.today else None,
                hours_per_week=hours,
                contract_type=contract,
                competitive=rng.random() < 0.85,
                pay_subsidy=rng.random() < 0.3,
            )
        )


def _provider(service: Service) -> Organisation | None:
    """The network organisation that provides a catalogue service (None: outside the network)."""
    return service.organization.network_organisation


def history_build(
    keepers: Sequence[tuple[Keeper, int]],
    *,
    coaching: Coaching,
    today: dt.date | None = None,
    seed: int = 2026,
    start: int = 0,
    services: Sequence[Service] = (),
    receivers: Sequence[Organisation] = (),
    hetu: Callable[[random.Random, dt.date], str] | None = None,
    progress: Callable[[int], None] | None = None,
    latent: Callable[[Client, str], None] | None = None,
) -> Counter[str]:
    """Build ``count`` clients with their history for each keeper, in chunks of ``CHUNK``.

    ``start`` numbers the clients (each has its own random stream), so a larger build can
    continue a smaller one. ``latent`` hears each client's kind (demo.latent), for measuring
    how well an analysis finds them. Returns the rows inserted per kind.
    """
    fake = Faker("fi_FI")
    fake.seed_instance(f"{seed}:history:{start}")
    builder = _Builder(
        today=today or timezone.localdate(),
        seed=seed,
        coaching=coaching,
        services=services,
        receivers=receivers or [k.organisation for k, _n in keepers],
        hetu=hetu,
        fake=fake,
        latent=latent,
    )
    plan = [keeper for keeper, count in keepers for _n in range(count)]
    counts: Counter[str] = Counter()
    for first in range(0, len(plan), CHUNK):
        rows = _Rows()
        for offset, keeper in enumerate(plan[first : first + CHUNK]):
            builder.client(start + first + offset, keeper, rows)
        with transaction.atomic():
            counts.update(rows.insert())
        if progress is not None:
            progress(first + len(rows.clients))
    return counts


def _history_staff(organisation: Organisation, role: Role, n: int) -> StaffMember:
    """A non-login staff member of the history (past coordinators and coaches)."""
    username = f"{HISTORY_STAFF}-{organisation.code.removeprefix('org-')}-{n}"
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Historia", "last_name": f"{n}"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    staff, _created = StaffMember.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return staff


def demo_keepers() -> list[tuple[Keeper, int]]:
    organisations = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in=[code for code, _n, _w in DEMO_UNITS]
        ).prefetch_related("municipalities")
    }
    keepers = []
    for code, count, weights in DEMO_UNITS:
        organisation = organisations.get(code)
        if organisation is None:
            continue
        coordinators = [_history_staff(organisation, Role.COORDINATOR, n) for n in (1, 2, 3)]
        places = list(organisation.municipalities.order_by("code"))
        keepers.append((Keeper(organisation, coordinators, places, weights), count))
    return keepers


def demo_coaching() -> Coaching:
    team = CoachingTeam.objects.filter(organisations__code__in=COACH_ORGANISATIONS).first()
    coaches = [
        _history_staff(organisation, Role.JOB_COACH, 1)
        for organisation in Organisation.objects.filter(code__in=COACH_ORGANISATIONS).order_by(
            "code"
        )
    ]
    services: dict[int, Service] = {}
    for service in Service.objects.filter(source_id__in=["svc-092", "svc-101"]).select_related(
        "organization__network_organisation"
    ):
        provider = _provider(service)
        if provider is not None:
            services[provider.pk] = service
    employers = list(team.employers.order_by("name")) if team else []
    return Coaching(coaches=coaches, team=team, employers=employers, services=services)


def _demo_hetu(used: set[str]) -> Callable[[random.Random, dt.date], str]:
    """Temporary henkilötunnus (individual number 900–999) not in ``used`` (existing ones)."""

    def make(rng: random.Random, birth: dt.date) -> str:
        while True:
            sign = rng.choice(["-", "Y", "X"]) if birth.year < 2000 else rng.choice(["A", "B"])
            code = format_hetu(birth, rng.randrange(900, 1000), sign=sign)
            digest = hetu_lookup_hash(code)
            if digest not in used:
                used.add(digest)
                return code

    return make


def history_paths() -> QuerySet[Case]:
    """The paths of the demo history (kept by its own coordinators)."""
    return Case.objects.filter(coordinator__user__username__startswith=f"{HISTORY_STAFF}-")


def seed_history(
    *, seed: int = 2026, latent: Callable[[Client, str], None] | None = None
) -> Counter[str]:
    """The demo region's eighteen months, once: the history's coordinators having paths marks
    that it was built."""
    keepers = demo_keepers()
    coordinators = [c for keeper, _n in keepers for c in keeper.coordinators]
    if not keepers or Case.objects.filter(coordinator__in=coordinators).exists():
        return Counter()
    used = {
        digest
        for digest in ClientIdentity.objects.values_list("hetu_hash", flat=True)
        if digest is not None
    }
    services = list(
        Service.objects.filter(organization__network_organisation__isnull=False)
        .select_related("organization__network_organisation")
        .order_by("source_id")
    )
    with transaction.atomic():
        counts = history_build(
            keepers,
            coaching=demo_coaching(),
            seed=seed,
            services=services,
            hetu=_demo_hetu(used),
            latent=latent,
        )
    return Counter({f"history_{k}": v for k, v in counts.items()})


# Survey answers for the benchmark: anonymous, in bulk (the demo's come from demo.surveys).
SURVEY_SHARES = {
    CLIENT_SATISFACTION: 60,
    COOPERATION: 20,
    EMPLOYER_FEEDBACK: 10,
    WORK_ABILITY_CHANGE: 10,
}


def survey_answers_build(
    organisations: Sequence[Organisation],
    *,
    count: int,
    today: dt.date | None = None,
    months: int = MONTHS,
    seed: int = 2026,
) -> int:
    """``count`` anonymous answers over the last ``months`` months, spread over the
    organisations and the municipalities each serves (a few with none), the surveys in
    ``SURVEY_SHARES``; every counted item on its scale. Returns the answers written."""
    if count <= 0:
        return 0
    rng = random.Random(f"{seed}:surveys:{count}")  # noqa: S311 - synthetic answers
    this_month = (today or timezone.localdate()).replace(day=1)
    calendar = [add_months(this_month, -n) for n in range(months)]
    served = {o.pk: list(o.municipalities.all()) for o in organisations}
    keys = list(SURVEY_SHARES)
    surveys = {key: survey_current(key) for key in keys}
    answers: list[Answer] = []
    values: list[AnswerValue] = []
    for _n in range(count):
        survey = surveys[rng.choices(keys, list(SURVEY_SHARES.values()))[0]]
        organisation = rng.choice(list(organisations))
        places = served[organisation.pk]
        place = rng.choice(places) if places and rng.random() < 0.97 else None
        answer = Answer(
            survey=survey.key,
            version=survey.version,
            organisation=organisation,
            municipality=place,
            month=rng.choice(calendar),
        )
        answers.append(answer)
        for item in survey.items:
            if not item.counted:
                continue
            scale = item.scale_values
            if scale:  # leaning to the upper end, as satisfaction answers do
                value = scale[round(rng.triangular(0, len(scale) - 1, len(scale) - 2))]
            else:
                value = int(rng.random() < 0.3)
            values.append(
                AnswerValue(
                    answer=answer,
                    survey=survey.key,
                    item=item.key,
                    organisation=organisation,
                    municipality=place,
                    month=answer.month,
                    value=value,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    AnswerValue.objects.bulk_create(values, batch_size=BATCH)
    return len(answers)
