"""The situation picture's two figures that are also indicators agree with the indicators app
on the same records: the share placed in work or study and the median days to the first
meeting (each app computes them on its own; the definitions are the same text)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from conftest import login
from tyollisyystalo.indicators.periods import parse_period
from tyollisyystalo.indicators.selectors import indicator_values
from tyollisyystalo.situation.tests.builders import (
    Q1,
    URL,
    D,
    municipality,
    path,
    person,
    table_cells,
)


@pytest.mark.django_db
def test_placed_share_and_days_to_first_meeting_agree(
    client: HttpClient, employment, mikko
) -> None:
    aalto = municipality("101", "Aalto")
    employment.municipalities.set([aalto])
    # Twelve paths closed in Q1, six in a job or study: 50 % (with 10 closed and 6 placed the
    # other 4 would be a small count worked back from the share: the page hides such a share).
    # They met 2, 4, ..., 24 days after opening on 1.1.: the median is (12 + 14) / 2 = 13.
    for n in range(12):
        client_ = person(employment, municipality=aalto)
        path(
            client_,
            employment,
            referred=D(2026, 1, 1),
            started=D(2026, 1, 3 + 2 * n),
            closed=D(2026, 3, 1),
            outcome="job_or_study" if n % 2 else "declined",
        )
    login(client, mikko)
    comparison = table_cells(client.get(f"{URL}?{Q1}").content.decode(), "comparison")
    assert comparison["placed_in_working_life"][0] == "50"
    assert comparison["median_days_to_first_meeting"][0] == "13"
    period = parse_period("2026-Q1")
    for key, shown in (("placed_in_working_life", 50), ("median_days_to_first_meeting", 13)):
        (value,) = indicator_values(
            key,
            organisation_id=employment.pk,
            municipality_code=None,
            periods=[period],
            using="default",
        )
        assert value.value == shown, key
