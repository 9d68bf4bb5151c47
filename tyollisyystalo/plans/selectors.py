"""Reads of plans through the gatekeeper, with every read logged."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_read, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_reads
from tyollisyystalo.cases.models import Case, CaseDeadline
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import identity_if_allowed
from tyollisyystalo.plans.content import Change, Gap, plan_diff, plan_gaps
from tyollisyystalo.plans.models import Plan, PlanAcknowledgement, PlanVersion
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.PLAN


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
