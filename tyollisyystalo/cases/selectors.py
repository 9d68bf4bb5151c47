"""Reads of service paths and the worklist, through the gatekeeper, with every read logged."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tyollisyystalo.access.gatekeeper import (
    AccessContext,
    access_context_load,
    decide_read,
    decide_service_use,
    decide_write,
    identity_decisions,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability, policy_for, roles_with
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_list_reads, access_log_reads
from tyollisyystalo.cases.models import OPEN, Case, CaseDeadline, CaseEvent, DeadlineKind
from tyollisyystalo.cases.states import next_statuses
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity, TeamMembership
from tyollisyystalo.clients.selectors import identity_if_allowed, names_of
from tyollisyystalo.shared.links import uuid_links
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.PLAN


@dataclass(frozen=True)
class MemberAccess:
    """What a team member sees of the path owner's records, and what is missing (consent)."""

    membership: TeamMembership
    readable: list[str]
    missing_consent: list[str]


@dataclass
class CasePage:
    case: Case
    identity: ClientIdentity | None
    events: list[CaseEvent]
    deadlines: list[CaseDeadline]
    team: list[MemberAccess]
    can_manage: bool
    next_statuses: list[str] = field(default_factory=list)
    # Team members the reader may not see (R3) exist; nothing more is told.
    team_hidden: bool = False

    @property
    def next_review(self) -> CaseDeadline | None:
        for deadline in self.deadlines:
            if deadline.is_open:
                return deadline
        return None


def _member_access(
    membership: TeamMembership, ctx: AccessContext, owner_organisation_id: int
) -> MemberAccess:
    """Categories the member's role needs, split by whether the gatekeeper lets them through.

    An invited member is checked as if active, so the coordinator sees before acceptance what
    consent will be missing.
    """
    member = membership.staff_member
    readable: list[str] = []
    missing: list[str] = []
    check_ctx = ctx
    if membership.state == "invited":
        check_ctx = AccessContext(
            client_id=ctx.client_id,
            at=ctx.at,
            owner_organisation_ids=ctx.owner_organisation_ids,
            active_relationships=ctx.active_relationships,
            team_staff_ids=ctx.team_staff_ids | {member.pk},
            grants=ctx.grants,
            emergency_staff_ids=ctx.emergency_staff_ids,
        )
    for category in sorted(policy_for(member.role).readable):
        decision = decide_read(
            member, check_ctx, owner_organisation_id=owner_organisation_id, category=category
        )
        (readable if decision.allowed else missing).append(category)
    return MemberAccess(membership, readable, missing)


def _own_invitation(membership: TeamMembership, staff: StaffMember) -> bool:
    """An invitation not yet accepted, made by the reader's own organisation: its own record,
    shown so that the consent the member will need can be recorded before acceptance."""
    return (
        membership.started_at is None
        and membership.added_by.organisation_id == staff.organisation_id
    )


def seen_category(member: StaffMember) -> str:
    """The category of the fact that ``member`` works with the client (R3)."""
    return (member.unit.data_category if member.unit else "") or DataCategory.IDENTITY


