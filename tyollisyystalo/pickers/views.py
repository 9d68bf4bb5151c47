"""GET /valitsimet/<source>/?q=…: a picker's options as JSON, for staff whose role may use the
form. Only names of services, organisations and professionals; never client data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tyollisyystalo.pickers.search import MAX_QUERY
from tyollisyystalo.pickers.sources import SOURCES, option_dicts
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

RESULTS = 20


@require_GET
@staff_view()
def options(request: HttpRequest, staff: StaffMember, source: str) -> HttpResponse:
    found = SOURCES.get(source)
    if found is None:
        raise Http404
    if not staff.can(found.capability):
        raise PermissionDenied
    q = request.GET.get("q", "")
    if len(q) > MAX_QUERY:
        return JsonResponse(
            {"detail": _("Hakusana on liian pitkä (enintään %(n)s merkkiä).") % {"n": MAX_QUERY}},
            status=400,
        )
    return JsonResponse({"results": option_dicts(found.options(q, RESULTS))})
