from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.forms import LoginForm
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_member_for, staff_view


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert form.user is not None
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        otp_login(request, form.device)
        return redirect(next_url or _start_page(form.user))
    status = 400 if request.method == "POST" else 200
    return render(request, "staff/login.html", {"form": form, "next": next_url}, status=status)


def _start_page(user: object) -> str:
    """Where a role begins its work: My clients (or the worklist, by the person's choice), the
    access log for oversight roles, the service list for service editors, or the management
    pages for the steering group."""
    staff = staff_member_for(user)
    if staff is not None and staff.can(Capability.CLIENT_SEARCH):
        return "cases:worklist" if staff.start_view == "worklist" else "cases:caseload"
    if staff is not None and staff.can(Capability.ACCESS_LOG_STAFF):
        return "audit:staff_log"
    if staff is not None and staff.can(Capability.CATALOGUE_EDIT):
        return "catalogue:editor_dashboard"
    if staff is not None and staff.can(Capability.REGION_READ):
        return "management:index"  # the steering group: the region's figures
    return "portal:home"


@staff_view()
def start(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """Where this staff member begins their work (a link for pages outside the staff side)."""
    return redirect(_start_page(request.user))


@require_POST
@staff_view(Capability.CLIENT_SEARCH)
def start_view_set(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """The person's own choice of where client work begins after login."""
    choice = request.POST.get("start_view", "")
    if choice not in {value for value, _label in StaffMember._meta.get_field("start_view").choices}:  # type: ignore[union-attr]
        return refused(request, _("Valitse aloitussivu."), reverse("cases:caseload"))
    StaffMember.objects.filter(pk=staff.pk).update(start_view=choice)
    messages.success(request, _("Aloitussivu tallennettiin."))
    return redirect("cases:caseload" if choice == "caseload" else "cases:worklist")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")
