"""The entry point reads the right rows from the database: the organisation's own paths and
answers, the latest answers at the period's end, plans, moves to active, referrals with their
services' areas, and review deadlines; in a number of queries that does not grow with data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from conftest import login
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.situation.periods import period_parse
from tyollisyystalo.situation.selectors import OTHER, TOTAL, Median, situation_figures
from tyollisyystalo.situation.tests.builders import (
    URL,
    D,
    H,
    answers,
    area_service,
    municipality,
    path,
    person,
    plan,
    referral,
    review,
    table_cells,
)

TODAY = D(2026, 12, 4)


def _build(employment: Organisation, county: Organisation, *, copies: int = 1) -> None:
    aalto = municipality("101", "Aalto")
    beeta = municipality("102", "Beeta")
    employment.municipalities.set([aalto, beeta])
    work = area_service("svc-work", ["tyo"])
    money = area_service("svc-money", ["talous"])
    housing = area_service("svc-housing", ["asuminen"])
    for _n in range(copies):
        k1 = person(employment, municipality=aalto)
        case = path(
            k1, employment, referred=D(2026, 1, 1), started=D(2026, 1, 10), active=D(2026, 2, 5)
        )
        # Version 1 (1.2.): money advice under way, housing only planned; version 2 (2.4.,
        # after the quarter) drops the money advice: at 31.3. the plan used money advice.
        plan(
            case,
            D(2026, 2, 1),
            (D(2026, 2, 1), [(str(money.pk), "ongoing"), (str(housing.pk), "planned")]),
            (D(2026, 4, 2), [(str(housing.pk), "ongoing")]),
        )
        checklist = "support_need_checklist"
        answers(k1, employment, checklist, D(2026, 1, 15), {"health_problems": 1})
        answers(k1, employment, checklist, D(2026, 3, 20), {"housing_challenges": 1})
        answers(k1, county, checklist, D(2026, 3, 25), {"mental_health_challenges": 1})
        answers(k1, employment, checklist, D(2026, 4, 2), {"autism_spectrum_diagnosis": 1})
        answers(k1, employment, "self_assessment", D(2026, 1, 20), {"tyo": 5, "mieli": 8})
        referral(
            case, county, sent=D(2026, 2, 10), due=D(2026, 2, 20), service=work,
            answered=D(2026, 2, 12), status="accepted",
        )  # fmt: skip
        review(case, D(2026, 2, 10), done=D(2026, 2, 9))
        review(case, D(2026, 3, 10))
        k2 = person(employment, municipality=beeta)
        waiting = path(k2, employment, referred=D(2026, 2, 1))
        referral(waiting, county, sent=D(2026, 3, 1), due=D(2026, 3, 10))
        # The county's own path for k2 is not Esimerkkilä's.
        path(k2, county, referred=D(2026, 1, 5), route="social_health")


@pytest.mark.django_db
def test_the_entry_point_reads_what_the_definitions_say(employment, county) -> None:
    _build(employment, county)
    figures = situation_figures(
        organisation_ids=[employment.pk],
        municipality_codes=["101", "102"],
        period=period_parse("2026-Q1"),
        using="default",
        today=TODAY,
    )
    assert figures.columns == ("101", "102", OTHER)
    now = figures.current
    # k1 in Aalto, k2 in Beeta; the county's path for k2 is not counted.
    assert now.counts["entry_route"]["employment_services"] == {"101": 1, "102": 1, OTHER: 0}
    assert now.counts["entry_route"]["social_health"] == {"101": 0, "102": 0, OTHER: 0}
    assert now.counts["state"]["active"]["101"] == 1  # moved to active 5.2.
    assert now.counts["state"]["referred"]["102"] == 1
    # k1's latest own checklist by 31.3. is the one of 20.3. (housing); the county's answer of
    # 25.3. and the answer of 2.4. do not count; self-assessment: work 5 is below 7.
    needs = now.counts["support_need"]
    assert needs["housing_challenges"]["101"] == 1
    assert needs["health_problems"]["101"] == 0
    assert needs["mental_health_challenges"]["101"] == 0
    assert needs["autism_spectrum_diagnosis"]["101"] == 0
    assert needs["self:tyo"]["101"] == 1
    assert needs["self:mieli"]["101"] == 0
    assert now.counts["service_area"]["tyo"] == {"101": 1, "102": 0, OTHER: 0}
    assert now.counts["service_area"]["talous"] == {"101": 1, "102": 0, OTHER: 0}
    assert now.counts["service_area"]["asuminen"] == {"101": 0, "102": 0, OTHER: 0}
    # k2's referral of 1.3. is unanswered and past its date 10.3. at 31.3.
    assert now.counts["referrals_waiting"]["past_due"]["102"] == 1
    # Reviews: 10.2. done on 9.2. (on time); 10.3. not done (late, and overdue at 31.3.).
    assert now.counts["reviews_due"]["on_time"]["101"] == 1
    assert now.counts["reviews_due"]["late"]["101"] == 1
    assert now.counts["reviews_overdue"]["overdue"]["101"] == 1
    # 1.1. → first meeting 10.1.: 9 days; → first plan 1.2.: 31 days.
    assert now.durations["to_first_meeting"][TOTAL] == Median(1, 9.0)
    assert now.durations["to_first_plan"][TOTAL] == Median(1, 31.0)
    # The quarter before: nothing yet (the first path opened 1.1.2026).
    assert sum(sum(row.values()) for row in figures.previous.counts["entry_route"].values()) == 0


@pytest.mark.django_db
def test_support_needs_on_the_page_are_protected(
    client: HttpClient, employment, county, mikko
) -> None:
    _build(employment, county)
    login(client, mikko)
    html = client.get(f"{URL}?period=2026-Q1").content.decode()
    needs = table_cells(html, "support_need")
    # One client in Aalto: 1 hidden and its total hidden with it; zeros shown.
    assert needs["housing_challenges"] == [H, "0", "0", H]
    assert needs["health_problems"] == ["0", "0", "0", "0"]
    assert table_cells(html, "service_area")["tyo"] == [H, "0", "0", H]


def _queries(client: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("download", ["", "tilannekuva.csv", "tilannekuva.xlsx"])
def test_query_count_does_not_grow_with_data(
    client: HttpClient, employment, county, mikko, download: str
) -> None:
    login(client, mikko)
    url = f"{URL}{download}?period=2026-Q1"
    _build(employment, county, copies=1)
    small = _queries(client, url)
    _build(employment, county, copies=6)
    assert _queries(client, url) == small
    # The regional view reads the same way.
    region = f"{url}&view=region"
    before = _queries(client, region)
    _build(employment, county, copies=3)
    assert _queries(client, region) == before
