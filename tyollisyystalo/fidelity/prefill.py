"""Pre-filling the items the product has data for (issue 14 part 6): a figure from the team's
records and the score the scale's anchors give it. The reviewer confirms or overrides it.

The rating functions are pure; each ``*_figure`` selector is one aggregate query over the
team's records, whatever their number. Figures are counted on the review day ``on``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tyollisyystalo.coaching.models import Placement, SupportContact, SupportContactKind
from tyollisyystalo.employers.models import CoachingTeam, EmployerContact
from tyollisyystalo.fidelity.definition import DefinitionError, Scale
from tyollisyystalo.ips.scope import active_on, team_periods
from tyollisyystalo.ips.selectors import first_contacts

CONTACT_WEEKS = 4  # the manual counts a month of job development
RAPID_DAYS = 30  # "within one month" of the start of coaching
LOOKBACK_DAYS = 365  # placements and starts of the year before the review
FOLLOW_ALONG_DAYS = 31


@dataclass(frozen=True)
class Prefill:
    """``value`` is a per-coach figure or a percentage; ``count`` of ``base`` is what it is
    counted from. ``score`` is None when there is nothing to count."""

    kind: str
    value: Decimal | None
    count: int
    base: int
    score: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "value": None if self.value is None else str(self.value),
            "count": self.count,
            "base": self.base,
        }


# Pure ratings: the scale's anchors for each figure.


def caseload_score(per_coach: Decimal) -> int:
    """5 = 20 or fewer active clients per coach, 4 = 21–25, 3 = 26–30, 2 = 31–40, 1 = 41+."""
    for limit, points in ((20, 5), (25, 4), (30, 3), (40, 2)):
        if per_coach <= limit:
            return points
    return 1


def contacts_score(per_week: Decimal) -> int:
    """5 = six or more face-to-face employer contacts a week, 4 = five, 3 = three or four,
    2 = two, 1 = one or fewer."""
    for floor, points in ((6, 5), (5, 4), (3, 3), (2, 2)):
        if per_week >= floor:
            return points
    return 1


def _by_share(percent: Decimal, floors: tuple[int, int, int, int]) -> int:
    for floor, points in zip(floors, (5, 4, 3, 2), strict=True):
        if percent >= floor:
            return points
    return 1


def share_score(percent: Decimal) -> int:
    """5 = 90 % or more ("nearly all"), 4 = 75–89, 3 = 50–74, 2 = 25–49, 1 = under 25."""
    return _by_share(percent, (90, 75, 50, 25))


def diversity_score(percent: Decimal) -> int:
    """5 = 85 % or more of jobs different, 4 = 70–84, 3 = 60–69, 2 = 50–59, 1 = under 50."""
    return _by_share(percent, (85, 70, 60, 50))


def competitive_score(percent: Decimal) -> int:
    """5 = 95 % or more competitive, 4 = 85–94, 3 = 75–84, 2 = 65–74, 1 = under 65."""
    return _by_share(percent, (95, 85, 75, 65))


def _ratio(count: int, base: int) -> Decimal:
    return (Decimal(count) / Decimal(base)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percent(count: int, base: int) -> Decimal:
    return (Decimal(100 * count) / Decimal(base)).quantize(Decimal("1"), ROUND_HALF_UP)


def _share(kind: str, count: int, base: int, rate: Callable[[Decimal], int]) -> Prefill:
    if base == 0:
        return Prefill(kind, None, 0, 0, None)
    percent = _percent(count, base)
    return Prefill(kind, percent, count, base, rate(percent))


# Figures from the team's records.


def caseload_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Open coaching periods per coach holding at least one, on the review day."""
    row = active_on(team_periods(team), on).aggregate(
        periods=Count("pk"), coaches=Count("coach", distinct=True)
    )
    if not row["coaches"]:
        return Prefill("caseload", None, 0, 0, None)
    per_coach = _ratio(row["periods"], row["coaches"])
    return Prefill("caseload", per_coach, row["periods"], row["coaches"], caseload_score(per_coach))


def job_development_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Face-to-face employer contacts a week per coach in the four weeks up to the review day,
    by the coaches holding open periods then."""
    active = active_on(team_periods(team), on)
    n_coaches = active.aggregate(n=Count("coach", distinct=True))["n"]
    if not n_coaches:
        return Prefill("job_development", None, 0, 0, None)
    since = on - dt.timedelta(days=7 * CONTACT_WEEKS - 1)
    face = EmployerContact.objects.filter(
        employer__team=team,
        coach__in=active.values("coach"),
        face_to_face=True,
        contacted_on__range=(since, on),
    ).count()
    per_week = _ratio(face, n_coaches * CONTACT_WEEKS)
    return Prefill("job_development", per_week, face, n_coaches, contacts_score(per_week))


def rapid_job_search_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Of the periods started in the year before the review (and at least a month before it),
    the share whose client had a first employer contact within 30 days of the start."""
    periods = team_periods(team).filter(
        started_on__range=(on - dt.timedelta(days=LOOKBACK_DAYS), on - dt.timedelta(RAPID_DAYS))
    )
    rows = [(started_on, first) for _, started_on, first in first_contacts(periods)]
    started = 0
    rapid = 0
    for started_on, first in rows:
        started += 1
        if first is not None and (first - started_on).days <= RAPID_DAYS:
            rapid += 1
    return _share("rapid_job_search", rapid, started, share_score)


