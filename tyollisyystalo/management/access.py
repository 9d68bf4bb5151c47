"""Who sees which figures (issue 15): managers their own organisation and the municipalities
it serves; the regional steering group and managers the whole region, in aggregate only.
Everyone else gets 403 for the management pages; a foreign organisation's figures are 404.
Figures never name a person: the small-number rule (``disclosure``) applies to every count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class ManagementScope:
    organisation: Organisation | None  # whose own figures the staff member sees
    municipalities: tuple[Municipality, ...]  # the municipalities that organisation serves
    regional: bool  # the whole region in aggregate

    @property
    def municipality_codes(self) -> frozenset[str]:
        return frozenset(m.code for m in self.municipalities)


def management_scope(staff: StaffMember) -> ManagementScope | None:
    """None when the role sees no management figures at all (the views answer 403)."""
    own = staff.can(Capability.MANAGEMENT_READ)
    regional = staff.can(Capability.REGION_READ)
    if not own and not regional:
        return None
    organisation = staff.organisation if own else None
    municipalities: tuple[Municipality, ...] = ()
    if organisation is not None:
        served = organisation.municipalities.using(reporting_db())
        municipalities = tuple(served.order_by("name_fi"))
    return ManagementScope(organisation, municipalities, regional)


def scope_has_any(staff: StaffMember) -> bool:
    return staff.can(Capability.MANAGEMENT_READ) or staff.can(Capability.REGION_READ)


def organisation_for(scope: ManagementScope, code: str | None) -> Organisation | None:
    """The organisation whose figures a request asks for: none means the scope's own (or the
    region for a regional-only reader); another organisation's code is 404."""
    if not code:
        return scope.organisation
    if scope.organisation is not None and code == scope.organisation.code:
        return scope.organisation
    raise Http404


def municipality_for(scope: ManagementScope, code: str | None) -> Municipality | None:
    """A municipality the organisation serves (regional readers: any of the region's)."""
    if not code:
        return None
    for municipality in scope.municipalities:
        if municipality.code == code:
            return municipality
    if scope.regional:
        found = Municipality.objects.using(reporting_db()).filter(code=code).first()
        if found is not None:
            return found
    raise Http404
