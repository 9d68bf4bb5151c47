"""client_satisfaction and cooperation from the survey helper's stored answers, by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tyollisyystalo.indicators.periods import parse_period
from tyollisyystalo.indicators.selectors import indicator_values
from tyollisyystalo.indicators.tests.conftest import World
from tyollisyystalo.organisations.models import Municipality, Organisation

# The survey helper's app (issue 15 part 1); until it is merged this module is skipped.
surveys = pytest.importorskip("tyollisyystalo.surveys.models")

Q1 = parse_period("2026-Q1")


def answered(
    survey: str,
    organisation: Organisation,
    municipality: Municipality | None,
    month: dt.date,
    value: int,
) -> None:
    counted = {
        "survey": survey,
        "organisation": organisation,
        "municipality": municipality,
        "month": month,
    }
    answer = surveys.Answer.objects.create(version="1", **counted)
    surveys.AnswerValue.objects.create(answer=answer, item="overall", value=value, **counted)


@pytest.mark.django_db
def test_client_satisfaction_and_cooperation_from_stored_answers(world: World) -> None:
    for value in (9, 8, 10, 7, 6):
        answered("client_satisfaction", world.own, world.x01, dt.date(2026, 2, 1), value)
    answered("client_satisfaction", world.own, world.x01, dt.date(2026, 4, 1), 4)  # Q2
    answered("client_satisfaction", world.other, world.x01, dt.date(2026, 2, 1), 4)  # theirs
    for value in (4, 3, 5, 4, 4, 2):
        answered("cooperation", world.own, None, dt.date(2026, 3, 1), value)

    def figure_of(key: str, organisation: Organisation | None) -> tuple[Decimal | None, int | None]:
        [figure] = indicator_values(
            key,
            organisation_id=None if organisation is None else organisation.pk,
            municipality_code=None,
            periods=[Q1],
            using="default",
        )
        return figure.value, figure.n

    # Ours: (9 + 8 + 10 + 7 + 6) / 5 = 8.0; the region adds the other's 4: 44 / 6 = 7.33 → 7.3
    assert figure_of("client_satisfaction", world.own) == (Decimal("8.0"), 5)
    assert figure_of("client_satisfaction", None) == (Decimal("7.3"), 6)
    # The staff's cooperation answers: (4 + 3 + 5 + 4 + 4 + 2) / 6 = 3.67 → 3.7
    assert figure_of("cooperation", world.own) == (Decimal("3.7"), 6)
