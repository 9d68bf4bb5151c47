"""The paths' part of the client card: the client's service paths the reader may see."""

from __future__ import annotations

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.categories import DataCategory

OBJECT_TYPE = "client_cases"


@card_section("cases", order=50)
def cases_section(access: ClientAccess) -> Section:
    """Paths are plan data of their organisation (R3): shown where (owner, plan) is readable."""
    readable = access.records_q(category=DataCategory.PLAN)
    cases = list(
        Case.objects.filter(readable)
        .select_related("coordinator__user", "owner_organisation")
        .order_by("-referred_on", "-created_at")
    )
    hidden = Case.objects.filter(access.client_q()).exclude(readable).exists()
    staff = access.staff
    can_open_case = staff.can(Capability.CASE_MANAGE) and not any(
        c.is_open and c.owner_organisation_id == staff.organisation_id for c in cases
    )
    return Section(
        "cases",
        "cases/_card_cases.html",
        {"cases": cases, "can_open_case": can_open_case},
        reads=tuple(
            read_of(
                access,
                owner=c.owner_organisation_id,
                category=c.category,
                object_type=OBJECT_TYPE,
            )
            for c in cases
        ),
        more_exists=hidden,
        data={"cases": cases},
    )
