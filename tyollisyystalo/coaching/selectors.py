"""Reads of job coaching: a period's page and the coach's own periods, through the access
layer and logged. A reader who may not read the period gets a 404, logged as denied, and
nothing is logged as read."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess, client_access_decide
from tyollisyystalo.access.gatekeeper import access_contexts_load, decide_identity, decide_read
from tyollisyystalo.access.log import (
    Read,
    deny_and_log,
    identity_read,
    read_of,
    reads_from,
    reads_log,
)
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.coaching.feedback import KIND as FEEDBACK_KIND
from tyollisyystalo.coaching.formdefs import form_version
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingFormAnswer,
    CoachingPeriod,
    Placement,
    PlacementFeedback,
    SupportContact,
)
from tyollisyystalo.coaching.states import OPEN_STATUSES, next_statuses
from tyollisyystalo.employers.models import EmployerContact
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.rules.presentation import RuleAnswer
from tyollisyystalo.rules.selectors import CATEGORY as RULES_CATEGORY
from tyollisyystalo.rules.selectors import OBJECT_TYPE as RULES_OBJECT_TYPE
from tyollisyystalo.rules.selectors import client_rules_build, rules_object_id
from tyollisyystalo.shared.formdefs import Value, answer_display
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.worktrials.models import FeedbackLink

OBJECT_TYPE = "coaching_period"
PAY_SUBSIDY = "pay_subsidy"


@dataclass(frozen=True)
class AnswerVersion:
    """One version of an answer with its items as (question, answer) in the reader's language,
    read through the definition version it was given in."""

    answer: CoachingFormAnswer
    title: str
    rows: list[tuple[str, str]]

    @property
    def values(self) -> dict[str, Value]:
        return answer_values(self.answer)


@dataclass
class AnswerThread:
    """One answer to a form with its versions, newest first."""

    versions: list[AnswerVersion]

    @property
    def latest(self) -> AnswerVersion:
        return self.versions[0]

    @property
    def form(self) -> str:
        return self.latest.answer.form


def answer_values(answer: CoachingFormAnswer) -> dict[str, Value]:
    loaded = json.loads(answer.answers_json or "{}")
    return loaded if isinstance(loaded, dict) else {}


def answer_version(answer: CoachingFormAnswer, language: str) -> AnswerVersion:
    definition = form_version(answer.form, answer.definition_version)
    values = answer_values(answer)
    rows = [
        (item.label.get(language), answer_display(item, values.get(item.code), language))
        for item in definition.items
        if item.code in values
    ]
    return AnswerVersion(answer, definition.name.get(language), rows)


@dataclass(frozen=True)
class PaySubsidy:
    """The rules' pay-subsidy answer as far as the reader's access allows.

    ``visible``: the reader may read some organisation's rule facts of the client (else the
    answer is not shown at all); ``more_exists``: facts exist that the reader may not read.
    """

    answer: RuleAnswer | None
    visible: bool
    more_exists: bool

    @property
    def answers_list(self) -> list[RuleAnswer]:
        return [self.answer] if self.answer is not None else []


def pay_subsidy_get(access: ClientAccess, reads: list[Read]) -> PaySubsidy:
    """The pay-subsidy answer over the rule facts the access allows; adds what it read."""
    owners = access.owners_for(RULES_CATEGORY)
    hidden = (
        ClientRuleFacts.objects.filter(client_id=access.client_id)
        .exclude(owner_organisation_id__in=list(owners))
        .exists()
    )
    if not owners:
        return PaySubsidy(None, False, hidden)
    birth_date = None
    if access.identity.allowed:
        birth_date = (
            ClientIdentity.objects.filter(client_id=access.client_id)
            .values_list("birth_date", flat=True)
            .first()
        )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    rules = client_rules_build(
        client_id=access.client_id,
        owners=owners,
        on=timezone.localdate(access.at),
        birth_date=birth_date,
        can_write=False,
        history=False,
        read=read,
    )
    reads.extend(reads_from(read, object_type=RULES_OBJECT_TYPE, object_id=rules_object_id(rules)))
    answer = next((a for a in rules.answers if a.rule_id == PAY_SUBSIDY), None)
    return PaySubsidy(answer, True, hidden)


@dataclass
class PeriodPage:
    period: CoachingPeriod
    access: ClientAccess
    identity: ClientIdentity | None
    events: list[CoachingEvent]
    threads: list[AnswerThread]
    placements: list[Placement]
    support_contacts: list[SupportContact]
    employer_meetings: list[EmployerContact]
    can_write: bool
    pay_subsidy: PaySubsidy
    next_statuses: list[str] = field(default_factory=list)
    feedback_links: list[FeedbackLink] = field(default_factory=list)
    feedback: list[PlacementFeedback] = field(default_factory=list)
    now: dt.datetime | None = None

    @property
    def open_placements(self) -> list[Placement]:
        return [p for p in self.placements if p.ended_on is None]

    @property
    def may_open_path(self) -> bool:
        """The path page decides on its plan-category records (cases.selectors.case_get): link
        to it only for readers it would show it to."""
        case = self.period.case
        return case is not None and self.access.may_read(
            case.owner_organisation_id, DataCategory.PLAN
        )


def answer_threads(answers: list[CoachingFormAnswer], language: str) -> list[AnswerThread]:
    """Group versions by thread, newest version first; threads by their latest date."""
    grouped: dict[uuid.UUID, list[AnswerVersion]] = {}
    for answer in sorted(answers, key=lambda a: (str(a.thread), -a.number)):
        grouped.setdefault(answer.thread, []).append(answer_version(answer, language))
    threads = [AnswerThread(versions) for versions in grouped.values()]
    return sorted(
        threads,
        key=lambda t: (t.latest.answer.answered_on, t.latest.answer.created_at),
        reverse=True,
    )


def period_get(
    *, staff: StaffMember, period_id: uuid.UUID, purpose: str, at: dt.datetime | None = None
) -> PeriodPage:
    """One period with its events, forms, placements and contacts; a logged 404 if denied."""
    at = at or timezone.now()
    period = (
        CoachingPeriod.objects.select_related(
            "coach__user", "deputy__user", "owner_organisation", "team", "case", "referral"
        )
        .filter(pk=period_id)
        .first()
    )
    if period is None:
        raise Http404(_("Valmennusjaksoa ei löytynyt."))
    access = client_access_decide(staff=staff, client_id=period.client_id, purpose=purpose, at=at)
    if not access.may_read(period.owner_organisation_id, period.category):
        raise deny_and_log(
            staff=staff, client_id=period.client_id, action=Action.READ, at=at, purpose=purpose
        )
    reads: list[Read] = [
        read_of(
            access,
            owner=period.owner_organisation_id,
            category=period.category,
            object_type=OBJECT_TYPE,
            object_id=str(period.pk),
        )
    ]
    identity = None
    if access.identity.allowed:
        identity = ClientIdentity.objects.get(client_id=period.client_id)
        reads.append(identity_read(access, object_type=OBJECT_TYPE))
    meetings: list[EmployerContact] = []
    if access.may_read(period.owner_organisation_id, DataCategory.EDUCATION_WORK):
        meetings = list(
            EmployerContact.objects.filter(
                client_id=period.client_id,
                owner_organisation_id=period.owner_organisation_id,
                contacted_on__gte=period.started_on,
            )
            .select_related("employer", "coach__user")
            .order_by("-contacted_on", "-created_at")
        )
        if meetings:
            reads.append(
                read_of(
                    access,
                    owner=period.owner_organisation_id,
                    category=DataCategory.EDUCATION_WORK,
                    object_type="employer_contacts",
                )
            )
    placements = list(period.placements.select_related("employer"))
    feedback = list(
        PlacementFeedback.objects.filter(placement__period=period).select_related("placement")
    )
    if feedback:
        reads.append(
            read_of(
                access,
                owner=period.owner_organisation_id,
                category=period.category,
                object_type="placement_feedback",
                object_id=str(period.pk),
            )
        )
    links = list(
        FeedbackLink.objects.filter(
            subject_kind=FEEDBACK_KIND, subject_id__in=[str(p.pk) for p in placements]
        ).select_related("created_by__user")
    )
    pay_subsidy = pay_subsidy_get(access, reads)
    reads_log(access, reads)
    can_write = access.may_write(period.category).allowed and (
        staff.organisation_id == period.owner_organisation_id
    )
    return PeriodPage(
        period=period,
        access=access,
        identity=identity,
        events=list(period.events.select_related("actor__user")),
        threads=answer_threads(
            list(period.form_answers.select_related("author__user")), get_language() or "fi"
        ),
        placements=placements,
        support_contacts=list(period.support_contacts.select_related("author__user")),
        employer_meetings=meetings,
        can_write=can_write,
        pay_subsidy=pay_subsidy,
        next_statuses=next_statuses(period.status) if can_write else [],
        feedback_links=links,
        feedback=feedback,
        now=at,
    )


@dataclass(frozen=True)
class PeriodRow:
    period: CoachingPeriod
    identity: ClientIdentity | None
    role: str  # "coach" or "deputy"


def coach_periods(
    *, staff: StaffMember, include_ended: bool = False, at: dt.datetime | None = None
) -> list[PeriodRow]:
    """The periods the staff member coaches or deputises, the open ones first; each shown only
    where the gatekeeper lets the staff member read it, and the list's reads logged."""
    at = at or timezone.now()
    periods = CoachingPeriod.objects.filter(Q(coach=staff) | Q(deputy=staff)).select_related(
        "coach__user"
    )
    if not include_ended:
        periods = periods.filter(status__in=OPEN_STATUSES)
    rows = list(periods.order_by("-started_on")[:500])
    contexts = access_contexts_load({p.client_id for p in rows}, at=at)
    readable: list[CoachingPeriod] = []
    bases: dict[uuid.UUID, tuple[Basis, int | None]] = {}
    named: set[uuid.UUID] = set()
    read_categories: dict[uuid.UUID, set[str]] = defaultdict(set)
    for period in rows:
        ctx = contexts[period.client_id]
        decision = decide_read(
            staff, ctx, owner_organisation_id=period.owner_organisation_id, category=period.category
        )
        if not decision.allowed:
            continue
        readable.append(period)
        bases.setdefault(period.client_id, (decision.basis, decision.consent_id))
        read_categories[period.client_id].add(period.category)
        if decide_identity(staff, ctx).allowed:
            named.add(period.client_id)
    names = names_of(named)
    # One list read per group of clients read in the same categories (the name only where
    # the identity was shown).
    groups: dict[tuple[str, ...], dict[uuid.UUID, tuple[Basis, int | None]]] = defaultdict(dict)
    for client_id, basis in bases.items():
        categories = set(read_categories[client_id])
        if client_id in named:
            categories.add(DataCategory.IDENTITY)
        groups[tuple(sorted(categories))][client_id] = basis
    for group_categories, group in groups.items():
        access_log_list_reads(
            actor=staff,
            bases=group,
            categories=list(group_categories),
            object_type="coaching_periods",
            object_id=str(staff.pk),
            purpose="coaching caseload",
            at=at,
        )
    return [
        PeriodRow(p, names.get(p.client_id), "coach" if p.coach_id == staff.pk else "deputy")
        for p in readable
    ]


