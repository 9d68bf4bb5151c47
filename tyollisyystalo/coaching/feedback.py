"""Employer feedback on a placement through the work-trial link machinery (issue 14, part 8).

Registered as the subject kind ``placement`` of ``worktrials.subjects``: the token, expiry,
single use, revocation and the host's form are the work trial's; the answer is a
``PlacementFeedback``, client data of the coach's organisation in the period's category.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from tyollisyystalo.audit.models import Basis
from tyollisyystalo.coaching.models import Placement, PlacementFeedback
from tyollisyystalo.coaching.services import period_for_write
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.worktrials.models import FeedbackLink
from tyollisyystalo.worktrials.subjects import FeedbackSubject, feedback_subject_register

KIND = "placement"


def _placement(subject_id: str) -> Placement:
    try:
        pk = uuid.UUID(subject_id)
    except ValueError as exc:
        raise ValidationError(_("Työsuhdetta ei löytynyt."), code="not_found") from exc
    placement = Placement.objects.select_related("period").filter(pk=pk).first()
    if placement is None:
        raise ValidationError(_("Työsuhdetta ei löytynyt."), code="not_found")
    return placement


def _subject(placement: Placement) -> FeedbackSubject:
    return FeedbackSubject(
        client_id=placement.client_id,
        owner_organisation_id=placement.owner_organisation_id,
        category=placement.category,
        back_url=reverse("coaching:detail", kwargs={"period_id": placement.period_id}),
    )


class PlacementFeedbackHandler:
    @property
    def title(self) -> str:
        return _("Palaute työstä")

    def for_write(
        self, *, actor: StaffMember, subject_id: str, at: dt.datetime, purpose: str
    ) -> tuple[FeedbackSubject, Basis]:
        placement = _placement(subject_id)
        _period, decision = period_for_write(
            actor=actor, period_id=placement.period_id, at=at, purpose=purpose
        )
        return _subject(placement), decision.basis

    def subject(self, subject_id: str) -> FeedbackSubject:
        return _subject(_placement(subject_id))

    def answer_store(
        self,
        *,
        link: FeedbackLink,
        subject: FeedbackSubject,
        respondent: str,
        ratings: Mapping[str, int | None],
        texts: Mapping[str, str],
        at: dt.datetime,
    ) -> models.Model:
        placement = _placement(link.subject_id)
        return PlacementFeedback.objects.create(
            client_id=subject.client_id,
            owner_organisation_id=subject.owner_organisation_id,
            category=subject.category,
            created_at=at,
            link=link,
            placement=placement,
            respondent_name=respondent,
            **ratings,
            **texts,
        )


def register() -> None:
    feedback_subject_register(KIND, PlacementFeedbackHandler())
