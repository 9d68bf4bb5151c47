"""Work-trial feedback: the host's page (no login) and the path team's link management."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.cases.selectors import case_get
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.worktrials import services
from tyollisyystalo.worktrials.forms import HostFeedbackForm, LinkForm

UNAVAILABLE_STATUS = {"unknown": 404, "used": 410, "revoked": 410, "expired": 410}


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: keep it out of caches and of other sites' referrer logs.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.link_for_token(token)
    except services.LinkUnavailable as exc:
        return _private(
            render(
                request,
                "worktrials/unavailable.html",
                {"state": exc.state},
                status=UNAVAILABLE_STATUS[exc.state],
            )
        )
    form = HostFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.feedback_submit(token=token, answers=form.cleaned_data)
            except services.LinkUnavailable as exc:
                return _private(
                    render(
                        request,
                        "worktrials/unavailable.html",
                        {"state": exc.state},
                        status=UNAVAILABLE_STATUS[exc.state],
                    )
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _private(render(request, "worktrials/thanks.html"))
    context = {"form": form, "link": link, "title": services.link_title(link)}
    return _private(render(request, "worktrials/answer.html", context, status=status))


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_RECORD_WRITE)
def create(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    page = case_get(staff=staff, case_id=case_id, purpose="worktrial feedback")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.feedback_link_create(
                actor=staff, case_id=case_id, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # The only time the address is shown: it is not stored anywhere.
            return _private(
                render(
                    request,
                    "worktrials/link_created.html",
                    {
                        "link": link,
                        "url": request.build_absolute_uri(
                            reverse("worktrials:answer", kwargs={"token": token})
                        ),
                        "case": page.case,
                    },
                )
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "worktrials/link_form.html",
        {"form": form, "case": page.case, "identity": page.identity},
        status=status,
    )


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def revoke(request: HttpRequest, staff: StaffMember, link_id: int) -> HttpResponse:
    try:
        link = services.feedback_link_revoke(actor=staff, link_id=link_id)
    except ValidationError as exc:
        return refused(request, exc.messages, reverse("cases:worklist"))
    messages.success(request, _("Linkki peruttiin. Se ei enää toimi."))
    return redirect(services.link_back_url(link))
