"""Which municipality a request for figures may name (on top of ``management.access``)."""

from __future__ import annotations

from django.http import Http404

from tyollisyystalo.management.access import ManagementScope, municipality_for
from tyollisyystalo.organisations.models import Municipality


def view_municipality(
    scope: ManagementScope, code: str | None, *, regional: bool
) -> Municipality | None:
    """In an organisation's figures only a municipality it serves (another is 404, though a
    reader of the region sees that one among the region's figures)."""
    if code and not regional and code not in scope.municipality_codes:
        raise Http404
    return municipality_for(scope, code)
