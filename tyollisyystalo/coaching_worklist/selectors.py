"""The coach's worklist: what is due today, read in a fixed number of queries whatever the
size of the registry, and shown only as far as the gatekeeper lets the coach read each client.

``due_items`` finds the items from the coach's own open periods (no access decision: the
reminders use it and name no client); ``worklist_get`` decides the rows' clients in bulk
(ADR 0016), drops rows the coach may not read, shows names only where the identity is allowed
and logs what it showed with one append.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tyollisyystalo.access.gatekeeper import Decision, record_decisions
from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.coaching.models import (
    CoachingKind,
    CoachingPeriod,
    CoachingStatus,
    Placement,
    SupportContact,
)
from tyollisyystalo.coaching_modules.models import (
    PARTIES,
    CoachingModule,
    ModuleAssessment,
    Party,
)
from tyollisyystalo.coaching_worklist.rules import (
    caseload_score,
    employer_contact_due_on,
    follow_along_due_on,
)
from tyollisyystalo.employers.access import leads, register_teams
from tyollisyystalo.employers.models import CoachingTeam, EmployerContact
from tyollisyystalo.employers.selectors import callbacks_due
from tyollisyystalo.shared.links import int_links, uuid_links
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

FOLLOW_ALONG = "follow_along"
MODULE_ASSESSMENT = "module_assessment"
EMPLOYER_CONTACT = "employer_contact"
WORKING = (CoachingStatus.EMPLOYED, CoachingStatus.FOLLOW_ALONG)
SEARCHING = (CoachingStatus.STARTED, CoachingStatus.JOB_SEARCH)
CALLBACKS_SHOWN = 50
PERIOD_FIELDS = (
    "id",
    "client_id",
    "owner_organisation_id",
    "category",
    "status",
    "kind",
    "started_on",
)


@dataclass(frozen=True)
class DueItem:
    """One client item due on the worklist: which period, why and since when."""

    kind: str
    key: str  # the item's identity for reminders: kind and a row id, never a name
    period: CoachingPeriod
    due_on: dt.date
    last_on: dt.date | None = None
    module: CoachingModule | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoachDue:
    active_periods: int
    items: list[DueItem]


def _latest(rows: QuerySet[Any], field: str) -> Subquery:
    """The latest ``field`` of ``rows`` (filtered on ``OuterRef``s): one index probe a row."""
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


def due_items(*, staff: StaffMember, today: dt.date) -> CoachDue:
    """The coach's client items due by ``today``, in three queries whatever the data size: the
    open periods, each with its last support contact, open job and last employer contact
    about the client (read from their indexes, one probe a period), the modules ended
    without a choice, and the parties that have assessed them."""
    periods = list(
        CoachingPeriod.objects.filter(coach=staff)
        .exclude(status=CoachingStatus.ENDED)
        .only(*PERIOD_FIELDS)
        .annotate(
            last_support=_latest(
                SupportContact.objects.filter(period=OuterRef("pk")), "contacted_on"
            ),
            job_start=_latest(
                Placement.objects.filter(period=OuterRef("pk"), ended_on__isnull=True),
                "started_on",
            ),
            last_employer=_latest(
                EmployerContact.objects.filter(client=OuterRef("client_id")), "contacted_on"
            ),
        )
        .order_by("started_on", "id")
    )
    items: list[DueItem] = []
    for period in periods:
        if period.status in WORKING:
            last = period.last_support
            due = follow_along_due_on(
                period_started_on=period.started_on,
                job_started_on=period.job_start,
                last_contact_on=last,
            )
            if due <= today:
                items.append(
                    DueItem(FOLLOW_ALONG, f"{FOLLOW_ALONG}:{period.pk}", period, due, last)
                )
        elif period.status in SEARCHING:
            last = period.last_employer
            due = employer_contact_due_on(period_started_on=period.started_on, last_contact_on=last)
            if due <= today:
                items.append(
                    DueItem(EMPLOYER_CONTACT, f"{EMPLOYER_CONTACT}:{period.pk}", period, due, last)
                )
    by_pk = {p.pk: p for p in periods if p.kind == CoachingKind.MODULAR}
    if by_pk:
        modules = list(
            CoachingModule.objects.filter(
                period__in=list(by_pk), planned_end__lte=today, choice__isnull=True
            )
            .only("id", "period_id", "order", "title", "planned_end")
            .order_by("planned_end", "order")
        )
        parties: dict[uuid.UUID, set[str]] = {m.pk: set() for m in modules}
        for module_id, party in ModuleAssessment.objects.filter(
            module__in=list(parties)
        ).values_list("module", "party"):
            parties[module_id].add(party)
        for module in modules:
            missing = tuple(p for p in PARTIES if p not in parties[module.pk])
            items.append(
                DueItem(
                    MODULE_ASSESSMENT,
                    f"{MODULE_ASSESSMENT}:{module.pk}",
                    by_pk[module.period_id],
                    module.planned_end,
                    module=module,
                    missing=missing,
                )
            )
    items.sort(key=lambda i: (i.due_on, i.kind, str(i.period.pk)))
    return CoachDue(len(periods), items)


def readable_items(
    *, staff: StaffMember, items: list[DueItem], at: dt.datetime
) -> list[tuple[DueItem, Decision, Decision]]:
    """The items whose period the gatekeeper lets ``staff`` read, with the record and identity
    decisions, decided in bulk (two queries for the coach's own clients, ADR 0016). The caller
    logs what it shows."""
    keys = [(i.period.client_id, i.period.owner_organisation_id, i.period.category) for i in items]
    decisions = record_decisions(staff, keys, at=at)
    readable = []
    for item, key in zip(items, keys, strict=True):
        record, identity = decisions[key]
        if record.allowed:  # a row the coach may not read shows nothing
            readable.append((item, record, identity))
    return readable


@dataclass(frozen=True)
class WorkRow:
    item: DueItem
    name: str  # "" when the identity is not allowed: the row says only "a client"
    url: str  # the client's card, or the period's modules for a module item
    due_text: str
    last_text: str
    missing_text: str = ""  # the parties whose assessment of a module is missing


@dataclass(frozen=True)
class CallbackRow:
    """An employer to call back, as shown: the coach's own contact, so no client is named."""

    url: str
    employer_name: str
    due_text: str
    overdue: bool
    next_step: str


@dataclass(frozen=True)
class TeamCaseload:
    coach: StaffMember
    active: int
    score: int


@dataclass
class CoachWorklist:
    today: dt.date
    rows: list[WorkRow]
    callbacks: list[CallbackRow]
    active_periods: int
    caseload_score: int
    team_caseloads: list[TeamCaseload] = field(default_factory=list)
    reads_coaching_team: bool = False  # for the navigation: a team's register is readable

    def of_kind(self, kind: str) -> list[WorkRow]:
        return [r for r in self.rows if r.item.kind == kind]

    @property
    def follow_along(self) -> list[WorkRow]:
        return self.of_kind(FOLLOW_ALONG)

    @property
    def module_assessments(self) -> list[WorkRow]:
        return self.of_kind(MODULE_ASSESSMENT)

    @property
    def employer_contacts(self) -> list[WorkRow]:
        return self.of_kind(EMPLOYER_CONTACT)


def worklist_get(
    *, staff: StaffMember, today: dt.date | None = None, at: dt.datetime | None = None
) -> CoachWorklist:
    """The coach's day. Queries: three for the items, two for the gatekeeper's decisions on the
    rows' clients (up to seven when some are read by consent or emergency access), one for
    their names, the log's append, one for the callbacks, one for the teams the staff member
    reads or leads and one for the caseloads of the teams they lead: none grows with the
    data."""
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    due = due_items(staff=staff, today=today)
    rows: list[tuple[DueItem, bool]] = []
    events: dict[uuid.UUID, LogEvent] = {}
    named: set[uuid.UUID] = set()
    for item, record, identity in readable_items(staff=staff, items=due.items, at=at):
        period = item.period
        rows.append((item, identity.allowed))
        categories = [period.category]
        if identity.allowed:
            named.add(period.client_id)
            categories.append(DataCategory.IDENTITY)
        previous = events.get(period.client_id)
        if previous is not None:
            categories = sorted({*previous.categories, *categories})
        events[period.client_id] = LogEvent(
            action=Action.READ,
            outcome=Outcome.ALLOWED,
            client_id=period.client_id,
            categories=sorted(categories),
            basis=record.basis,
            consent_id=record.consent_id,
            object_type="coaching_worklist",
            object_id=str(staff.pk),
            purpose="coaching worklist",
        )
    names = {cid: identity.full_name for cid, identity in names_of(named).items()} if named else {}
    if events:
        access_log_append(actor=staff, events=[events[k] for k in sorted(events, key=str)], at=at)
    party_labels = {key: str(label) for key, label in Party.choices}
    card_url = uuid_links("casefile:card")
    modules_url = uuid_links("coaching_modules:period")
    work_rows = [
        WorkRow(
            item,
            names.get(item.period.client_id, "") if shown else "",
            modules_url(item.period.pk)
            if item.kind == MODULE_ASSESSMENT
            else card_url(item.period.client_id),
            _day(item.due_on),
            _day(item.last_on) if item.last_on else "",
            ", ".join(party_labels[p] for p in item.missing),
        )
        for item, shown in rows
    ]
    employer_url = int_links("employers:detail")
    teams = list(register_teams(staff))
    callbacks = [
        CallbackRow(employer_url(employer_id), name, _day(due_on), due_on < today, next_step)
        for employer_id, name, due_on, next_step in callbacks_due(
            staff=staff, today=today
        ).values_list("employer_id", "employer__name", "next_step_on", "next_step")[
            :CALLBACKS_SHOWN
        ]
        if due_on is not None  # always: a call-back is due on a day
    ]
    return CoachWorklist(
        today=today,
        rows=work_rows,
        callbacks=callbacks,
        active_periods=due.active_periods,
        caseload_score=caseload_score(due.active_periods),
        team_caseloads=team_caseloads(staff=staff, led=[t.pk for t in teams if leads(staff, t)]),
        reads_coaching_team=bool(teams),
    )


def _day(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def team_caseloads(*, staff: StaffMember, led: list[int]) -> list[TeamCaseload]:
    """Active periods per coach of the teams the staff member leads (``led``: their ids), or
    of their own organisation for a manager: counts only, no client data (two queries)."""
    scope = Q(
        owner_organisation__in=CoachingTeam.objects.filter(pk__in=led).values("organisations")
    )
    if staff.role == Role.MANAGER:
        scope |= Q(owner_organisation=staff.organisation_id)
    elif not led:
        return []
    counts = dict(
        CoachingPeriod.objects.filter(scope)
        .exclude(status=CoachingStatus.ENDED)
        .values("coach")
        .annotate(n=Count("id"))
        .values_list("coach", "n")
    )
    if not counts:
        return []
    coaches = StaffMember.objects.filter(pk__in=list(counts)).select_related("user")
    return sorted(
        (TeamCaseload(c, counts[c.pk], caseload_score(counts[c.pk])) for c in coaches),
        key=lambda row: (-row.active, row.coach.display_name),
    )