@dataclass(frozen=True)
class PeriodSummary:
    """A period with the latest version of each answer and its jobs, for the card, the path,
    the plan and the client's own pages."""

    period: CoachingPeriod
    latest_answers: list[CoachingFormAnswer]
    placements: list[Placement]

    def as_data(self) -> dict[str, object]:
        """Plain values for the API card."""
        period = self.period
        return {
            "id": period.pk,
            "organisation": period.owner_organisation.name,
            "coach": period.coach.display_name,
            "kind": period.kind,
            "intensity": period.intensity,
            "status": period.status,
            "started_on": period.started_on,
            "ended_on": period.ended_on,
            "ending_reason": period.ending_reason,
            "forms": [
                {"form": a.form, "version": a.number, "answered_on": a.answered_on}
                for a in self.latest_answers
            ],
            "placements": [
                {
                    "employer_name": p.employer_name,
                    "job_title": p.job_title,
                    "started_on": p.started_on,
                    "ended_on": p.ended_on,
                    "hours_per_week": p.hours_per_week,
                    "competitive": p.competitive,
                }
                for p in self.placements
            ],
        }


@dataclass(frozen=True)
class CoachingSummary:
    periods: list[PeriodSummary]
    more_exists: bool


def periods_summary(access: ClientAccess, *, case_id: uuid.UUID | None = None) -> CoachingSummary:
    """The client's periods the access allows (the caller logs them as read), with their latest
    answers and placements; ``more_exists`` when others exist. Three queries whatever the size."""
    readable = access.records_q()
    periods_q = CoachingPeriod.objects.filter(readable)
    if case_id is not None:
        periods_q = periods_q.filter(case_id=case_id)
    periods = list(
        periods_q.select_related("coach__user", "owner_organisation").order_by("-started_on")
    )
    hidden_q = CoachingPeriod.objects.filter(access.client_q()).exclude(readable)
    if case_id is not None:
        hidden_q = hidden_q.filter(case_id=case_id)
    hidden = hidden_q.exists()
    ids = [p.pk for p in periods]
    answers: dict[uuid.UUID, dict[uuid.UUID, CoachingFormAnswer]] = {}
    placements: dict[uuid.UUID, list[Placement]] = {}
    if ids:
        for answer in CoachingFormAnswer.objects.filter(period_id__in=ids).defer("answers_json"):
            threads = answers.setdefault(answer.period_id, {})
            if answer.thread not in threads or threads[answer.thread].number < answer.number:
                threads[answer.thread] = answer
        for placement in Placement.objects.filter(period_id__in=ids).order_by("-started_on"):
            placements.setdefault(placement.period_id, []).append(placement)
    return CoachingSummary(
        [
            PeriodSummary(
                p,
                sorted(answers.get(p.pk, {}).values(), key=lambda a: (a.form, a.answered_on)),
                placements.get(p.pk, []),
            )
            for p in periods
        ],
        hidden,
    )


def client_coaching(
    *,
    staff: StaffMember,
    client_id: uuid.UUID,
    purpose: str,
    case_id: uuid.UUID | None = None,
    at: dt.datetime | None = None,
) -> CoachingSummary | None:
    """The coaching a page of another app shows (the path, the plan): the periods the reader
    may read (of the path, when ``case_id`` is given), logged as read; None when the reader may
    read nothing of the client (that page has decided its own access already)."""
    try:
        access = client_access_decide(staff=staff, client_id=client_id, purpose=purpose, at=at)
    except Http404:
        return None
    summary = periods_summary(access, case_id=case_id)
    if summary.periods:
        reads_log(
            access,
            [
                read_of(
                    access,
                    owner=p.period.owner_organisation_id,
                    category=p.period.category,
                    object_type=OBJECT_TYPE,
                    object_id=str(p.period.pk),
                )
                for p in summary.periods
            ],
        )
    return summary
