"""Parties answer a plan version themselves: the client on their own pages, a professional of
another organisation on theirs (ADR 0028). The coordinator's paper record stays in ``plans``."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.acknowledgements.forms import ResponseForm
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.plans import selectors, services
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.plans.parties import CLIENT
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

DONE = {
    services.Response.ACKNOWLEDGE: gettext_lazy("Kiitos! Kuittauksesi tallentui."),
    services.Response.CHANGES: gettext_lazy(
        "Kiitos! Kommenttisi tallentui, ja yhteyshenkilö näkee sen."
    ),
}


@staff_view()
def waiting(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    rows = selectors.plans_waiting_for_organisation(staff=staff)
    return render(request, "acknowledgements/waiting.html", {"rows": rows, "staff": staff})


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def respond(request: HttpRequest, staff: StaffMember, plan_id: uuid.UUID) -> HttpResponse:
    back = reverse("plans:detail", kwargs={"plan_id": plan_id})
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Kommentti on liian pitkä tai lomake on vanhentunut."), back)
    try:
        services.plan_respond_for_organisation(
            actor=staff,
            plan_id=plan_id,
            number=form.cleaned_data["number"],
            response=request.POST.get("response", ""),
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        return refused(request, exc.messages, back)
    messages.success(request, str(DONE.get(request.POST.get("response", ""), "")))
    return redirect(back)


@client_view
def own_index(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    waiting = selectors.plans_waiting_for_client(client_id=account.client_id)
    plans = list(
        Plan.objects.filter(client_id=account.client_id)
        .select_related("owner_organisation")
        .order_by("-started_on")
    )
    return render(request, "acknowledgements/own_index.html", {"waiting": waiting, "plans": plans})


@require_http_methods(["GET", "POST"])
@client_view
def own_plan(request: HttpRequest, account: ClientAccount, plan_id: uuid.UUID) -> HttpResponse:
    plan = (
        Plan.objects.select_related("owner_organisation")
        .filter(pk=plan_id, client_id=account.client_id)
        .first()
    )
    if plan is None:
        raise Http404
    here = reverse("acknowledgements:own_plan", kwargs={"plan_id": plan.pk})
    form = ResponseForm(request.POST or None, initial={"number": plan.current_number})
    if request.method == "POST":
        if not form.is_valid():
            return refused(request, _("Kommentti on liian pitkä tai lomake on vanhentunut."), here)
        response = request.POST.get("response", "")
        try:
            services.plan_respond_by_client(
                user=request.user,  # type: ignore[arg-type]
                client_id=account.client_id,
                plan_id=plan.pk,
                number=form.cleaned_data["number"],
                response=response,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            return refused(request, exc.messages, here)
        messages.success(request, str(DONE.get(response, "")))
        return redirect(here)
    versions = {
        v.number: v
        for v in PlanVersion.objects.filter(
            plan=plan, number__in=[plan.current_number, plan.current_number - 1]
        )
    }
    version = versions[plan.current_number]
    previous = versions.get(plan.current_number - 1)
    parties = selectors.version_parties(
        version, previous.content if previous else None, plan.owner_organisation_id
    )
    content = version.content
    service_ids = {a.service_id for a in content.actions if a.service_id}
    context = {
        "plan": plan,
        "version": version,
        "content": content,
        "services": {str(s.pk): s for s in Service.objects.filter(pk__in=service_ids)},
        "parties": parties,
        "mine": parties.of(CLIENT),
        "form": form,
    }
    return render(request, "acknowledgements/own_plan.html", context)