def _placements(team: CoachingTeam, on: dt.date) -> list[tuple[str, int | None, str, bool]]:
    return list(
        Placement.objects.filter(
            period__in=team_periods(team),
            started_on__range=(on - dt.timedelta(days=LOOKBACK_DAYS), on),
        ).values_list("job_title", "employer_id", "employer_name", "competitive")
    )


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def job_types_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Different job titles among the jobs started in the year before the review."""
    rows = _placements(team, on)
    distinct = len({_normal(title) for title, _, _, _ in rows})
    return _share("job_types", distinct, len(rows), diversity_score)


def employers_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Different employers among the jobs started in the year before the review."""
    rows = _placements(team, on)
    distinct = len({employer or _normal(name) for _, employer, name, _ in rows})
    return _share("employers", distinct, len(rows), diversity_score)


def competitive_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Competitive jobs among the jobs started in the year before the review."""
    rows = _placements(team, on)
    competitive = sum(1 for *_, is_competitive in rows if is_competitive)
    return _share("competitive", competitive, len(rows), competitive_score)


def follow_along_figure(team: CoachingTeam, on: dt.date) -> Prefill:
    """Of the clients working on the review day (a job open then), the share who had support
    from the coach in the month before: support goes on as long as the job does."""
    since = on - dt.timedelta(days=FOLLOW_ALONG_DAYS - 1)
    supported = SupportContact.objects.filter(
        period=OuterRef("period"),
        contacted_on__range=(since, on),
        kind__in=[SupportContactKind.FOLLOW_ALONG, SupportContactKind.WITH_EMPLOYER],
    )
    rows = (
        Placement.objects.filter(period__in=team_periods(team), started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .annotate(supported=Exists(supported))
        .values_list("period", "supported")
    )
    working: set[object] = set()
    with_support: set[object] = set()
    for period_id, has_support in rows:
        working.add(period_id)
        if has_support:
            with_support.add(period_id)
    return _share("follow_along", len(with_support), len(working), share_score)


PREFILLS: dict[str, Callable[[CoachingTeam, dt.date], Prefill]] = {
    "caseload_size": caseload_figure,
    "job_development_frequency": job_development_figure,
    "rapid_job_search": rapid_job_search_figure,
    "diversity_of_job_types": job_types_figure,
    "diversity_of_employers": employers_figure,
    "competitive_jobs": competitive_figure,
    "time_unlimited_follow_along": follow_along_figure,
}


def prefills_check(scale: Scale) -> None:
    for item in scale.items:
        if item.prefill is not None and item.prefill not in PREFILLS:
            raise DefinitionError(f"{scale.version} item {item.key}: no pre-fill {item.prefill}")


def prefills_compute(scale: Scale, team: CoachingTeam, on: dt.date) -> dict[str, Prefill]:
    """The pre-filled items of the scale, by item key (a handful of queries in all)."""
    return {
        item.key: PREFILLS[item.prefill](team, on)
        for item in scale.items
        if item.prefill is not None
    }


def figure_text(figure: dict[str, object]) -> str:
    """The figure as the reviewer reads it next to the pre-filled score."""
    kind = figure.get("kind")
    raw = figure.get("value")
    if raw is None:
        return _("Ei tietoja laskettavaksi.")
    value = Decimal(str(raw))
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    params = {
        "value": number_format(value, decimal_pos=None),
        "count": figure.get("count"),
        "base": figure.get("base"),
    }
    texts = {
        "caseload": _(
            "%(value)s avointa valmennusjaksoa valmentajaa kohden "
            "(%(count)s jaksoa, %(base)s valmentajaa)"
        ),
        "job_development": _(
            "%(value)s kasvokkaista työnantajatapaamista viikossa valmentajaa kohden "
            "(%(count)s tapaamista neljässä viikossa, %(base)s valmentajaa)"
        ),
        "rapid_job_search": _(
            "%(value)s %%: ensimmäinen työnantajayhteys 30 päivän sisällä valmennuksen alusta "
            "(%(count)s / %(base)s jaksoa)"
        ),
        "job_types": _(
            "%(value)s %% eri tehtävissä (%(count)s eri tehtävää / %(base)s työsuhdetta)"
        ),
        "employers": _(
            "%(value)s %% eri työnantajilla (%(count)s eri työnantajaa / %(base)s työsuhdetta)"
        ),
        "competitive": _(
            "%(value)s %% avoimilla työmarkkinoilla (%(count)s / %(base)s työsuhdetta)"
        ),
        "follow_along": _(
            "%(value)s %% työssä olevista sai tukea viimeisen kuukauden aikana "
            "(%(count)s / %(base)s)"
        ),
    }
    return texts.get(str(kind), "%(value)s") % params
