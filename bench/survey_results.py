"""Benchmark: survey results and the indicators' ``scale_answers`` at 50,000 answers (issue 15).

Builds, in a throwaway test database (SQLite by default, PostgreSQL when DATABASE_URL says so),
N anonymous client-satisfaction answers (four values each) over five organisations, three
municipalities and the twelve months of 2026, and times through the whole request path the
manager's results page for one quarter of the own organisation, the same for the year, the
regional view for the year (as served from the reporting store, ADR 0026, and counted afresh),
and ``scale_answers`` for the region's year; beside them the management front page, a trivial
staff page, as the baseline.

    .venv/bin/python bench/survey_results.py [--answers N] [--requests R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from measure import bench_database, summary, traced, verified_client  # noqa: E402

from tyollisyystalo.organisations.models import (  # noqa: E402
    Municipality,
    Organisation,
    OrganisationType,
)
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402
from tyollisyystalo.surveys.models import Answer, AnswerValue  # noqa: E402
from tyollisyystalo.surveys.selectors import scale_answers  # noqa: E402

ITEMS = (("overall", 4, 10), ("heard", 1, 5), ("plan_mine", 1, 5), ("repeated_story", 0, 1))


def build(n: int) -> StaffMember:
    places = [Municipality.objects.create(code=f"9{i:02}", name_fi=f"Kunta {i}") for i in range(3)]
    organisations = [
        Organisation.objects.create(
            code=f"org-{i}", name_fi=f"Organisaatio {i}", type=OrganisationType.NGO
        )
        for i in range(5)
    ]
    organisations[0].municipalities.set(places)
    rng = random.Random(15)
    months = [dt.date(2026, m, 1) for m in range(1, 13)]
    for start in range(0, n, 5000):
        answers = []
        values = []
        for i in range(start, min(n, start + 5000)):
            answer = Answer(
                id=uuid.uuid4(),
                survey="client_satisfaction",
                version="1",
                organisation=organisations[i % 5],
                municipality=places[i % 3],
                month=months[i % 12],
            )
            answers.append(answer)
            values += [
                AnswerValue(
                    answer=answer,
                    survey=answer.survey,
                    item=item,
                    organisation=answer.organisation,
                    municipality=answer.municipality,
                    month=answer.month,
                    value=rng.randint(low, high),
                )
                for item, low, high in ITEMS
            ]
        Answer.objects.bulk_create(answers)
        AnswerValue.objects.bulk_create(values)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_answer")
            cursor.execute("ANALYZE surveys_answervalue")
    user = get_user_model().objects.create_user("mikko")
    return StaffMember.objects.create(user=user, organisation=organisations[0], role=Role.MANAGER)


def afresh(call: Callable[[], None]) -> Callable[[], None]:
    """With the reporting store turned off (ADR 0026): what counting the results costs."""

    def counted() -> None:
        with override_settings(REPORTING_MAX_AGE=0):
            call()

    return counted


def timed(call: Callable[[], object], requests: int) -> dict[str, float]:
    call()  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return summary(times, [traced(call) for _ in range(3)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with bench_database():
        manager = build(args.answers)
        http = verified_client(manager.user)
        url = "/johtaminen/kyselyt/client_satisfaction/"

        def page(query: str) -> Callable[[], None]:
            def get() -> None:
                response = http.get(url + query)
                assert response.status_code == 200, response.status_code

            return get

        def front_page() -> None:
            assert http.get("/johtaminen/").status_code == 200

        cases = {
            "page: management front (baseline)": front_page,
            "page: own organisation, quarter": page("?jakso=2026Q3"),
            "page: own organisation, year": page("?jakso=2026"),
            "page: region, year": page("?jakso=2026&alue=1"),
            "page: region, year, counted afresh": afresh(page("?jakso=2026&alue=1")),
            "scale_answers: region, year": lambda: scale_answers(
                survey="client_satisfaction",
                item="overall",
                organisation_ids=None,
                municipality_code=None,
                start=dt.date(2026, 1, 1),
                end=dt.date(2026, 12, 31),
                using="default",
            ),
        }
        print(
            f"{connection.vendor}, {args.answers:,} answers, {AnswerValue.objects.count():,} "
            f"values; Python {platform.python_version()}, Django {django.get_version()}"
        )
        print(f"{'case':34} | p50 ms  p95 ms  ×front95  queries")
        baseline = None
        for name, call in cases.items():
            row = timed(call, args.requests)
            baseline = baseline or row["p95"]
            print(
                f"{name:34} | {row['p50']:6.1f}  {row['p95']:6.1f}  {row['p95'] / baseline:7.1f}"
                f"  {row['queries']:7.0f}"
            )


if __name__ == "__main__":
    main()
