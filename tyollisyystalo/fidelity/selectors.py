"""Reads of fidelity reviews, always within the teams the reader may see (else 404)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.fidelity.access import review_teams
from tyollisyystalo.fidelity.definition import Item, Scale, scale_get
from tyollisyystalo.fidelity.models import FidelityItemScore, FidelityReview, ImprovementAction
from tyollisyystalo.fidelity.prefill import figure_text
from tyollisyystalo.fidelity.services import LOW_SCORE
from tyollisyystalo.instruments.charts import Chart, line_chart
from tyollisyystalo.staff.models import StaffMember


def team_get(*, staff: StaffMember, team_id: int) -> CoachingTeam:
    team = review_teams(staff).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def review_get(*, staff: StaffMember, review_id: int) -> FidelityReview:
    review = (
        FidelityReview.objects.select_related("team")
        .filter(pk=review_id, team__in=review_teams(staff))
        .first()
    )
    if review is None:
        raise Http404
    return review


@dataclass(frozen=True)
class HistoryRow:
    review: FidelityReview
    section_totals: tuple[int | None, ...]
    reviewer_names: tuple[str, ...]


@dataclass(frozen=True)
class History:
    charts: tuple[Chart, ...]  # the complete reviews' totals; none without one
    sections: tuple[str, ...]
    rows: tuple[HistoryRow, ...]  # newest first


def team_history(team: CoachingTeam, language: str) -> History:
    """Every review of the team with section subtotals, and a chart of the complete reviews'
    totals over time (three queries, whatever the number of reviews)."""
    reviews = list(
        FidelityReview.objects.filter(team=team)
        .prefetch_related("item_scores", "reviewers__user")
        .order_by("reviewed_on", "pk")
    )
    scale = scale_get()
    rows = []
    for review in reviews:
        by_key = {item.item_key: item.score for item in review.item_scores.all()}
        totals: list[int | None] = []
        for section in scale.sections:
            scores = [by_key.get(i.key) for i in scale.items if i.section == section.key]
            totals.append(None if None in scores else sum(s for s in scores if s is not None))
        rows.append(
            HistoryRow(
                review,
                tuple(totals),
                tuple(staff.display_name for staff in review.reviewers.all()),
            )
        )
    complete = [(r.reviewed_on, Decimal(r.total)) for r in reviews if r.complete]
    charts: tuple[Chart, ...] = ()
    if complete:
        charts = (
            line_chart(
                str(scale.name.get(language)),
                complete,
                y_min=Decimal(scale.minimum),
                y_max=Decimal(scale.maximum),
                threshold=Decimal(scale.band("good").minimum),
            ),
        )
    return History(
        charts, tuple(s.name.get(language) for s in scale.sections), tuple(reversed(rows))
    )


def previous_review(review: FidelityReview) -> FidelityReview | None:
    return (
        FidelityReview.objects.filter(team_id=review.team_id)
        .filter(
            Q(reviewed_on__lt=review.reviewed_on)
            | Q(reviewed_on=review.reviewed_on, pk__lt=review.pk)
        )
        .order_by("-reviewed_on", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ItemRow:
    item: Item
    title: str
    score: int | None
    anchor: str
    evidence: str
    prefill_score: int | None
    figure: str
    previous: int | None
    change: int | None
    low: bool
    actions: tuple[ImprovementAction, ...]

    @property
    def overridden(self) -> bool:
        return (
            self.prefill_score is not None
            and self.score is not None
            and self.score != self.prefill_score
        )


@dataclass(frozen=True)
class SectionRows:
    name: str
    rows: tuple[ItemRow, ...]
    total: int | None


@dataclass(frozen=True)
class ReviewDetail:
    review: FidelityReview
    scale: Scale
    previous: FidelityReview | None
    sections: tuple[SectionRows, ...]
    band_name: str
    reviewer_names: tuple[str, ...]
    low_rows: tuple[ItemRow, ...]


def review_detail(review: FidelityReview, language: str) -> ReviewDetail:
    """Each item with its anchor, evidence, pre-fill and change from the previous review."""
    scale = scale_get(review.scale_version)
    items: dict[str, FidelityItemScore] = {i.item_key: i for i in review.item_scores.all()}
    previous = previous_review(review)
    before: dict[str, int | None] = {}
    if previous is not None:
        before = dict(previous.item_scores.values_list("item_key", "score"))
    actions: dict[str, list[ImprovementAction]] = {}
    for action in review.actions.all():
        actions.setdefault(action.item_key, []).append(action)
    sections = []
    low = []
    for section in scale.sections:
        rows = []
        for item in (i for i in scale.items if i.section == section.key):
            stored = items.get(item.key)
            value = stored.score if stored else None
            old = before.get(item.key)
            row = ItemRow(
                item=item,
                title=item.title.get(language),
                score=value,
                anchor=item.anchor(value, language) if value else "",
                evidence=stored.evidence if stored else "",
                prefill_score=stored.prefill_score if stored else None,
                figure=figure_text(stored.prefill_figure)
                if stored and stored.prefill_figure
                else "",
                previous=old,
                change=None if value is None or old is None else value - old,
                low=value is None or value <= LOW_SCORE,
                actions=tuple(actions.get(item.key, ())),
            )
            rows.append(row)
            if row.low:
                low.append(row)
        scores = [r.score for r in rows]
        total = None if None in scores else sum(s for s in scores if s is not None)
        sections.append(SectionRows(section.name.get(language), tuple(rows), total))
    band_name = scale.band(review.band).name.get(language) if review.band else ""
    return ReviewDetail(
        review=review,
        scale=scale,
        previous=previous,
        sections=tuple(sections),
        band_name=band_name,
        reviewer_names=tuple(s.display_name for s in review.reviewers.select_related("user").all()),
        low_rows=tuple(low),
    )
