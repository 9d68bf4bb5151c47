"""The analyst's reference for the management benchmark: the same figures from an export.

``export_tables`` writes the rows an analyst would be handed as plain CSV files (one per table,
dates as ISO days, times as local Helsinki wall-clock times, the work-ability score decrypted to
its number); ``Reference`` loads them into an in-memory DuckDB and computes each indicator with
SQL written from the indicator's DEFINITION TEXT in ``indicators/definitions.toml`` (quoted above
each query), not from the product's code: nothing here imports the indicators or the situation
picture. The benchmark puts these figures beside the product's API answers and says whether
they are identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.coaching.models import CoachingPeriod, Placement
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.worktrials.models import FeedbackLink


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    return count


def _score(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The work-ability score out of the (decrypted) answers."""
    return (*row[:-1], json.loads(row[-1])["work_ability"])


def _survey_values() -> QuerySet[Any] | None:
    if not apps.is_installed("tyollisyystalo.surveys"):
        return None
    return apps.get_model("surveys", "AnswerValue")._default_manager.all()


@dataclass(frozen=True)
class Table:
    """One exported table: its rows, and per column (name, the field it comes from, the type
    an analyst declares when reading the CSV)."""

    source: Callable[[], QuerySet[Any] | None]
    columns: tuple[tuple[str, str, str], ...]
    convert: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None

    def rows(self) -> Iterator[tuple[Any, ...]]:
        qs = self.source()
        if qs is None:
            return
        for row in qs.values_list(*(f for _c, f, _t in self.columns)).iterator(chunk_size=10_000):
            yield self.convert(row) if self.convert else row

    @property
    def types(self) -> str:
        return ", ".join(f"'{column}': '{kind}'" for column, _f, kind in self.columns)


ID, ORG, DAY, TIME, TEXT = "UUID", "INTEGER", "DATE", "TIMESTAMP", "VARCHAR"
# What the analyst is given: one CSV per table, the columns named as an analyst would.
TABLES: dict[str, Table] = {
    "clients": Table(
        ClientIdentity.objects.all,
        (
            ("client_id", "client_id", ID),
            ("municipality", "municipality__code", TEXT),
            ("birth_date", "birth_date", DAY),
        ),
    ),
    "paths": Table(
        Case.objects.all,
        (
            ("path_id", "id", ID),
            ("client_id", "client_id", ID),
            ("organisation_id", "owner_organisation_id", ORG),
            ("entry_route", "entry_route", TEXT),
            ("status", "status", TEXT),
            ("referred_on", "referred_on", DAY),
            ("started_on", "started_on", DAY),
            ("closed_on", "closed_on", DAY),
            ("outcome", "outcome", TEXT),
        ),
    ),
    "path_events": Table(
        CaseEvent.objects.all,
        (
            ("path_id", "case_id", ID),
            ("kind", "kind", TEXT),
            ("effective_on", "effective_on", DAY),
            ("from_status", "from_status", TEXT),
            ("to_status", "to_status", TEXT),
            ("outcome", "outcome", TEXT),
        ),
    ),
    "deadlines": Table(
        CaseDeadline.objects.all,
        (
            ("path_id", "case_id", ID),
            ("kind", "kind", TEXT),
            ("due_on", "due_on", DAY),
            ("done_on", "done_on", DAY),
            ("cancelled_at", "cancelled_at", TIME),
        ),
    ),
    "referrals": Table(
        Referral.objects.all,
        (
            ("referral_id", "id", ID),
            ("path_id", "case_id", ID),
            ("client_id", "client_id", ID),
            ("organisation_id", "owner_organisation_id", ORG),
            ("status", "status", TEXT),
            ("sent_at", "created_at", TIME),
            ("answered_at", "answered_at", TIME),
            ("completed_at", "completed_at", TIME),
        ),
    ),
    "work_trials": Table(
        lambda: FeedbackLink.objects.filter(subject_kind="work_trial"),
        (
            ("path_id", "case_id", ID),
            ("created_at", "created_at", TIME),
            ("expires_at", "expires_at", TIME),
            ("used_at", "used_at", TIME),
            ("revoked_at", "revoked_at", TIME),
        ),
    ),
    "coaching_periods": Table(
        CoachingPeriod.objects.all,
        (
            ("period_id", "id", ID),
            ("client_id", "client_id", ID),
            ("organisation_id", "owner_organisation_id", ORG),
            ("path_id", "case_id", ID),
            ("started_on", "started_on", DAY),
            ("ended_on", "ended_on", DAY),
        ),
    ),
    "jobs": Table(
        Placement.objects.all,
        (
            ("period_id", "period_id", ID),
            ("started_on", "started_on", DAY),
            ("ended_on", "ended_on", DAY),
            ("competitive", "competitive", "BOOLEAN"),
        ),
    ),
    "work_ability": Table(
        lambda: InstrumentResponse.objects.filter(instrument_key="work_ability_score"),
        (
            ("client_id", "client_id", ID),
            ("organisation_id", "owner_organisation_id", ORG),
            ("answered_on", "answered_on", DAY),
            ("recorded_at", "created_at", TIME),
            ("score", "answers_json", "INTEGER"),
        ),
        _score,
    ),
    "survey_values": Table(
        _survey_values,
        (
            ("survey", "survey", TEXT),
            ("item", "item", TEXT),
            ("organisation_id", "organisation_id", ORG),
            ("municipality", "municipality__code", TEXT),
            ("month", "month", DAY),
            ("value", "value", "INTEGER"),
        ),
    ),
}


