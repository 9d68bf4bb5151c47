"""The coaching part of the client card: periods, status, coach, forms and jobs found."""

from __future__ import annotations

from django.db.models import Q

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.coaching.models import Placement
from tyollisyystalo.coaching.selectors import OBJECT_TYPE, periods_summary
from tyollisyystalo.coaching.services import may_start_periods, period_category
from tyollisyystalo.employers.detail_parts import EmployerPart, employer_part
from tyollisyystalo.employers.models import Employer
from tyollisyystalo.employers.selectors import ClientLink, client_links_decide
from tyollisyystalo.staff.models import StaffMember


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


@employer_part("hires", order=10)
def employer_hires(staff: StaffMember, employer: Employer) -> EmployerPart:
    """The clients the employer has hired through coaching (part 3): a client's name and job
    only where the gatekeeper lets the reader read that placement and the client's identity;
    the others are only counted."""
    placements = list(
        Placement.objects.filter(Q(employer=employer) | Q(employer__merged_into=employer)).order_by(
            "-started_on"
        )[:100]
    )
    links = {
        p.pk: ClientLink(
            p.client_id, p.owner_organisation_id, p.category, "coaching_placement", str(p.pk)
        )
        for p in placements
    }
    shown = client_links_decide(staff=staff, links=links.values(), purpose="employer register")
    rows = [
        {"placement": p, "name": shown[links[p.pk]]} for p in placements if links[p.pk] in shown
    ]
    return EmployerPart(
        "coaching/_employer_hires.html",
        {"rows": rows, "hidden": len(placements) - len(rows)},
    )
