"""Reads of work-trial feedback for the path page, through the gatekeeper, logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tyollisyystalo.access.gatekeeper import AccessContext, access_context_load, decide_read
from tyollisyystalo.audit.services import access_log_reads
from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.worktrials.models import FeedbackLink, WorkTrialFeedback

CATEGORY = DataCategory.ASSESSMENTS


@dataclass
class Worktrials:
    links: list[FeedbackLink]
    feedback: list[WorkTrialFeedback]
    now: dt.datetime


def case_worktrials(
    *,
    staff: StaffMember,
    case: Case,
    ctx: AccessContext | None = None,
    purpose: str,
    at: dt.datetime | None = None,
) -> Worktrials | None:
    """The path's feedback links and answers (the functional assessment summary), or None."""
    at = at or timezone.now()
    ctx = ctx or access_context_load(case.client_id, at=at)
    decision = decide_read(
        staff, ctx, owner_organisation_id=case.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        return None
    feedback = list(WorkTrialFeedback.objects.filter(case=case).select_related("link"))
    if feedback:
        access_log_reads(
            actor=staff,
            client_id=case.client_id,
            read={(decision.basis, decision.consent_id): {CATEGORY}},
            object_type="worktrial_feedback",
            object_id=str(case.pk),
            purpose=purpose,
            at=at,
        )
    links = list(FeedbackLink.objects.filter(case=case).select_related("created_by__user"))
    return Worktrials(links, feedback, at)
