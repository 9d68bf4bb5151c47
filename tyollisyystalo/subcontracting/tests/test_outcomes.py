"""Where a member went when the employment ended, and the management indicator it feeds: the
share of ended work-group employments that ended in work on the open labour market."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import add_to_team, make_client
from tyollisyystalo.indicators.periods import PeriodKind, period_of
from tyollisyystalo.indicators.selectors import indicator_values
from tyollisyystalo.subcontracting import services
from tyollisyystalo.subcontracting.tests.conftest import TODAY, employ, scheduled_order


@pytest.mark.django_db
def test_ending_an_employment_records_where_the_person_went(
    supervisor, group, member, person_customer
):
    order = scheduled_order(supervisor, group, person_customer)
    services.hours_record(
        actor=supervisor,
        order_id=order.pk,
        member_id=member.pk,
        day=TODAY - dt.timedelta(days=5),
        hours=Decimal(4),
    )
    with pytest.raises(ValidationError) as hours_after:
        services.member_end(
            actor=supervisor,
            member_id=member.pk,
            on=TODAY - dt.timedelta(days=6),
            reason="open_market",
        )
    assert "tunteja" in " ".join(hours_after.value.messages)
    with pytest.raises(ValidationError):
        services.member_end(actor=supervisor, member_id=member.pk, on=TODAY, reason="somewhere")
    member.refresh_from_db()
    assert member.contract_end is None
    ended = services.member_end(
        actor=supervisor, member_id=member.pk, on=TODAY - dt.timedelta(days=1), reason="open_market"
    )
    assert ended.contract_end == TODAY - dt.timedelta(days=1)
    assert ended.end_reason == "open_market"
    with pytest.raises(ValidationError):  # no hours after the employment
        services.hours_record(
            actor=supervisor, order_id=order.pk, member_id=member.pk, day=TODAY, hours=Decimal(1)
        )


@pytest.mark.django_db
def test_the_indicator_counts_ended_employments_that_went_to_open_market_work(
    supervisor, group, county
):
    """Seven employments ended this month (five to open-market work, one to education, one
    with no reason recorded); one ends next month and does not count yet."""
    period = period_of(PeriodKind.MONTH, TODAY)
    day = period.start if period.start < TODAY else TODAY
    reasons = ["open_market"] * 5 + ["education", ""]
    for n, reason in enumerate([*reasons, "future"]):
        person = make_client(organisation=county, name=(f"Henkilö{n}", "Esimerkki"))
        add_to_team(person, supervisor)
        member = employ(supervisor, group, person, start_days_ago=100)
        if reason == "future":
            member.contract_end = period.end + dt.timedelta(days=1)
            member.save(update_fields=["contract_end"])
        elif reason:
            services.member_end(actor=supervisor, member_id=member.pk, on=day, reason=reason)
        else:
            member.contract_end = day
            member.save(update_fields=["contract_end"])
    [value] = indicator_values(
        "work_group_open_market",
        organisation_id=county.pk,
        municipality_code=None,
        periods=[period],
        using="default",
    )
    assert value.numerator == 5
    assert value.denominator == 7
    assert value.value is not None
    assert round(value.value) == 71
