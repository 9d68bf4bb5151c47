"""Demo data: two fidelity reviews of the demo coaching team, six months apart (issue 14 part 9).

Wire with ``seed_fidelity_reviews()`` after ``seed_employer_register()`` (and after the coaching
demo data, so that the pre-filled figures have periods to count).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tyollisyystalo.employers.demo import TEAM_NAME
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.fidelity.definition import scale_get
from tyollisyystalo.fidelity.models import FidelityReview
from tyollisyystalo.fidelity.prefill import prefills_compute
from tyollisyystalo.fidelity.services import (
    ActionData,
    ReviewData,
    fidelity_review_save,
    improvement_action_add,
)

# Scores of the earlier and the later review where the records give no figure.
EARLIER = {"vocational_unit": 3, "disclosure": 2, "work_incentives_planning": 2}
LATER = {"vocational_unit": 4, "disclosure": 4, "work_incentives_planning": 3}
CONFIRMED = "Vahvistettu tiimin tiedoista."


def _review(team: CoachingTeam, on: dt.date, scores: dict[str, int]) -> None:
    leader = team.leaders.order_by("pk").first()
    if leader is None:
        return
    scale = scale_get()
    prefills = prefills_compute(scale, team, on)
    given: dict[str, int | None] = {}
    evidence: dict[str, str] = {}
    for item in scale.items:
        prefill = prefills.get(item.key)
        if prefill is not None and prefill.score is not None:
            given[item.key] = prefill.score
            evidence[item.key] = CONFIRMED
        else:
            given[item.key] = scores.get(item.key, 4)
    review = fidelity_review_save(
        staff=leader,
        team=team,
        data=ReviewData(reviewed_on=on, reviewers=[leader], scores=given, evidence=evidence),
    )
    low = [key for key, value in given.items() if value is not None and value <= 3]
    for key in low[:2]:
        improvement_action_add(
            staff=leader,
            review=review,
            data=ActionData(
                item_key=key,
                what="Käydään kohta läpi tiimipalaverissa ja sovitaan muutos.",
                who="Tiimin vetäjä",
                due_on=on + dt.timedelta(days=90),
            ),
        )


def seed_fidelity_reviews() -> int:
    """Two reviews of the demo team, 190 and 10 days ago, once; returns reviews created."""
    team = CoachingTeam.objects.filter(name=TEAM_NAME).first()
    if team is None or not team.leaders.exists():
        return 0
    if FidelityReview.objects.filter(team=team).exists():
        return 0
    today = timezone.localdate()
    _review(team, today - dt.timedelta(days=190), EARLIER)
    _review(team, today - dt.timedelta(days=10), LATER)
    return FidelityReview.objects.filter(team=team).count()
