"""A survey's results for the management pages: per item the mean and the distribution, per
municipality the number of answers, the employer's free texts; every figure through the
small-number rule (``management.disclosure``): nothing is shown below five answers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    differenced,
    is_small,
    protect_counts,
    protect_mean_of_counts,
    protect_rate,
)
from tyollisyystalo.management.snapshots import snapshots_read, snapshots_write
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.surveys.definitions import Survey, SurveyItem, survey_current
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
    change: Figure | None = None  # the mean change of a survey that measures one


REPORT = "survey_results"


@dataclass(frozen=True)
class Counted:
    """What the results are made of, as counted (no text, no person): answers in all and per
    municipality (its id, None: not known), and per item how many gave each value, per item
    and municipality for the indicator item."""

    total: int
    per_place: dict[int | None, int]
    counts: dict[str, dict[int, int]]
    indicator: dict[int | None, dict[int, int]]

    def encoded(self) -> dict[str, object]:
        # Lists, not objects: JSON keys would turn the ids and values into strings.
        return {
            "total": self.total,
            "per_place": [[place, n] for place, n in self.per_place.items()],
            "counts": [[item, list(values.items())] for item, values in self.counts.items()],
            "indicator": [
                [place, list(values.items())] for place, values in self.indicator.items()
            ],
        }

    @classmethod
    def decoded(cls, payload: dict[str, Any]) -> Counted:
        return cls(
            total=payload["total"],
            per_place=dict(map(tuple, payload["per_place"])),
            counts={item: dict(map(tuple, pairs)) for item, pairs in payload["counts"]},
            indicator={place: dict(map(tuple, pairs)) for place, pairs in payload["indicator"]},
        )


def _scoped(
    survey: Survey,
    organisation_ids: Collection[int] | None,
    municipality_code: str | None,
    period: Period,
    using: str,
) -> tuple[QuerySet[Answer], QuerySet[AnswerValue]]:
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
    return answers, values


def _count(answers: QuerySet[Answer], values: QuerySet[AnswerValue], survey: Survey) -> Counted:
    """Four grouped queries over the answers of the scope."""
    per_place = {
        row["municipality"]: row["n"]
        for row in answers.values("municipality").annotate(n=Count("*")).order_by()
    }
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for row in values.values("item", "value").annotate(n=Count("*")).order_by():
        counts[row["item"]][row["value"]] = row["n"]
    indicator: dict[int | None, dict[int, int]] = defaultdict(dict)
    for row in (
        values.filter(item=survey.indicator_item)
        .values("municipality", "value")
        .annotate(n=Count("*"))
        .order_by()
    ):
        indicator[row["municipality"]][row["value"]] = row["n"]
    return Counted(sum(per_place.values()), per_place, dict(counts), dict(indicator))


def survey_results_recount(
    params_list: Iterable[dict[str, Any]], *, today: dt.date, using: str
) -> int:
    """Count again the kept results of these parameters (``run_scheduled``, ADR 0026); a
    survey no longer shipped is left to expire. Returns how many were counted."""
    counted = []
    for params in params_list:
        try:
            survey = survey_current(str(params["survey"]))
            period = period_parse(str(params["period"]))
        except (KeyError, ValueError):
            continue
        answers, values = _scoped(
            survey, params["organisations"], params["municipality"], period, using
        )
        counted.append((params, _count(answers, values, survey).encoded()))
    snapshots_write(REPORT, counted, today=today)
    return len(counted)


def _kept(
    survey: Survey,
    organisation_ids: Collection[int] | None,
    municipality_code: str | None,
    period: Period,
    using: str,
    today: dt.date,
) -> Counted:
    """The scope's counts from the reporting store while fresh (ADR 0026), else counted and
    kept."""
    params = {
        "survey": survey.key,
        "organisations": None if organisation_ids is None else sorted(organisation_ids),
        "municipality": municipality_code,
        "period": period.key,
    }
    stored = snapshots_read(REPORT, [params], today=today)
    if not stored:
        answers, values = _scoped(survey, organisation_ids, municipality_code, period, using)
        stored = snapshots_write(
            REPORT, [(params, _count(answers, values, survey).encoded())], today=today
        )
    [kept] = stored.values()
    return Counted.decoded(kept.payload)


NOTHING = Counted(0, {}, {}, {})


def survey_results(
    *,
    survey: Survey,
    organisation_ids: Collection[int] | None,
    municipality_code: str | None,
    period: Period,
    language: str,
    texts_allowed: bool,
    using: str,
    today: dt.date | None = None,
    reader_organisation_id: int | None = None,
) -> SurveyResults:
    """The results of every version of ``survey`` answered in ``period`` within the scope,
    from the reporting store; the employer's free texts (never kept there) read when the reader
    may see them. In the region's view, ``reader_organisation_id`` (the reader's own
    organisation, whose results they also see) hides every figure that differs from their own
    by 1–4 answers (``disclosure.differenced``)."""
    today = today or timezone.localdate()
    counted = _kept(survey, organisation_ids, municipality_code, period, using, today)
    own = None
    if organisation_ids is None and reader_organisation_id is not None:
        own = _kept(survey, [reader_organisation_id], municipality_code, period, using, today)
    mine = own or NOTHING
    shown = counted.total >= MIN_COUNT
    items = [
        _item_result(
            item,
            counted.counts.get(item.key, {}),
            language,
            None if own is None else mine.counts.get(item.key, {}),
        )
        for item in survey.items
        if item.counted
    ]
    texts = None
    if texts_allowed and any(i.kind == "text" for i in survey.items):
        answers, _values = _scoped(survey, organisation_ids, municipality_code, period, using)
        texts = _texts(answers) if shown else []
    total_hidden = 0 < counted.total < MIN_COUNT or (
        own is not None and is_small(counted.total - mine.total)
    )
    change = _change(survey, counted.counts) if shown else None
    if change is not None and own is not None and total_hidden:
        change = Figure(None, suppressed=True)
    return SurveyResults(
        change=change,
        survey=survey,
        answers=Figure(counted.total, total_hidden),
        shown=shown,
        items=items if shown else [],
        municipalities=_municipalities(counted, using, own) if shown else [],
        texts=texts,
    )


def _change(survey: Survey, counts: dict[str, dict[int, int]]) -> Figure | None:
    """The mean of end minus start: both items are required, so it is the difference of their
    sums over the same answers divided by their number; hidden below five answers."""
    if survey.change is None:
        return None
    start, end = (counts.get(key, {}) for key in survey.change)
    answered = sum(start.values())
    if answered < MIN_COUNT or sum(end.values()) != answered:
        return Figure(None, suppressed=answered > 0)
    total = sum(v * n for v, n in end.items()) - sum(v * n for v, n in start.items())
    return Figure(round(total / answered, 1), decimals=1)


def _item_result(
    item: SurveyItem,
    counts: dict[int, int],
    language: str,
    own: dict[int, int] | None = None,
) -> ItemResult:
    """One item's distribution and mean (or share of yes); ``own``: the reader's own
    organisation's counts, in the region's view."""
    answered = sum(counts.values())
    if item.kind == "scale":
        keys = [str(v) for v in item.scale_values]
        by_key = {str(v): counts.get(v, 0) for v in item.scale_values}
        mine = {} if own is None else {str(v): own.get(v, 0) for v in item.scale_values}
        summary = protect_mean_of_counts(counts)
    else:
        keys = [_("Kyllä"), _("Ei")]
        by_key = {keys[0]: counts.get(1, 0), keys[1]: counts.get(0, 0)}
        mine = {} if own is None else {keys[0]: own.get(1, 0), keys[1]: own.get(0, 0)}
        summary = protect_rate(by_key[keys[0]], answered)
    apart = own is not None and is_small(answered - sum(own.values()))
    also = differenced(by_key, mine)
    if apart or (item.kind != "scale" and keys[0] in also):
        summary = Figure(None, suppressed=True)
    figures, shown_total = protect_counts(by_key, total=answered, also=also, total_also=apart)
    assert shown_total is not None
    if any(figure.suppressed for figure in figures.values()):
        # A share of yes is the split itself; a mean with the number who answered would give
        # two hidden counts of a scale back (two equations). So with any count hidden, a
        # yes/no item shows no share, and a scale item no distribution (its mean stays).
        if item.kind == "scale":
            figures = {key: Figure(f.value, suppressed=True) for key, f in figures.items()}
        else:
            summary = Figure(None, suppressed=True)
    return ItemResult(
        item=item,
        label=item.label.get(language),
        summary=summary,
        distribution=[(key, figures[key]) for key in keys],
        answered=shown_total,
    )


def _municipalities(
    counted: Counted, using: str, own: Counted | None = None
) -> list[MunicipalityRow]:
    """Answers and the indicator item's mean per municipality, with the total's suppression
    (and, in the region's view, the places that differ from the reader's own by 1–4)."""
    per_place = counted.per_place
    also = () if own is None else differenced(per_place, own.per_place)
    figures, _total = protect_counts(per_place, total=sum(per_place.values()), also=also)
    names = {
        m.pk: m.name
        for m in Municipality.objects.using(using).filter(
            pk__in=[place for place in per_place if place is not None]
        )
    }
    rows = []
    for place, figure in figures.items():
        name = names.get(place, "") if place is not None else _("Kunta ei tiedossa")
        answers = counted.indicator.get(place, {})
        apart = own is not None and is_small(
            sum(answers.values()) - sum(own.indicator.get(place, {}).values())
        )
        mean = (
            Figure(None, suppressed=True)
            if figure.suppressed or apart
            else protect_mean_of_counts(answers)
        )
        rows.append(MunicipalityRow(name, figure, mean))
    return sorted(rows, key=lambda r: r.name)


def _texts(answers: QuerySet[Answer]) -> list[str]:
    found: list[str] = []
    for raw in answers.exclude(texts="").values_list("texts", flat=True):
        found += [text for text in json.loads(raw).values() if text]
    return sorted(found)  # no order of answering
