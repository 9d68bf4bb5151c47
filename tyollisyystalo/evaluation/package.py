"""Building the package from stored rows: pseudonyms, months, age groups, CSV, zip (pure).

Every identifier becomes a pseudonym of this export (``pseudonyms``), every date a month and a
birth date an age group (``coarsening``). Rows are sorted by their pseudonyms, so not even the
order of rows is the same in two packages. A row whose parent is not in the package (a record
that appeared between two reads, or whose client is left out) is left out too, so every
foreign key holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tyollisyystalo.evaluation import schema
from tyollisyystalo.evaluation.coarsening import age_group, common_values, month, quarter
from tyollisyystalo.evaluation.pseudonyms import PseudonymCollision, Pseudonymiser
from tyollisyystalo.evaluation.selectors import SourceRows
from tyollisyystalo.management.disclosure import MIN_COUNT

Cells = Sequence[str]


@dataclass(frozen=True)
class Package:
    # file name → rows of cells in the schema's column order; in the numbered tables (events,
    # feedback) without the running number, which ``rows`` adds as the first cell
    tables: Mapping[str, Sequence[Cells]]
    numbered: frozenset[str] = frozenset()

    @property
    def clients(self) -> int:
        return len(self.tables[schema.CLIENTS.name])

    def rows(self, name: str) -> Iterator[list[str]]:
        if name in self.numbered:
            for number, row in enumerate(self.tables[name], start=1):
                yield [str(number), *row]
        else:
            for row in self.tables[name]:
                yield list(row)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def response_scores(result_json: str) -> tuple[Decimal | None, str, dict[str, Decimal]]:
    """An instrument result's total, band code and domain scores (codes, never texts)."""
    result: dict[str, Any] = json.loads(result_json or "{}")
    total = result.get("total")
    domains = {str(code): Decimal(str(v)) for code, v in (result.get("domains") or {}).items()}
    return (None if total is None else Decimal(str(total)), str(result.get("band") or ""), domains)