def case_get(
    *, staff: StaffMember, case_id: uuid.UUID, purpose: str, at: dt.datetime | None = None
) -> CasePage:
    """One path with its events, deadlines and team, or a logged 404 when not readable."""
    at = at or timezone.now()
    case = (
        Case.objects.select_related(
            "coordinator__user",
            "deputy__user",
            "owner_organisation",
            "referrer_organisation",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404(_("Palvelupolkua ei löytynyt."))
    ctx = access_context_load(case.client_id, at=at)
    decision = decide_read(
        staff, ctx, owner_organisation_id=case.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=staff, client_id=case.client_id, action=Action.READ, at=at, purpose=purpose
        )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    read[(decision.basis, decision.consent_id)].add(CATEGORY)
    identity, identity_decision = identity_if_allowed(staff, ctx)
    if identity is not None:
        read[(identity_decision.basis, identity_decision.consent_id)].add(DataCategory.IDENTITY)
    memberships = list(
        TeamMembership.objects.filter(client_id=case.client_id, ended_at__isnull=True)
        .select_related(
            "staff_member__user", "staff_member__organisation", "staff_member__unit", "added_by"
        )
        .order_by("-is_coordinator", "invited_at")
    )
    # R3: a member shows that the client uses the member's organisation's (unit's) services.
    shown = []
    for membership in memberships:
        member = membership.staff_member
        seen = decide_service_use(
            staff,
            ctx,
            organisation_id=member.organisation_id,
            unit_category=member.unit.data_category if member.unit else "",
        )
        if seen.allowed:
            shown.append(membership)
            read[(seen.basis, seen.consent_id)].add(seen_category(member))
        elif _own_invitation(membership, staff):
            shown.append(membership)
    can_manage = decide_write(
        staff, ctx, owner_organisation_id=case.owner_organisation_id, category=CATEGORY
    ).allowed
    page = CasePage(
        case=case,
        identity=identity,
        events=list(case.events.select_related("actor__user")),
        deadlines=list(case.deadlines.select_related("done_by__user")),
        team=[_member_access(m, ctx, case.owner_organisation_id) for m in shown],
        can_manage=can_manage,
        next_statuses=[s.value for s in next_statuses(case.status)],
        team_hidden=len(shown) < len(memberships),
    )
    access_log_reads(
        actor=staff,
        client_id=case.client_id,
        read=read,
        object_type="case",
        object_id=str(case.pk),
        purpose=purpose,
        at=at,
    )
    return page


@dataclass(frozen=True)
class WorkItem:
    """One deadline on the worklist, with its row's texts and links worked out once: 25 rows
    of template filters, translations and reverse() cost more than the rest of the page."""

    deadline: CaseDeadline
    identity: ClientIdentity | None
    state: str  # "overdue", "due" (today) or "soon"
    state_label: str
    due_text: str
    task_label: str
    case_url: str
    task_url: str  # the referral or plan the deadline is about, or ""


@dataclass
class Worklist:
    today: dt.date
    items: list[WorkItem]
    invitations: list[TeamMembership]
    open_cases: int
    page: int = 1
    total: int = 0

    @property
    def has_next(self) -> bool:
        return self.page * WORKLIST_PAGE < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // WORKLIST_PAGE))

    @property
    def overdue(self) -> list[WorkItem]:
        return [i for i in self.items if i.state == "overdue"]

    @property
    def due(self) -> list[WorkItem]:
        return [i for i in self.items if i.state != "overdue"]


# Deadlines shown per page, the most urgent first.
WORKLIST_PAGE = 25
# What a work item shows: nothing encrypted is loaded.
WORK_ITEM_FIELDS = ("case", "kind", "months", "due_on", "plan_id", "referral_id")


def worklist_get(
    *,
    staff: StaffMember,
    page: int = 1,
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Worklist:
    """The staff member's due, soon due and overdue deadlines and open team invitations.

    A fixed number of queries whatever the number of paths: the dates of the staff member's
    open deadlines up to the horizon, the page's deadlines, two for the gatekeeper's decisions on
    the clients shown (six when some of them need consent), their names, the number of open
    paths and the invitations; the names shown are logged as read in one append.
    """
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    horizon = today + dt.timedelta(days=settings.WORKLIST_SOON_DAYS)
    mine = Case.objects.filter(Q(coordinator=staff) | Q(deputy=staff), status__in=OPEN)
    # Only the staff member's own open deadlines up to the horizon, sorted here: asked to sort
    # by date, a database would walk every open deadline of the registry in date order.
    open_due = sorted(
        CaseDeadline.objects.filter(
            case__in=mine.values("id"),
            done_on__isnull=True,
            cancelled_at__isnull=True,
            due_on__lte=horizon,
        )
        .order_by()
        .values_list("due_on", "id")
    )
    page = max(1, page)
    start = (page - 1) * WORKLIST_PAGE
    shown = [pk for _due_on, pk in open_due[start : start + WORKLIST_PAGE]]
    deadlines = list(
        CaseDeadline.objects.filter(pk__in=shown)
        .select_related("case")
        .only(*WORK_ITEM_FIELDS, "case__client_id")
        .order_by("due_on", "id")
    )
    total = len(open_due)
    client_ids = {d.case.client_id for d in deadlines}
    decisions = identity_decisions(staff, client_ids, at=at)
    visible = [cid for cid, d in decisions.items() if d.allowed]
    items = _work_items(deadlines, names_of(visible), today)
    access_log_list_reads(
        actor=staff,
        bases={cid: (decisions[cid].basis, decisions[cid].consent_id) for cid in visible},
        categories=[DataCategory.IDENTITY, CATEGORY],
        object_type="worklist",
        object_id=str(staff.pk),
        purpose="worklist",
        at=at,
    )
    invitations = list(
        TeamMembership.objects.filter(
            staff_member=staff, started_at__isnull=True, ended_at__isnull=True
        ).select_related("case__owner_organisation", "added_by__user", "added_by__organisation")
    )
    return Worklist(today, items, invitations, mine.count(), page, total)


def _work_items(
    deadlines: list[CaseDeadline], identities: dict[uuid.UUID, ClientIdentity], today: dt.date
) -> list[WorkItem]:
    """The page's rows. Labels and links are made once per page: a model's get_FOO_display
    translates every choice, and reverse() matches the pattern, on every call."""
    kind_labels = {kind: str(label) for kind, label in DeadlineKind.choices}
    state_labels = {"overdue": _("Myöhässä"), "due": _("Tänään"), "soon": _("Tulossa")}
    case_url = uuid_links("cases:detail")
    referral_url = uuid_links("referrals:detail")
    plan_url = uuid_links("plans:detail")
    items = []
    for deadline in deadlines:
        due_on = deadline.due_on
        state = "overdue" if due_on < today else "due" if due_on == today else "soon"
        task_label = kind_labels[deadline.kind]
        if deadline.months:
            # The path page's month count, in the same words.
            months = ngettext("%(n)s kk", "%(n)s kk", deadline.months) % {"n": deadline.months}
            task_label = f"{task_label} ({months})"
        items.append(
            WorkItem(
                deadline=deadline,
                identity=identities.get(deadline.case.client_id),
                state=state,
                state_label=state_labels[state],
                due_text=f"{due_on.day}.{due_on.month}.{due_on.year}",
                task_label=task_label,
                case_url=case_url(deadline.case_id),
                task_url=referral_url(deadline.referral_id)
                if deadline.referral_id
                else plan_url(deadline.plan_id)
                if deadline.plan_id
                else "",
            )
        )
    return items


def invitable_staff(query: str = "") -> QuerySet[StaffMember]:
    """Active professionals who do client work, any organisation, by name parts (not data)."""
    people = StaffMember.objects.filter(
        is_active=True, role__in=roles_with(Capability.REFERRAL_HANDLE)
    )
    for part in query.split()[:3]:
        people = people.filter(
            Q(user__first_name__icontains=part) | Q(user__last_name__icontains=part)
        )
    return people.select_related("user", "organisation").order_by(
        "user__last_name", "user__first_name"
    )
