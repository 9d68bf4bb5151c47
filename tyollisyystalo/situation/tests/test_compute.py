"""The pure computation over rows, table by table, with every expected figure worked by hand.

The period is the first quarter of 2026 (1.1.–31.3.) unless said otherwise; columns are the
municipalities "A" and "B" and the other column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tyollisyystalo.situation.periods import period_parse
from tyollisyystalo.situation.selectors import (
    OTHER,
    TOTAL,
    AnswerRow,
    Median,
    PathRow,
    PlanServicesRow,
    ReferralRow,
    ReviewRow,
    age_group,
    situation_compute,
)

D = dt.date
Q1 = period_parse("2026-Q1")
LATER = D(2026, 12, 4)  # "today", long after the quarter
BORN = D(1990, 1, 1)
COLUMNS = ("A", "B", OTHER)


def p(
    n: int,
    where: str | None = "A",
    *,
    referred: dt.date,
    started: dt.date | None = None,
    active: dt.date | None = None,
    plan: dt.date | None = None,
    closed: dt.date | None = None,
    outcome: str = "",
    route: str = "self",
    born: dt.date | None = BORN,
    client: object | None = None,
) -> PathRow:
    return PathRow(
        n, client or f"c{n}", where, born, route, referred, started, active, plan, closed, outcome
    )


def compute(**rows: object):
    arguments: dict[str, object] = {
        "period": Q1,
        "today": LATER,
        "columns": COLUMNS,
        "paths": [],
        "referrals": [],
        "reviews": [],
        "answers": [],
        "service_areas": {},
        "need_rows": ("health_problems", "housing_challenges", "self:tyo", "self:mieli"),
        "area_rows": ("tyo", "mieli", "talous"),
    }
    arguments.update(rows)
    return situation_compute(**arguments)  # type: ignore[arg-type]


def test_age_groups_turn_on_the_birthday() -> None:
    # Age at 31.3.2026: born 1.4.2001 → 24 (birthday not yet), born 31.3.2001 → 25.
    assert age_group(D(2001, 4, 1), D(2026, 3, 31)) == "under_25"
    assert age_group(D(2001, 3, 31), D(2026, 3, 31)) == "25_34"
    assert age_group(D(1961, 3, 31), D(2026, 3, 31)) == "65_over"
    assert age_group(D(1961, 4, 1), D(2026, 3, 31)) == "55_64"
    assert age_group(None, D(2026, 3, 31)) == "unknown"


def test_in_service_new_closed_and_status_at_the_end() -> None:
    paths = [
        p(1, referred=D(2025, 12, 31)),  # in service, referred at the end
        p(2, referred=D(2025, 10, 1), closed=D(2025, 12, 31), outcome="declined"),  # not
        p(
            3,
            referred=D(2025, 10, 1),
            started=D(2025, 11, 1),
            closed=D(2026, 1, 1),
            outcome="other",
        ),
        p(4, "B", referred=D(2026, 3, 31), route="portal"),  # new on the last day
        p(5, "B", referred=D(2026, 4, 1)),  # after the quarter: not counted
        p(6, None, referred=D(2026, 1, 2), started=D(2026, 1, 3), active=D(2026, 3, 31)),
        p(7, "X", referred=D(2026, 1, 2), started=D(2026, 3, 31), active=D(2026, 4, 2)),
        # The same client on two paths (two organisations): counted once among clients.
        p(8, "B", referred=D(2026, 2, 1), client="twice"),
        p(9, "B", referred=D(2026, 2, 2), client="twice", route="employment_services"),
    ]
    figures = compute(paths=paths)
    ages = figures.counts["age_group"]
    # Paths in service: A 1, 3 → 2; B 4, 8, 9 → 3 (the client on two paths counts on both);
    # other 6 (no municipality), 7 (X) → 2.
    assert {c: sum(r[c] for r in ages.values()) for c in COLUMNS} == {"A": 2, "B": 3, OTHER: 2}
    routes = figures.counts["entry_route"]
    # New: B 4 (portal), 8 (self), 9 (employment services); other 6, 7 (self).
    assert routes["portal"] == {"A": 0, "B": 1, OTHER: 0}
    assert routes["self"] == {"A": 0, "B": 1, OTHER: 2}
    assert routes["employment_services"] == {"A": 0, "B": 1, OTHER: 0}
    # Closed in Q1: 3 (1.1., outcome other) in A.
    assert figures.counts["outcome"]["other"] == {"A": 1, "B": 0, OTHER: 0}
    assert sum(sum(r.values()) for r in figures.counts["outcome"].values()) == 1
    # At 31.3.: 1 referred (A); 4, 8, 9 referred (B); 6 active since 31.3. and 7 in intake
    # (met on 31.3., active only in April) in other.
    state = figures.counts["state"]
    assert state["referred"] == {"A": 1, "B": 3, OTHER: 0}
    assert state["intake"] == {"A": 0, "B": 0, OTHER: 1}
    assert state["active"] == {"A": 0, "B": 0, OTHER: 1}
    assert state["closed"] == {"A": 1, "B": 0, OTHER: 0}  # every path in service: one state


def test_durations_are_medians_of_days_with_their_counts() -> None:
    paths = [
        # To the first meeting, for paths that met in Q1: 2, 4, 9, 10 days in A; 30 in B.
        p(1, referred=D(2026, 1, 1), started=D(2026, 1, 3)),
        p(2, referred=D(2026, 1, 1), started=D(2026, 1, 5)),
        p(3, referred=D(2026, 1, 1), started=D(2026, 1, 10), plan=D(2026, 2, 9)),
        p(4, referred=D(2025, 12, 27), started=D(2026, 1, 6), plan=D(2026, 1, 26)),
        p(5, "B", referred=D(2025, 12, 1), started=D(2025, 12, 31)),  # met before Q1: not here
        p(
            6,
            "B",
            referred=D(2026, 1, 1),
            started=D(2026, 1, 31),
            closed=D(2026, 3, 1),
            outcome="job_or_study",
        ),
    ]
    figures = compute(paths=paths)
    meeting = figures.durations["to_first_meeting"]
    # A: 2, 4, 9, 10 → median (4 + 9) / 2 = 6.5; B: 30 (path 6); total 2, 4, 9, 10, 30 → 9.
    assert meeting["A"] == Median(4, 6.5)
    assert meeting["B"] == Median(1, 30.0)
    assert meeting[OTHER] == Median(0, None)
    assert meeting[TOTAL] == Median(5, 9.0)
    # First plan in Q1: path 3 after 39 days, path 4 after 30 → median 34.5.
    assert figures.durations["to_first_plan"][TOTAL] == Median(2, 34.5)
    # Closed in Q1: path 6 after 59 days (1.1.–1.3.).
    assert figures.durations["to_closing"][TOTAL] == Median(1, 59.0)
    # Open at 31.3. in intake: 1, 2, 3 opened 1.1. (89 days), 4 opened 27.12. (94 days),
    # 5 opened 1.12. (120 days) → A: 89, 89, 89, 94 → 89; total with 120 → 89.
    assert figures.durations["open_intake"]["A"] == Median(4, 89.0)
    assert figures.durations["open_intake"][TOTAL] == Median(5, 89.0)


def test_running_period_reads_the_state_today() -> None:
    today = D(2026, 2, 15)
    paths = [
        p(1, referred=D(2026, 1, 10)),  # referred, open today: 36 days so far
        p(2, referred=D(2026, 1, 10), started=D(2026, 2, 1)),  # intake today
    ]
    figures = compute(paths=paths, today=today)
    assert figures.counts["state"]["referred"]["A"] == 1
    assert figures.counts["state"]["intake"]["A"] == 1
    assert figures.durations["open_referred"]["A"] == Median(1, 36.0)


def _answers(client: str, key: str, values: dict[str, int], n: int = 1) -> AnswerRow:
    return AnswerRow(client, key, D(2026, 1, 1), n, {k: Decimal(v) for k, v in values.items()})


def test_support_needs_count_clients_in_service_by_their_latest_answers() -> None:
    paths = [
        p(1, referred=D(2026, 1, 1)),
        p(2, "B", referred=D(2026, 1, 1)),
        p(3, referred=D(2025, 1, 1), closed=D(2025, 6, 1), outcome="other"),
    ]
    answers = [
        _answers("c1", "support_need_checklist", {"health_problems": 1, "housing_challenges": 0}),
        _answers("c1", "self_assessment", {"tyo": 6, "mieli": 7}),  # 7 is not below 7
        _answers("c2", "support_need_checklist", {"health_problems": 1, "housing_challenges": 1}),
        _answers("c2", "self_assessment", {"tyo": 3, "mieli": 0}),
        # Client 3's path ended before Q1: not in service, not counted.
        _answers("c3", "support_need_checklist", {"health_problems": 1}),
    ]
    needs = compute(paths=paths, answers=answers).counts["support_need"]
    assert needs["health_problems"] == {"A": 1, "B": 1, OTHER: 0}
    assert needs["housing_challenges"] == {"A": 0, "B": 1, OTHER: 0}
    assert needs["self:tyo"] == {"A": 1, "B": 1, OTHER: 0}
    assert needs["self:mieli"] == {"A": 0, "B": 1, OTHER: 0}


def test_services_used_by_area_count_each_client_once_per_area() -> None:
    paths = [p(1, referred=D(2026, 1, 1)), p(2, "B", referred=D(2026, 1, 1))]
    areas = {"s-work": ["tyo"], "s-both": ["tyo", "mieli"], "s-money": ["talous"]}

    def r(
        client: str, where: str, sent: dt.date, service: str | None, status: str = "accepted"
    ) -> ReferralRow:
        return ReferralRow(client, where, sent, sent, D(2026, 12, 31), status, service)

    referrals = [
        r("c1", "A", D(2026, 1, 5), "s-work"),
        r("c1", "A", D(2026, 2, 5), "s-both"),  # tyo again (once) and mieli
        r("c2", "B", D(2026, 2, 5), "s-money", status="declined"),  # declined: not used
        r("c2", "B", D(2026, 3, 5), "s-both", status="completed"),
        r("c2", "B", D(2025, 12, 5), "s-money"),  # sent before Q1
        r("c2", "B", D(2026, 3, 6), None),  # no catalogue service
    ]
    # Plans: c1's plan uses the money service (counted in A); c2's plan the work service, already
    # counted for c2 through the referral; a plan of c9, not in service in Q1, is not counted.
    plans = [
        PlanServicesRow("c1", ("s-money",)),
        PlanServicesRow("c2", ("s-work",)),
        PlanServicesRow("c9", ("s-money",)),
    ]
    used = compute(
        paths=paths, referrals=referrals, plan_services=plans, service_areas=areas
    ).counts["service_area"]
    assert used["tyo"] == {"A": 1, "B": 1, OTHER: 0}
    assert used["mieli"] == {"A": 1, "B": 1, OTHER: 0}
    assert used["talous"] == {"A": 1, "B": 0, OTHER: 0}


def test_waiting_referrals_and_reviews_at_the_end() -> None:
    def r(
        client: str, sent: dt.date, due: dt.date, answered: dt.date | None, status: str = "sent"
    ) -> ReferralRow:
        return ReferralRow(client, "A", sent, answered, due, status, None)

    referrals = [
        r("w1", D(2026, 3, 1), D(2026, 4, 15), None),  # waiting, not due
        r("w2", D(2026, 2, 1), D(2026, 3, 1), None),  # waiting, past due
        r("w2", D(2026, 3, 20), D(2026, 4, 30), None),  # same client: counted once, past due
        r("w3", D(2026, 3, 1), D(2026, 3, 15), D(2026, 4, 10), "accepted"),  # answered after
        r("w4", D(2026, 3, 1), D(2026, 3, 15), D(2026, 3, 10), "accepted"),  # answered in time
        r("w5", D(2026, 3, 1), D(2026, 3, 15), None, "cancelled"),  # cancelled: left out
        r("w6", D(2026, 4, 1), D(2026, 4, 15), None),  # sent after the quarter
    ]
    reviews = [
        ReviewRow("A", D(2026, 2, 1), D(2026, 1, 30), None),  # due in Q1, done on time
        ReviewRow("A", D(2026, 2, 1), D(2026, 2, 1), None),  # done on the day: on time
        ReviewRow("A", D(2026, 2, 1), D(2026, 2, 5), None),  # done late
        ReviewRow("B", D(2026, 3, 1), None, None),  # not done: late, and overdue at the end
        ReviewRow("B", D(2026, 3, 1), None, D(2026, 2, 20)),  # path closed before: not due
        ReviewRow("B", D(2025, 12, 1), D(2026, 4, 3), None),  # due before Q1, overdue at end
        ReviewRow("B", D(2026, 3, 31), None, None),  # due on the last day: late, not overdue
    ]
    figures = compute(referrals=referrals, reviews=reviews)
    # Waiting at 31.3.: w1 (not due), w2 (past due), w3 (answered only in April; due 15.3.).
    assert figures.counts["referrals_waiting"]["not_due"] == {"A": 1, "B": 0, OTHER: 0}
    assert figures.counts["referrals_waiting"]["past_due"] == {"A": 2, "B": 0, OTHER: 0}
    assert figures.counts["reviews_due"]["on_time"] == {"A": 2, "B": 0, OTHER: 0}
    assert figures.counts["reviews_due"]["late"] == {"A": 1, "B": 2, OTHER: 0}
    assert figures.counts["reviews_overdue"]["overdue"] == {"A": 0, "B": 2, OTHER: 0}


@pytest.mark.parametrize(
    ("code", "start", "end", "previous"),
    [
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "2026-01"),
        ("2026-01", D(2026, 1, 1), D(2026, 1, 31), "2025-12"),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), "2025-Q4"),
        ("2026-H2", D(2026, 7, 1), D(2026, 12, 31), "2026-H1"),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "2023"),
    ],
)
def test_periods_and_their_previous(code: str, start: dt.date, end: dt.date, previous: str) -> None:
    period = period_parse(code)
    assert (period.start, period.end, period.code) == (start, end, code)
    assert period.previous().code == previous
