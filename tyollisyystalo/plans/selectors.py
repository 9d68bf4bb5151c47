"""Reads of plans through the gatekeeper, with every read logged."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.access.gatekeeper import (
    access_context_load,
    decide_read,
    decide_write,
    record_decisions,
)
from tyollisyystalo.access.log import deny_and_log, reads_log, service_use_read
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_list_reads, access_log_reads
from tyollisyystalo.cases.models import Case, CaseDeadline
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity, TeamMembership
from tyollisyystalo.clients.selectors import identity_if_allowed, names_of
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.plans.content import Change, Content, Gap, plan_diff, plan_gaps
from tyollisyystalo.plans.models import (
    AcknowledgementParty,
    Plan,
    PlanAcknowledgement,
    PlanComment,
    PlanVersion,
)
from tyollisyystalo.plans.parties import CLIENT, parties_asked_again, plan_parties
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.PLAN


@dataclass
class PartyState:
    """One party of a version: whether its part changed, its acknowledgement and comments."""

    key: str  # "client" or the organisation's id
    name: str  # the organisation's name; "" for the client
    asked: bool  # its part is new or changed in this version
    acknowledgement: PlanAcknowledgement | None = None
    comments: list[PlanComment] = field(default_factory=list)

    @property
    def is_client(self) -> bool:
        return self.key == CLIENT


@dataclass
class VersionParties:
    parties: list[PartyState]
    # Acknowledgements the coordinator recorded for someone who is not a party of the version.
    others: list[PlanAcknowledgement]

    def of(self, key: str) -> PartyState | None:
        return next((p for p in self.parties if p.key == key), None)


def _party_of(record: PlanAcknowledgement | PlanComment) -> str:
    if record.party == AcknowledgementParty.CLIENT:
        return CLIENT
    return str(record.organisation_id) if record.organisation_id else ""


def version_parties(
    version: PlanVersion, previous: Content | None, owner_organisation_id: int
) -> VersionParties:
    """Who has and has not acknowledged ``version``, and what each party commented."""
    content = version.content
    keys = plan_parties(content, owner_organisation_id)
    asked = parties_asked_again(previous, content, owner_organisation_id)
    names = {
        str(o.pk): str(o)
        for o in Organisation.objects.filter(pk__in=[int(k) for k in keys if k != CLIENT])
    }
    states = {
        k: PartyState(k, names.get(k, ""), k in asked)
        for k in sorted(keys, key=lambda k: (k != CLIENT, names.get(k, k)))
        if k == CLIENT or k in names
    }
    others = []
    for ack in PlanAcknowledgement.objects.filter(version=version).select_related(
        "recorded_by__user"
    ):
        state = states.get(_party_of(ack))
        if state is None:
            others.append(ack)
        else:
            state.acknowledgement = ack
    for comment in PlanComment.objects.filter(version=version).select_related("author__user"):
        state = states.get(_party_of(comment))
        if state is not None:
            state.comments.append(comment)
    return VersionParties(list(states.values()), others)


@dataclass
class PlanPage:
    plan: Plan
    version: PlanVersion  # the version shown
    numbers: list[int]
    identity: ClientIdentity | None
    can_write: bool
    gaps: list[Gap]
    changes: list[Change]  # from the previous version to the one shown
    acknowledgements: list[PlanAcknowledgement]
    services: dict[str, Service] = field(default_factory=dict)
    next_review: CaseDeadline | None = None
    parties: VersionParties | None = None

    @property
    def is_current(self) -> bool:
        return self.version.number == self.plan.current_number


def plan_get(
    *,
    staff: StaffMember,
    plan_id: uuid.UUID,
    purpose: str,
    number: int | None = None,
    at: dt.datetime | None = None,
) -> PlanPage:
    """A plan version (the current one unless ``number``), or a logged 404."""
    at = at or timezone.now()
    plan = Plan.objects.select_related("case", "owner_organisation").filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("Suunnitelmaa ei löytynyt."))
    ctx = access_context_load(plan.client_id, at=at)
    decision = decide_read(
        staff, ctx, owner_organisation_id=plan.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=staff, client_id=plan.client_id, action=Action.READ, at=at, purpose=purpose
        )
    wanted = number or plan.current_number
    versions = list(
        PlanVersion.objects.filter(plan=plan, number__in=[wanted, wanted - 1]).select_related(
            "created_by__user"
        )
    )
    shown = next((v for v in versions if v.number == wanted), None)
    if shown is None:
        raise Http404(_("Versiota ei löytynyt."))
    previous = next((v for v in versions if v.number == wanted - 1), None)
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    read[(decision.basis, decision.consent_id)].add(CATEGORY)
    identity, identity_decision = identity_if_allowed(staff, ctx)
    if identity is not None:
        read[(identity_decision.basis, identity_decision.consent_id)].add(DataCategory.IDENTITY)
    content = shown.content
    service_ids = {a.service_id for a in content.actions if a.service_id}
    page = PlanPage(
        plan=plan,
        version=shown,
        numbers=list(range(plan.current_number, 0, -1)),
        identity=identity,
        can_write=decide_write(
            staff, ctx, owner_organisation_id=plan.owner_organisation_id, category=CATEGORY
        ).allowed,
        gaps=plan_gaps(content),
        changes=plan_diff(previous.content, content) if previous else [],
        acknowledgements=list(
            PlanAcknowledgement.objects.filter(version=shown).select_related("recorded_by__user")
        ),
        services={str(s.pk): s for s in Service.objects.filter(pk__in=service_ids)},
        next_review=CaseDeadline.objects.filter(
            plan_id=plan.pk, done_on__isnull=True, cancelled_at__isnull=True
        )
        .order_by("due_on")
        .first(),
        parties=version_parties(
            shown, previous.content if previous else None, plan.owner_organisation_id
        ),
    )
    access_log_reads(
        actor=staff,
        client_id=plan.client_id,
        read=read,
        object_type="plan",
        object_id=f"{plan.pk}/{shown.number}",
        purpose=purpose,
        at=at,
    )
    return page


def case_plans(case: Case) -> list[Plan]:
    """The plans of a path, for its page (read under the path's own decision and log)."""
    return list(Plan.objects.filter(case=case).order_by("plan_type"))


def plans_waiting_for_client(*, client_id: uuid.UUID) -> list[PlanVersion]:
    """The client's own plan versions that wait for their acknowledgement."""
    client_acknowledged = PlanAcknowledgement.objects.filter(
        version=OuterRef("pk"), party=AcknowledgementParty.CLIENT
    )
    return list(
        PlanVersion.objects.filter(
            plan__client_id=client_id,
            number=F("plan__current_number"),
            parties__organisation__isnull=True,
        )
        .exclude(Exists(client_acknowledged))
        .select_related("plan__owner_organisation")
        .order_by("-created_at")
    )


WAITING_SHOWN = 200  # rows on "Suunnitelmat kuitattavana"
WAITING_SCAN = 5000  # versions looked at for them, at most


@dataclass(frozen=True)
class WaitingRow:
    version: PlanVersion
    name: str  # the client's name, "" when the gatekeeper does not show it


def plans_waiting_for_organisation(
    *, staff: StaffMember, at: dt.datetime | None = None
) -> list[WaitingRow]:
    """Current plan versions that wait for the staff member's organisation, among the plans the
    gatekeeper lets them read (decided in bulk, ADR 0016); each client shown is logged."""
    at = at or timezone.now()
    organisation_acknowledged = PlanAcknowledgement.objects.filter(
        version=OuterRef("pk"), organisation_id=staff.organisation_id
    )
    waiting = (
        PlanVersion.objects.filter(
            number=F("plan__current_number"), parties__organisation_id=staff.organisation_id
        )
        .exclude(Exists(organisation_acknowledged))
        .select_related("plan__owner_organisation")
        .order_by("-created_at", "-pk")
    )
    shown: list[tuple[PlanVersion, bool]] = []
    plan_bases: dict[uuid.UUID, tuple[Basis, int | None]] = {}
    name_bases: dict[uuid.UUID, tuple[Basis, int | None]] = {}
    # Decided a batch at a time until the list is full, so that plans the reader may not read
    # do not crowd out those they may.
    for start in range(0, WAITING_SCAN, WAITING_SHOWN):
        versions = list(waiting[start : start + WAITING_SHOWN])
        keys = [(v.plan.client_id, v.plan.owner_organisation_id, CATEGORY) for v in versions]
        decisions = record_decisions(staff, keys, at=at)
        for version, key in zip(versions, keys, strict=True):
            record, identity = decisions[key]
            if not record.allowed or len(shown) == WAITING_SHOWN:
                continue  # a plan the staff member may not read is not listed
            plan_bases[key[0]] = (record.basis, record.consent_id)
            if identity.allowed:
                name_bases[key[0]] = (identity.basis, identity.consent_id)
            shown.append((version, identity.allowed))
        if len(versions) < WAITING_SHOWN or len(shown) == WAITING_SHOWN:
            break
    names = {cid: i.full_name for cid, i in names_of(name_bases).items()} if name_bases else {}
    for categories, bases in (([CATEGORY], plan_bases), ([DataCategory.IDENTITY], name_bases)):
        if bases:
            access_log_list_reads(
                actor=staff,
                bases=bases,
                categories=categories,
                object_type="plan_waiting_list",
                object_id="",
                purpose="plans waiting for acknowledgement",
                at=at,
            )
    return [WaitingRow(v, names.get(v.plan.client_id, "") if named else "") for v, named in shown]


def party_organisation_choices(
    staff: StaffMember, client_id: uuid.UUID, editor: Any
) -> list[tuple[str, str]]:
    """The organisations an action may name: the editor's own, those of the client's team
    members the card shows the editor (R3: that the client uses an organisation's services is
    that organisation's data; logged as read as on the card), and any an action of the edited
    content names already."""
    now = timezone.now()
    named = {
        int(row.values["organisation_id"])
        for row in editor.actions
        if row.values.get("organisation_id", "").isdigit()
    }
    access = client_access_decide(staff=staff, client_id=client_id, purpose="plan editing", at=now)
    team = (
        TeamMembership.objects.filter(client_id=client_id, started_at__lte=now)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .filter(
            access.service_use_q(
                organisation="staff_member__organisation_id", unit="staff_member__unit"
            )
        )
        .select_related("staff_member__unit")
    )
    members = [m.staff_member for m in team]
    reads_log(
        access,
        [
            service_use_read(access, m.organisation_id, m.unit, object_type="plan_editor")
            for m in members
            if m.organisation_id != staff.organisation_id
        ],
    )
    shown = {m.organisation_id for m in members} | named | {staff.organisation_id}
    organisations = Organisation.objects.filter(pk__in=shown).order_by("name_fi")
    return [(str(o.pk), str(o)) for o in organisations]
