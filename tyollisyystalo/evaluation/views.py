"""The evaluation package page: what it contains, the purpose, the download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.evaluation.coarsening import AGE_GROUPS
from tyollisyystalo.evaluation.forms import PurposeForm
from tyollisyystalo.evaluation.pseudonyms import PSEUDONYM_LENGTH
from tyollisyystalo.evaluation.schema import TABLES
from tyollisyystalo.evaluation.services import evaluation_package_export, export_organisation
from tyollisyystalo.management.disclosure import MIN_COUNT
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@require_http_methods(["GET", "POST"])
@staff_view(Capability.EVALUATION_EXPORT)
def package(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    organisation = export_organisation(staff)
    form = PurposeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        export = evaluation_package_export(actor=staff, purpose=form.cleaned_data["purpose"])
        response = HttpResponse(export.content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "evaluation/package.html",
        {
            "organisation": organisation,
            "form": form,
            "tables": TABLES,
            "min_count": MIN_COUNT,
            "pseudonym_length": PSEUDONYM_LENGTH,
            "youngest": AGE_GROUPS[0],
            "oldest": AGE_GROUPS[-1],
        },
        status=400 if form.is_bound else 200,
    )
