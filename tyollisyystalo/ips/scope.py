"""Which coaching periods and coaches a team's measures are counted over (one place for both
the IPS measures and the fidelity review's pre-fill)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from tyollisyystalo.coaching.models import CoachingPeriod
from tyollisyystalo.employers.models import CoachingTeam


def team_periods(team: CoachingTeam) -> QuerySet[CoachingPeriod]:
    """The team's coaching periods: those set to the team, and those without a team kept by
    one of the team's organisations."""
    return CoachingPeriod.objects.filter(
        Q(team=team) | Q(team__isnull=True, owner_organisation__coaching_teams=team)
    )


def active_on(periods: QuerySet[CoachingPeriod], on: dt.date) -> QuerySet[CoachingPeriod]:
    """Periods open on the day: started by then and not ended before or on it."""
    return periods.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
