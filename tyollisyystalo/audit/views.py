from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit import selectors
from tyollisyystalo.audit.forms import LogFilterForm
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

PAGE_SIZE = 50


@staff_view(Capability.ACCESS_LOG_CLIENT)
def client_log(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    entries = selectors.access_log_for_client(staff=staff, client_id=client_id, f=form.to_filter())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sivu"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "audit/client_log.html",
        {
            "form": form,
            "page": page,
            "client_id": client_id,
            "others": selectors.access_log_has_others(staff=staff, client_id=client_id),
        },
        status=status,
    )


@staff_view(Capability.ACCESS_LOG_STAFF)
def staff_log(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = LogFilterForm(request.GET or None, organisation_id=staff.organisation_id)
    entries = selectors.access_log_for_organisation(staff=staff, f=form.to_filter())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sivu"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    # A client's own log opens only for clients the organisation has or had: no link to a 404.
    linkable = selectors.clients_overseen(staff, {e.client_id for e in page if e.client_id})
    return render(
        request,
        "audit/staff_log.html",
        {"form": form, "page": page, "linkable": linkable},
        status=status,
    )
