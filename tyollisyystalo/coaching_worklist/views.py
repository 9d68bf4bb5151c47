"""The coach's worklist page: thin, everything decided in the selector."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tyollisyystalo.coaching_worklist import rules
from tyollisyystalo.coaching_worklist.selectors import worklist_get
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.staff.roles import Role

ROLES = (Role.JOB_COACH, Role.MANAGER)


@require_GET
@staff_view()
def worklist(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    worklist = worklist_get(staff=staff)
    if staff.role not in ROLES and not worklist.team_caseloads and not worklist.active_periods:
        raise Http404
    return render(
        request,
        "coaching_worklist/worklist.html",
        {
            "worklist": worklist,
            "full_fidelity": rules.CASELOAD_BANDS[0][0],
            "employer_days": rules.EMPLOYER_CONTACT_DAYS,
            "follow_days": rules.FOLLOW_ALONG_DAYS,
            "early_days": rules.FOLLOW_ALONG_EARLY_DAYS,
            "reads_coaching_team": worklist.reads_coaching_team,  # the navigation's question
        },
    )
