"""The indicators' interface: ``scale_answers`` returns the values of the period and scope."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import OrganisationFactory
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.surveys.models import Answer, AnswerValue
from tyollisyystalo.surveys.selectors import scale_answers


def _answer(org, municipality, month: dt.date, **values: int) -> None:
    answer = Answer.objects.create(
        survey="client_satisfaction",
        version="1",
        organisation=org,
        municipality=municipality,
        month=month,
    )
    for item, value in values.items():
        AnswerValue.objects.create(
            answer=answer,
            survey=answer.survey,
            item=item,
            organisation=org,
            municipality=municipality,
            month=month,
            value=value,
        )


@pytest.mark.django_db
def test_values_of_the_item_in_period_organisation_and_municipality() -> None:
    a = OrganisationFactory.create(code="org-a")
    b = OrganisationFactory.create(code="org-b")
    north = Municipality.objects.create(code="901", name_fi="Pohjola")
    south = Municipality.objects.create(code="902", name_fi="Etelä")
    _answer(a, north, dt.date(2026, 7, 1), overall=9, heard=5)
    _answer(a, south, dt.date(2026, 9, 1), overall=7, heard=2)
    _answer(b, north, dt.date(2026, 8, 1), overall=4, heard=1)
    _answer(a, north, dt.date(2026, 10, 1), overall=10, heard=5)  # next quarter
    _answer(a, north, dt.date(2026, 6, 1), overall=5, heard=5)  # previous quarter
    q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    # By hand: Q3 overall answers are 9 (a, north), 7 (a, south), 4 (b, north).
    assert _values("overall", None, None, *q3) == [4, 7, 9]
    assert _values("overall", [a.pk], None, *q3) == [7, 9]
    assert _values("overall", [a.pk], "901", *q3) == [9]
    assert _values("heard", None, "901", *q3) == [1, 5]
    assert _values("overall", None, None, *q3, survey="cooperation") == []
    # A start in mid-month counts that month (answers know their month only).
    assert _values("overall", [a.pk], None, dt.date(2026, 10, 15), dt.date(2026, 12, 31)) == [10]


def _values(
    item: str,
    organisation_ids: list[int] | None,
    municipality_code: str | None,
    start: dt.date,
    end: dt.date,
    survey: str = "client_satisfaction",
) -> list[int]:
    return sorted(
        scale_answers(
            survey=survey,
            item=item,
            organisation_ids=organisation_ids,
            municipality_code=municipality_code,
            start=start,
            end=end,
            using="default",
        )
    )
