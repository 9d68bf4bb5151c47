"""A survey's results for the management pages: per item the mean and the distribution, per
municipality the number of answers, the employer's free texts; every figure through the
small-number rule (``management.disclosure``): nothing is shown below five answers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    protect_counts,
    protect_mean,
    protect_rate,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.surveys.definitions import Survey, SurveyItem
from tyollisyystalo.surveys.models import Answer, AnswerValue
from tyollisyystalo.surveys.selectors import month_of

PERIOD = re.compile(r"^(?P<year>20\d\d)(?:Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    key: str  # 2026Q4 or 2026
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if "Q" in self.key:
            year, quarter = self.key.split("Q")
            return _("%(quarter)s. neljännes %(year)s") % {"quarter": quarter, "year": year}
        return _("vuosi %(year)s") % {"year": self.key}


def period_parse(key: str) -> Period:
    """``2026Q4`` (a quarter) or ``2026`` (a year); ``ValueError`` otherwise."""
    found = PERIOD.match(key.strip())
    if found is None:
        raise ValueError(key)
    year = int(found["year"])
    if found["quarter"] is None:
        return Period(key, dt.date(year, 1, 1), dt.date(year, 12, 31))
    quarter = int(found["quarter"])
    start = dt.date(year, quarter * 3 - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1)
    return Period(key, start, following - dt.timedelta(days=1))


def quarter_of(day: dt.date) -> Period:
    return period_parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def periods_recent(today: dt.date, quarters: int = 8) -> list[Period]:
    """The latest quarters, newest first, then this year and last year."""
    found: list[Period] = []
    day = today
    for _n in range(quarters):
        period = quarter_of(day)
        found.append(period)
        day = period.start - dt.timedelta(days=1)
    return [*found, period_parse(str(today.year)), period_parse(str(today.year - 1))]


@dataclass(frozen=True)
class ItemResult:
    item: SurveyItem
    label: str
    summary: Figure  # the mean of a scale, the share of "yes" of a yes/no item (%)
    distribution: list[tuple[str, Figure]]
    answered: Figure


@dataclass(frozen=True)
class MunicipalityRow:
    name: str
    answers: Figure
    mean: Figure


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    answers: Figure
    shown: bool  # at least five answers
    items: list[ItemResult]
    municipalities: list[MunicipalityRow]
    texts: list[str] | None  # None: not for this reader or this view


def survey_results(
    *,
    survey: Survey,
    organisation_ids: Collection[int] | None,
    municipality_code: str | None,
    period: Period,
    language: str,
    texts_allowed: bool,
    using: str,
) -> SurveyResults:
    """The results of every version of ``survey`` answered in ``period`` within the scope."""
    answers = Answer.objects.using(using).filter(
        survey=survey.key, month__gte=month_of(period.start), month__lte=period.end
    )
    values = AnswerValue.objects.using(using).filter(
        survey=survey.key, month__gte=month_of(period.start), month__lte=period.end
    )
    if organisation_ids is not None:
        answers = answers.filter(organisation_id__in=list(organisation_ids))
        values = values.filter(organisation_id__in=list(organisation_ids))
    if municipality_code is not None:
        answers = answers.filter(municipality__code=municipality_code)
        values = values.filter(municipality__code=municipality_code)
    total = answers.count()
    shown = total >= MIN_COUNT
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for row in values.values("item", "value").annotate(n=Count("*")).order_by():
        counts[row["item"]][row["value"]] = row["n"]
    items = [
        _item_result(item, counts.get(item.key, {}), language)
        for item in survey.items
        if item.counted
    ]
    texts = None
    if texts_allowed and any(i.kind == "text" for i in survey.items):
        texts = _texts(answers) if shown else []
    return SurveyResults(
        survey=survey,
        answers=Figure(total, 0 < total < MIN_COUNT),
        shown=shown,
        items=items if shown else [],
        municipalities=_municipalities(survey, answers, values) if shown else [],
        texts=texts,
    )


def _expand(counts: dict[int, int]) -> list[float]:
    return [float(value) for value, n in sorted(counts.items()) for _n in range(n)]


def _item_result(item: SurveyItem, counts: dict[int, int], language: str) -> ItemResult:
    answered = sum(counts.values())
    if item.kind == "scale":
        keys = [str(v) for v in item.scale_values]
        by_key = {str(v): counts.get(v, 0) for v in item.scale_values}
        summary = protect_mean(_expand(counts))
    else:
        keys = [_("Kyllä"), _("Ei")]
        by_key = {keys[0]: counts.get(1, 0), keys[1]: counts.get(0, 0)}
        summary = protect_rate(by_key[keys[0]], answered)
    figures, shown_total = protect_counts(by_key, total=answered)
    assert shown_total is not None
    return ItemResult(
        item=item,
        label=item.label.get(language),
        summary=summary,
        distribution=[(key, figures[key]) for key in keys],
        answered=shown_total,
    )


def _municipalities(
    survey: Survey, answers: QuerySet[Answer], values: QuerySet[AnswerValue]
) -> list[MunicipalityRow]:
    """Answers and the indicator item's mean per municipality, with the total's suppression."""
    per_place = {
        row["municipality"]: row["n"]
        for row in answers.values("municipality").annotate(n=Count("*")).order_by()
    }
    indicator: dict[int | None, dict[int, int]] = defaultdict(dict)
    for row in (
        values.filter(item=survey.indicator_item)
        .values("municipality", "value")
        .annotate(n=Count("*"))
        .order_by()
    ):
        indicator[row["municipality"]][row["value"]] = row["n"]
    figures, _total = protect_counts(per_place, total=sum(per_place.values()))
    names = {
        m.pk: m.name for m in Municipality.objects.using(answers.db).filter(pk__in=list(per_place))
    }
    rows = []
    for place, figure in figures.items():
        name = names.get(place, "") if place is not None else _("Kunta ei tiedossa")
        mean = (
            Figure(None, suppressed=True)
            if figure.suppressed
            else protect_mean(_expand(indicator[place]))
        )
        rows.append(MunicipalityRow(name, figure, mean))
    return sorted(rows, key=lambda r: r.name)


def _texts(answers: QuerySet[Answer]) -> list[str]:
    found: list[str] = []
    for raw in answers.exclude(texts="").values_list("texts", flat=True):
        found += [text for text in json.loads(raw).values() if text]
    return sorted(found)  # no order of answering