def export_tables(directory: Path) -> dict[str, int]:
    """Write every table as ``<name>.csv`` into ``directory``; returns the rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    return {
        name: _write(directory / f"{name}.csv", [c for c, _f, _t in table.columns], table.rows())
        for name, table in TABLES.items()
    }


# Each indicator's figure for one organisation ($org), optionally one home municipality ($m,
# NULL for the whole organisation), and one period from $first to $last (days included); $end
# is the day the situation is read at ($last, or today for a period still running), $today
# today. Every query returns (value, numerator, denominator, n), NULL where the definition
# does not say what that part is.
IN_MUNICIPALITY = "($m IS NULL OR c.municipality = $m)"
QUERIES: dict[str, str] = {
    # "The share of service paths closed in the period that ended in a job or a study place."
    # Numerator: paths closed in the period with the outcome "got a job or a study place";
    # denominator: all paths closed in the period, whatever their outcome. The closing date is
    # between the period's first and last day (both included). The municipality is the client's
    # home municipality.
    "placed_in_working_life": f"""
        SELECT 100.0 * count(*) FILTER (WHERE p.outcome = 'job_or_study') / count(*),
               count(*) FILTER (WHERE p.outcome = 'job_or_study'), count(*),
               NULL
        FROM paths p JOIN clients c USING (client_id)
        WHERE p.organisation_id = $org AND p.closed_on BETWEEN $first AND $last
          AND {IN_MUNICIPALITY}""",
    # "Of the clients with an open service path at the period's end, the share who then had an
    # accepted referral, job coaching or a work trial under way." Denominator: distinct clients
    # with an open path at the period's end (referred by then and not closed by then).
    # Numerator: clients whose open path had at least one of: a referral from the path that the
    # receiver accepted and has not marked completed; a coaching period of the path that has
    # started and not ended; a work trial of the path whose host feedback link is still open
    # (created, not yet used, revoked or expired). The situation at the end of the last day.
    "client_activation": f"""
        WITH open_paths AS (
            SELECT p.path_id, p.client_id FROM paths p JOIN clients c USING (client_id)
            WHERE p.organisation_id = $org AND p.referred_on <= $end
              AND (p.closed_on IS NULL OR p.closed_on > $end) AND {IN_MUNICIPALITY}),
        night AS (SELECT CAST($end AS DATE) + INTERVAL 1 DAY AS at),
        under_way AS (
            SELECT r.path_id FROM referrals r, night
            WHERE r.status IN ('accepted', 'completed') AND r.answered_at < night.at
              AND (r.completed_at IS NULL OR r.completed_at >= night.at)
            UNION ALL
            SELECT k.path_id FROM coaching_periods k
            WHERE k.path_id IS NOT NULL AND k.started_on <= $end
              AND (k.ended_on IS NULL OR k.ended_on > $end)
            UNION ALL
            SELECT t.path_id FROM work_trials t, night
            WHERE t.created_at < night.at AND t.expires_at > night.at
              AND (t.used_at IS NULL OR t.used_at >= night.at)
              AND (t.revoked_at IS NULL OR t.revoked_at >= night.at))
        SELECT 100.0 * count(DISTINCT o.client_id) FILTER (
                   WHERE o.path_id IN (SELECT path_id FROM under_way))
                   / count(DISTINCT o.client_id),
               count(DISTINCT o.client_id) FILTER (
                   WHERE o.path_id IN (SELECT path_id FROM under_way)),
               count(DISTINCT o.client_id), NULL
        FROM open_paths o""",
    # "Days from the path's opening (the referral date) to the first meeting, the median."
    # The first meeting is the day the path moved to "intake" (the path event that sets its
    # start date); paths whose first meeting was in the period; n is the number of paths.
    "median_days_to_first_meeting": f"""
        WITH first_meeting AS (
            SELECT e.path_id, min(e.effective_on) AS met_on FROM path_events e
            WHERE e.kind = 'status' AND e.to_status = 'intake' GROUP BY e.path_id)
        SELECT quantile_cont(date_diff('day', p.referred_on, f.met_on), 0.5),
               NULL, NULL, count(*)
        FROM paths p JOIN first_meeting f USING (path_id) JOIN clients c USING (client_id)
        WHERE p.organisation_id = $org AND f.met_on BETWEEN $first AND $last
          AND {IN_MUNICIPALITY}""",
    # "Of the reviews due in the period, the share done by their due date." Numerator: reviews
    # whose done date is on or before the due date. Denominator: interim, final and plan
    # reviews due in the period whose due date has passed or that are done; those cancelled on
    # or before their due date are left out, those cancelled (when the path closed) after the
    # due date count as late. n is the number of distinct clients. (Written again from this
    # text after it was made exact: the first wording said "before", and 0.3 % of the reviews,
    # cancelled on their due date, were counted differently: BENCHMARKS.md.)
    "reviews_on_time": f"""
        WITH due AS (
            SELECT d.*, p.client_id FROM deadlines d JOIN paths p USING (path_id)
            JOIN clients c USING (client_id)
            WHERE p.organisation_id = $org AND {IN_MUNICIPALITY}
              AND d.kind IN ('interim_review', 'final_review', 'plan_review')
              AND d.due_on BETWEEN $first AND $last
              AND (d.done_on IS NOT NULL OR d.due_on < $today)
              AND NOT (d.done_on IS NULL AND d.cancelled_at IS NOT NULL
                       AND CAST(d.cancelled_at AS DATE) <= d.due_on))
        SELECT 100.0 * count(*) FILTER (WHERE done_on <= due_on) / count(*),
               count(*) FILTER (WHERE done_on <= due_on), count(*), count(DISTINCT client_id)
        FROM due""",
    # "Of the referrals sent in the period, the share for which the receiver has sent back a
    # result or a reasoned refusal." Numerator: marked completed with a result or declined with
    # a reason; denominator: referrals the organisation sent in the period, except those the
    # sender cancelled; a result counts even if it came after the period. n: distinct clients.
    "referrals_closed_loop": f"""
        SELECT 100.0 * count(*) FILTER (WHERE r.status IN ('completed', 'declined')) / count(*),
               count(*) FILTER (WHERE r.status IN ('completed', 'declined')), count(*),
               count(DISTINCT r.client_id)
        FROM referrals r JOIN clients c USING (client_id)
        WHERE r.organisation_id = $org AND r.status <> 'cancelled'
          AND CAST(r.sent_at AS DATE) BETWEEN $first AND $last AND {IN_MUNICIPALITY}""",
    # "Of the clients in job coaching during the period, the share who held a competitive job
    # on the open labour market during the period." Denominator: distinct clients whose
    # coaching period (of the organisation) was under way on at least one day of the period;
    # numerator: those with at least one competitive job among their coaching periods' jobs
    # that lasted at least one day within the period.
    "coaching_competitive_employment": f"""
        WITH coached AS (
            SELECT k.period_id, k.client_id FROM coaching_periods k JOIN clients c USING (client_id)
            WHERE k.organisation_id = $org AND k.started_on <= $last
              AND (k.ended_on IS NULL OR k.ended_on >= $first) AND {IN_MUNICIPALITY}),
        working AS (
            SELECT DISTINCT k.client_id FROM coached k JOIN jobs j USING (period_id)
            WHERE j.competitive AND j.started_on <= $last
              AND (j.ended_on IS NULL OR j.ended_on >= $first))
        SELECT 100.0 * count(DISTINCT client_id) FILTER (
                   WHERE client_id IN (SELECT client_id FROM working))
                   / count(DISTINCT client_id),
               count(DISTINCT client_id) FILTER (
                   WHERE client_id IN (SELECT client_id FROM working)),
               count(DISTINCT client_id), NULL
        FROM coached""",
    # "The latest minus the first Work Ability Score (0–10) of each client, the median over
    # clients": the latest score by the period's end minus the first; clients with at least
    # two scores, the latest answered in the period; n is the number of clients.
    "work_ability_change": f"""
        WITH kept AS (
            SELECT w.*, row_number() OVER (PARTITION BY w.client_id
                       ORDER BY w.answered_on, w.recorded_at) AS first_rank,
                   row_number() OVER (PARTITION BY w.client_id
                       ORDER BY w.answered_on DESC, w.recorded_at DESC) AS last_rank,
                   count(*) OVER (PARTITION BY w.client_id) AS scores
            FROM work_ability w
            WHERE w.organisation_id = $org AND w.answered_on <= $last),
        change AS (
            SELECT l.client_id, l.score - f.score AS delta
            FROM kept l JOIN kept f ON f.client_id = l.client_id AND f.first_rank = 1
            WHERE l.last_rank = 1 AND l.scores >= 2 AND l.answered_on >= $first)
        SELECT quantile_cont(ch.delta, 0.5), NULL, NULL, count(*)
        FROM change ch JOIN clients c USING (client_id) WHERE {IN_MUNICIPALITY}""",
    # "Clients' overall rating of the service on the Finnish school scale 4–10, the mean of the
    # answers" given during the period (by the month answered); n is the number of answers.
    "client_satisfaction": """
        SELECT avg(value), sum(value), count(*), count(*) FROM survey_values
        WHERE survey = 'client_satisfaction' AND item = 'overall' AND organisation_id = $org
          AND ($m IS NULL OR municipality = $m) AND month BETWEEN $first AND $last""",
    # "Staff's rating of how well multi-sector cooperation works on a scale of 1–5, the mean of
    # the answers" given during the period; n is the number of answers.
    "cooperation": """
        SELECT avg(value), sum(value), count(*), count(*) FROM survey_values
        WHERE survey = 'cooperation' AND item = 'overall' AND organisation_id = $org
          AND ($m IS NULL OR municipality = $m) AND month BETWEEN $first AND $last""",
}


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    n: int | None  # where the definition says what n is

    def rounded(self, decimals: int) -> Decimal | None:
        if self.value is None:
            return None
        return self.value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


class Reference:
    """The exported CSV files in an in-memory DuckDB, and the indicators as SQL over them."""

    def __init__(self, directory: Path) -> None:
        self.db = duckdb.connect(":memory:")
        self.db.execute("SET threads TO 1")  # the shared machine has two cores
        for name, table in TABLES.items():
            self.db.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true, "
                f"columns = {{{table.types}}}, nullstr = '')",
                [str(directory / f"{name}.csv")],
            )

    def figure(
        self,
        key: str,
        *,
        organisation: int,
        municipality: str | None,
        first: dt.date,
        last: dt.date,
        today: dt.date,
    ) -> Figure:
        sql = QUERIES[key]
        values = {
            "org": organisation,
            "m": municipality,
            "first": first,
            "last": last,
            "end": min(last, today),
            "today": today,
        }
        row = self.db.execute(sql, {k: v for k, v in values.items() if f"${k}" in sql}).fetchone()
        assert row is not None
        value, numerator, denominator, n = row
        known = value is not None and value == value  # 0/0 is NaN in DuckDB: no figure
        return Figure(
            Decimal(str(value)) if known else None,
            None if numerator is None else int(numerator),
            None if denominator is None else int(denominator),
            None if n is None else int(n),
        )


# The situation picture's counts, from its definitions (ADR 0025 part "situation"): per home
# municipality of the organisation's scope ($columns), everyone else in one "_other" column.
# New paths: opened (referred) in the period, by entry route; closed paths: closed in the
# period, by outcome; the state at the period's end ($end): open then (referred by then, not
# closed by then) as referred until the first meeting, intake until the move to active, then
# active; and closed in the period.
SITUATION_QUERIES: dict[str, str] = {
    "entry_route": """
        SELECT p.entry_route, CASE WHEN list_contains($columns, c.municipality)
                                   THEN c.municipality ELSE '_other' END, count(*)
        FROM paths p JOIN clients c USING (client_id)
        WHERE p.organisation_id = $org AND p.referred_on BETWEEN $first AND $last
        GROUP BY ALL""",
    "outcome": """
        SELECT p.outcome, CASE WHEN list_contains($columns, c.municipality)
                               THEN c.municipality ELSE '_other' END, count(*)
        FROM paths p JOIN clients c USING (client_id)
        WHERE p.organisation_id = $org AND p.closed_on BETWEEN $first AND $last
        GROUP BY ALL""",
    "state": """
        WITH active AS (
            SELECT path_id, min(effective_on) AS active_on FROM path_events
            WHERE kind = 'status' AND to_status = 'active' GROUP BY path_id)
        SELECT CASE WHEN p.closed_on BETWEEN $first AND $last THEN 'closed'
                    WHEN p.started_on IS NULL OR p.started_on > $end THEN 'referred'
                    WHEN a.active_on IS NULL OR a.active_on > $end THEN 'intake'
                    ELSE 'active' END,
               CASE WHEN list_contains($columns, c.municipality)
                    THEN c.municipality ELSE '_other' END, count(*)
        FROM paths p JOIN clients c USING (client_id) LEFT JOIN active a USING (path_id)
        WHERE p.organisation_id = $org AND p.referred_on <= $end
          AND (p.closed_on IS NULL OR p.closed_on > $end OR p.closed_on BETWEEN $first AND $last)
        GROUP BY ALL""",
}


def situation_counts(
    ref: Reference,
    *,
    organisation: int,
    columns: list[str],
    first: dt.date,
    last: dt.date,
    today: dt.date,
) -> dict[str, dict[str, dict[str, int]]]:
    """table → row → column → count, only the cells that count someone."""
    tables: dict[str, dict[str, dict[str, int]]] = {}
    for table, sql in SITUATION_QUERIES.items():
        values = {
            "org": organisation,
            "columns": columns,
            "first": first,
            "last": last,
            "end": min(last, today),
        }
        cells: dict[str, dict[str, int]] = {}
        for row, column, count in ref.db.execute(
            sql, {k: v for k, v in values.items() if f"${k}" in sql}
        ).fetchall():
            cells.setdefault(row, {})[column] = int(count)
        tables[table] = cells
    return tables
