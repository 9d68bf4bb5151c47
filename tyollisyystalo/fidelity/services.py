"""Writing fidelity reviews and their improvement plans: validated first, written at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.fidelity.access import may_review
from tyollisyystalo.fidelity.definition import scale_get
from tyollisyystalo.fidelity.models import FidelityItemScore, FidelityReview, ImprovementAction
from tyollisyystalo.fidelity.prefill import Prefill, prefills_compute
from tyollisyystalo.fidelity.scoring import ScoreError, score, scores_check
from tyollisyystalo.staff.models import StaffMember

LOW_SCORE = 3  # items scored 3 or less get an improvement plan
EVIDENCE_MAX = 4000


def score_field(key: str) -> str:
    return f"score_{key}"


def evidence_field(key: str) -> str:
    return f"evidence_{key}"


@dataclass(frozen=True)
class ReviewData:
    reviewed_on: dt.date
    reviewers: Sequence[StaffMember]
    scores: Mapping[str, int | None]
    evidence: Mapping[str, str] = field(default_factory=dict)


def eligible_reviewers(team: CoachingTeam) -> list[StaffMember]:
    """Staff of the team's organisations and the team's leaders, active."""
    return list(
        StaffMember.objects.filter(
            Q(organisation__in=team.organisations.all()) | Q(led_coaching_teams=team),
            is_active=True,
        )
        .select_related("user", "organisation")
        .distinct()
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _require_review(staff: StaffMember, team: CoachingTeam) -> None:
    if not may_review(staff, team):
        raise PermissionDenied(_("Vain tiimin vetäjä tekee laatuarvioinnin."))


def _clean(team: CoachingTeam, data: ReviewData, prefills: Mapping[str, Prefill]) -> dict[str, int]:
    scale = scale_get()
    errors: dict[str, list[str]] = {}
    if data.reviewed_on > timezone.localdate():
        errors["reviewed_on"] = [_("Arviointipäivä ei voi olla tulevaisuudessa.")]
    if not data.reviewers:
        errors["reviewers"] = [_("Valitse vähintään yksi arvioija.")]
    else:
        allowed = {staff.pk for staff in eligible_reviewers(team)}
        if any(staff.pk not in allowed for staff in data.reviewers):
            errors["reviewers"] = [_("Arvioijan pitää olla tiimin organisaatiosta tai vetäjä.")]
    given = {key: value for key, value in data.scores.items() if value is not None}
    try:
        checked = scores_check(scale, given)
    except ScoreError as exc:
        for key in exc.errors:
            errors[score_field(key) if key in scale.keys else "__all__"] = [
                _("Pisteiden pitää olla 1–5.")
            ]
        checked = {}
    for key, note in data.evidence.items():
        if key not in scale.keys:
            errors["__all__"] = [_("Tuntematon kohta.")]
        elif len(note) > EVIDENCE_MAX:
            errors[evidence_field(key)] = [_("Perustelu on liian pitkä.")]
    for key, prefill in prefills.items():
        chosen = checked.get(key)
        overridden = chosen is not None and prefill.score is not None and chosen != prefill.score
        if overridden and not data.evidence.get(key, "").strip():
            errors[evidence_field(key)] = [
                _("Kirjoita perustelu, kun pisteet poikkeavat tiedoista lasketuista.")
            ]
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def fidelity_review_save(
    *,
    staff: StaffMember,
    team: CoachingTeam,
    data: ReviewData,
    review: FidelityReview | None = None,
) -> FidelityReview:
    """Create a review (or rewrite one) with every item's score, evidence and pre-fill.

    The pre-filled figures are counted for the review day; a score other than the figure's
    needs an evidence note. Nothing is written unless everything is valid.
    """
    _require_review(staff, team)
    if review is not None and review.team_id != team.pk:
        raise PermissionDenied
    scale = scale_get()
    prefills = prefills_compute(scale, team, data.reviewed_on)
    checked = _clean(team, data, prefills)
    result = score(scale, checked)
    now = timezone.now()
    if review is None:
        review = FidelityReview(team=team, created_by=staff, created_at=now)
    review.reviewed_on = data.reviewed_on
    review.scale_version = scale.version
    review.total = result.total
    review.band = result.band or ""
    review.complete = result.complete
    review.updated_at = now
    review.save()
    review.reviewers.set(data.reviewers)
    FidelityItemScore.objects.filter(review=review).delete()
    FidelityItemScore.objects.bulk_create(
        [
            FidelityItemScore(
                review=review,
                item_key=key,
                score=checked.get(key),
                evidence=data.evidence.get(key, "").strip(),
                prefill_score=prefills[key].score if key in prefills else None,
                prefill_figure=prefills[key].as_json() if key in prefills else None,
            )
            for key in scale.keys
        ]
    )
    return review


@dataclass(frozen=True)
class ActionData:
    item_key: str
    what: str
    who: str
    due_on: dt.date


@transaction.atomic
def improvement_action_add(
    *, staff: StaffMember, review: FidelityReview, data: ActionData
) -> ImprovementAction:
    """A step of the plan for a low item (scored 3 or less, or not scored)."""
    _require_review(staff, review.team)
    errors: dict[str, list[str]] = {}
    item = review.item_scores.filter(item_key=data.item_key).first()
    if item is None:
        errors["item_key"] = [_("Tuntematon kohta.")]
    elif item.score is not None and item.score > LOW_SCORE:
        errors["item_key"] = [_("Kehittämissuunnitelma tehdään kohdille, joiden pisteet ovat 1–3.")]
    if not data.what.strip():
        errors["what"] = [_("Kerro, mitä tehdään.")]
    if not data.who.strip():
        errors["who"] = [_("Kerro, kuka vastaa.")]
    if data.due_on < review.reviewed_on:
        errors["due_on"] = [_("Määräpäivä ei voi olla ennen arviointipäivää.")]
    if errors:
        raise ValidationError(errors)
    return ImprovementAction.objects.create(
        review=review,
        item_key=data.item_key,
        what=data.what.strip(),
        who=data.who.strip(),
        due_on=data.due_on,
        created_by=staff,
    )
