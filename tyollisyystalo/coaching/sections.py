"""The coaching part of the client card: periods, status, coach, forms and jobs found."""

from __future__ import annotations

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.coaching.selectors import OBJECT_TYPE, periods_summary
from tyollisyystalo.coaching.services import may_start_periods, period_category


@card_section("coaching", order=65)
def coaching_section(access: ClientAccess) -> Section | None:
    """Periods are shown where (owner, the period's category) is readable; a coach who may
    start one sees the button."""
    summary = periods_summary(access)
    staff = access.staff
    can_start = (
        may_start_periods(staff)
        and access.may_write(period_category(staff)).allowed
        and not any(
            p.period.owner_organisation_id == staff.organisation_id and p.period.is_open
            for p in summary.periods
        )
    )
    if not summary.periods and not summary.more_exists and not can_start:
        return None
    return Section(
        "coaching",
        "coaching/_card_coaching.html",
        {"coaching": summary, "can_start": can_start},
        reads=tuple(
            read_of(
                access,
                owner=p.period.owner_organisation_id,
                category=p.period.category,
                object_type=OBJECT_TYPE,
                object_id=str(p.period.pk),
            )
            for p in summary.periods
        ),
        more_exists=summary.more_exists,
        data={"coaching": [p.as_data() for p in summary.periods]},
    )
