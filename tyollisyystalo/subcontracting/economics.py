"""The cost centre's economics (issue 17 part 5) as pure functions over plain figures.

A month's result = invoiced revenue + pay subsidy + work-arrangement support - members' wages
(hours × hourly wage, plus the employer's side costs as a dated percentage) - the supervisor's
cost - materials. Subsidies are receivable for the days of the month a decision was in force.
The pilot's three scenarios (seed 001 §3.3) are projections with the same arithmetic.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tyollisyystalo.subcontracting.parameters import ECONOMICS, params


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def side_costs_percent(on: dt.date) -> Decimal:
    return Decimal(params(ECONOMICS, on).employer_side_costs_percent)


@dataclass(frozen=True)
class Subsidy:
    """A monthly amount in force from ``start`` to ``end`` (None: open)."""

    monthly_cents: int
    start: dt.date
    end: dt.date | None


def days_in_force(subsidy: Subsidy, year: int, month: int) -> int:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    start = max(first, subsidy.start)
    end = min(last, subsidy.end or last)
    return max(0, (end - start).days + 1)


def subsidy_for_month(subsidy: Subsidy, year: int, month: int) -> int:
    """The month's amount, in proportion to the days it was in force."""
    days = days_in_force(subsidy, year, month)
    total = calendar.monthrange(year, month)[1]
    return _cents(Decimal(subsidy.monthly_cents) * days / total)


@dataclass
class Month:
    year: int
    month: int
    revenue_by_kind: dict[str, int] = field(default_factory=dict)
    hours: Decimal = Decimal(0)
    wages_cents: int = 0  # with the side costs
    supervisor_cents: int = 0
    subsidy_cents: int = 0
    arrangement_cents: int = 0
    materials_cents: int = 0

    @property
    def revenue_cents(self) -> int:
        return sum(self.revenue_by_kind.values())

    @property
    def support_cents(self) -> int:
        return self.subsidy_cents + self.arrangement_cents

    @property
    def costs_cents(self) -> int:
        return self.wages_cents + self.supervisor_cents + self.materials_cents

    @property
    def result_cents(self) -> int:
        return self.revenue_cents + self.support_cents - self.costs_cents

    @property
    def support_share(self) -> Decimal | None:
        """The subsidies' share of the costs, percent."""
        if not self.costs_cents:
            return None
        return (Decimal(self.support_cents) * 100 / self.costs_cents).quantize(Decimal("0.1"))


def wages(hours_and_wages: Iterable[tuple[Decimal, int]], on: dt.date) -> int:
    """Members' wage costs: each (hours, hourly wage in cents), plus the side costs."""
    gross = sum((hours * wage for hours, wage in hours_and_wages), Decimal(0))
    return _cents(gross * (100 + side_costs_percent(on)) / 100)


def total(months: Iterable[Month], year: int) -> Month:
    """The months summed (year to date)."""
    result = Month(year, 0)
    for m in months:
        for kind, cents in m.revenue_by_kind.items():
            result.revenue_by_kind[kind] = result.revenue_by_kind.get(kind, 0) + cents
        result.hours += m.hours
        result.wages_cents += m.wages_cents
        result.supervisor_cents += m.supervisor_cents
        result.subsidy_cents += m.subsidy_cents
        result.arrangement_cents += m.arrangement_cents
        result.materials_cents += m.materials_cents
    return result


# The pilot's three scenarios ------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """What a region expects of one option: groups, their members, billed hours and costs."""

    name: str
    groups: int
    members_per_group: int
    billed_hours_per_member: Decimal  # a month
    paid_hours_per_member: Decimal  # a month
    hourly_wage_cents: int
    subsidy_percent: int  # of the wage costs, as the pay subsidy decisions say
    arrangement_cents_per_member: int  # a month
    supervisor_cents_per_group: int  # a month
    materials_share_percent: int  # of the revenue


def project(scenario: Scenario, on: dt.date, hour_price_cents: int) -> Month:
    """A month of the scenario with the prices and side costs in force on ``on``."""
    members = scenario.groups * scenario.members_per_group
    month = Month(on.year, on.month)
    revenue = _cents(Decimal(members) * scenario.billed_hours_per_member * hour_price_cents)
    month.revenue_by_kind = {"projected": revenue}
    month.hours = members * scenario.paid_hours_per_member
    month.wages_cents = wages(
        [(members * scenario.paid_hours_per_member, scenario.hourly_wage_cents)], on
    )
    month.supervisor_cents = scenario.groups * scenario.supervisor_cents_per_group
    month.subsidy_cents = _cents(Decimal(month.wages_cents) * scenario.subsidy_percent / 100)
    month.arrangement_cents = members * scenario.arrangement_cents_per_member
    month.materials_cents = _cents(Decimal(revenue) * scenario.materials_share_percent / 100)
    return month