def earliest(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


TRUE, FALSE = "true", "false"


class _Tokens:
    """Pseudonyms of one kind of record, checked for collisions."""

    def __init__(self, pseudonymise: Pseudonymiser, kind: str) -> None:
        self._pseudonymise = pseudonymise
        self._kind = kind
        self.of: dict[uuid.UUID, str] = {}

    def add(self, identifier: uuid.UUID) -> str:
        token = self._pseudonymise(self._kind, identifier)
        self.of[identifier] = token
        return token

    def check(self) -> None:
        if len(set(self.of.values())) != len(self.of):
            raise PseudonymCollision(self._kind)


def _first(row: Cells) -> str:
    """The sort key of the numbered tables: the parent's pseudonym. The sort is stable, so the
    rows of one parent stay in the time order they were read in."""
    return row[0]


NUMBERED = frozenset(
    table.name
    for table in (
        schema.PATH_EVENTS,
        schema.PATH_DEADLINES,
        schema.WORK_TRIAL_FEEDBACK,
        schema.COACHING_EVENTS,
        schema.PLACEMENT_FEEDBACK,
    )
)


def package_build(source: SourceRows, pseudonymise: Pseudonymiser) -> Package:
    clients = _Tokens(pseudonymise, "client")
    paths = _Tokens(pseudonymise, "path")
    periods = _Tokens(pseudonymise, "period")
    placements = _Tokens(pseudonymise, "placement")
    responses = _Tokens(pseudonymise, "response")
    referrals = _Tokens(pseudonymise, "referral")

    birth = {client_id: birth_date for client_id, birth_date, _m in source.clients}
    for client_id, _b, _m in source.clients:
        clients.add(client_id)
    starts: dict[uuid.UUID, list[dt.date | None]] = defaultdict(list)

    path_rows: list[list[str]] = []
    for (
        case_id,
        client_id,
        route,
        status,
        referred,
        started,
        closed,
        outcome,
        outcome_on,
    ) in source.cases:
        if client_id not in clients.of:
            continue
        starts[client_id].append(referred)
        path_rows.append(
            [
                paths.add(case_id),
                clients.of[client_id],
                route,
                status,
                month(referred),
                month(started),
                month(closed),
                outcome,
                month(outcome_on),
            ]
        )

    period_rows: list[list[str]] = []
    for (
        period_id,
        client_id,
        case_id,
        kind,
        intensity,
        status,
        started,
        ended,
        reason,
    ) in source.periods:
        if client_id not in clients.of:
            continue
        starts[client_id].append(started)
        period_rows.append(
            [
                periods.add(period_id),
                clients.of[client_id],
                paths.of.get(case_id, "") if case_id else "",
                kind,
                intensity,
                status,
                month(started),
                month(ended),
                reason,
            ]
        )

    municipalities = common_values(
        {clients.of[client_id]: code or "" for client_id, _b, code in source.clients}
    )
    client_rows = [
        [
            token,
            age_group(birth[client_id], earliest(starts[client_id])),
            municipalities[token],
        ]
        for client_id, token in clients.of.items()
    ]

    # The largest tables: read as a stream, kept as tuples of shared strings.
    event_rows: list[tuple[str, ...]] = [
        (paths.of[case_id], month(on), *map(sys.intern, codes))
        for case_id, on, *codes in source.case_events
        if case_id in paths.of
    ]
    deadline_rows: list[tuple[str, ...]] = [
        (
            paths.of[case_id],
            sys.intern(kind),
            sys.intern(str(months)),
            month(due),
            month(done),
            TRUE if cancelled else FALSE,
        )
        for case_id, kind, months, due, done, cancelled in source.deadlines
        if case_id in paths.of
    ]

    response_rows: list[list[str]] = []
    domain_rows: list[list[str]] = []
    for response_id, client_id, key, version, answered, respondent, result in source.responses:
        if client_id not in clients.of:
            continue
        token = responses.add(response_id)
        total, band, domains = response_scores(result)
        response_rows.append(
            [
                token,
                clients.of[client_id],
                key,
                version,
                month(answered),
                respondent,
                cell(total),
                band,
            ]
        )
        domain_rows.extend([token, code, cell(score)] for code, score in domains.items())

    referral_rows = [
        [
            referrals.add(referral_id),
            paths.of[case_id],
            receiver_type,
            " ".join(source.service_areas.get(service_id, [])) if service_id else "",
            status,
            *(month(d) for d in dates),  # sent, answer due, answered, completed
        ]
        for referral_id, case_id, receiver_type, service_id, status, *dates in source.referrals
        if case_id in paths.of
    ]
    trial_rows = [
        [paths.of[case_id], month(at), *(cell(r) for r in ratings)]
        for case_id, at, *ratings in source.work_trial_feedback
        if case_id in paths.of
    ]
    coaching_event_rows = [
        [periods.of[period_id], month(on), from_status, to_status, reason]
        for period_id, on, from_status, to_status, reason in source.coaching_events
        if period_id in periods.of
    ]
    placement_rows = [
        # hours, contract type, competitive, wage, pay subsidy, ended by
        [placements.add(placement_id), periods.of[period_id], month(start), month(end)]
        + [cell(value) for value in values]
        for placement_id, period_id, start, end, *values in source.placements
        if period_id in periods.of
    ]
    placement_feedback_rows = [
        [placements.of[placement_id], month(at), *(cell(r) for r in ratings)]
        for placement_id, at, *ratings in source.placement_feedback
        if placement_id in placements.of
    ]
    survey_rows, survey_value_rows = _survey_rows(source, _Tokens(pseudonymise, "answer"))
    for tokens in (clients, paths, periods, placements, responses, referrals):
        tokens.check()

    # Grouped by the parent's pseudonym in time order; ``Package.rows`` numbers them.
    for grouped in (event_rows, deadline_rows, trial_rows, coaching_event_rows):
        grouped.sort(key=_first)
    placement_feedback_rows.sort(key=_first)
    tables: dict[str, Sequence[Cells]] = {
        schema.CLIENTS.name: sorted(client_rows),
        schema.PATHS.name: sorted(path_rows),
        schema.PATH_EVENTS.name: event_rows,
        schema.PATH_DEADLINES.name: deadline_rows,
        schema.INSTRUMENT_RESPONSES.name: sorted(response_rows),
        schema.INSTRUMENT_DOMAINS.name: sorted(domain_rows),
        schema.REFERRALS.name: sorted(referral_rows),
        schema.WORK_TRIAL_FEEDBACK.name: trial_rows,
        schema.COACHING_PERIODS.name: sorted(period_rows),
        schema.COACHING_EVENTS.name: coaching_event_rows,
        schema.PLACEMENTS.name: sorted(placement_rows),
        schema.PLACEMENT_FEEDBACK.name: placement_feedback_rows,
        schema.SURVEY_ANSWERS.name: sorted(survey_rows),
        schema.SURVEY_VALUES.name: sorted(survey_value_rows),
    }
    return Package(tables, NUMBERED)


def _survey_rows(source: SourceRows, answers: _Tokens) -> tuple[list[list[str]], list[list[str]]]:
    """Anonymous answers by quarter: only surveys and quarters with at least five answers, and
    a municipality only where at least five of them come from it."""
    periods = {
        answer_id: (survey, version, quarter(month_day), code or "")
        for answer_id, survey, version, month_day, code in source.survey_answers
    }
    per_period = Counter((survey, period) for survey, _v, period, _c in periods.values())
    kept = {
        answer_id: facts
        for answer_id, facts in periods.items()
        if per_period[(facts[0], facts[2])] >= MIN_COUNT
    }
    places = common_values(
        {
            str(answer_id): "|".join((s, p, c)) if c else ""
            for answer_id, (s, _v, p, c) in kept.items()
        }
    )
    rows = [
        [answers.add(answer_id), survey, version, period, code if places[str(answer_id)] else ""]
        for answer_id, (survey, version, period, code) in kept.items()
    ]
    values = [
        [answers.of[answer_id], item, cell(value)]
        for answer_id, item, value in source.survey_values
        if answer_id in answers.of
    ]
    answers.check()
    return rows, values


def package_zip(package: Package, descriptor: dict[str, Any], *, made: dt.date) -> bytes:
    """The zip to download: ``datapackage.json`` and ``data/<file>.csv`` for every table,
    each CSV written straight into the zip. The files are dated to the first day of the month
    the package was made."""
    stamp = (made.year, made.month, 1, 0, 0, 0)

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            entry("datapackage.json"),
            json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
        )
        for table in schema.TABLES:
            with (
                archive.open(entry(table.path), "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(table.header)
                writer.writerows(package.rows(table.name))
    return out.getvalue()
