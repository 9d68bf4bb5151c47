"""The bell's pages: what is new for me, for staff (/ilmoitukset/) and clients (/omat/ilmoitukset/).

Each view works on the signed-in user's own notifications only; another user's id is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tyollisyystalo.notifications.forms import DigestForm
from tyollisyystalo.notifications.models import Notification
from tyollisyystalo.notifications.selectors import notifications_page, wants_digest
from tyollisyystalo.notifications.services import (
    notification_open,
    notification_preference_set,
    notifications_mark_read,
)
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _list(
    request: HttpRequest, user: Any, prefix: str, form: DigestForm | None = None
) -> HttpResponse:
    page = notifications_page(user, request.GET.get("sivu"))
    form = form or DigestForm(initial={"email_digest": "1" if wants_digest(user) else "0"})
    context = {"page": page, "form": form, "prefix": prefix}
    return render(
        request, "notifications/index.html", context, status=400 if form.is_bound else 200
    )


def _open(request: HttpRequest, user: Any, pk: int) -> HttpResponse:
    try:
        url = notification_open(user=user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    return redirect(url)


def _read_all(request: HttpRequest, user: Any, prefix: str) -> HttpResponse:
    count = notifications_mark_read(user=user)
    if count:
        messages.success(request, _("Ilmoitukset merkittiin luetuiksi."))
    return redirect(f"notifications:{prefix}index")


def _preference(request: HttpRequest, user: Any, prefix: str) -> HttpResponse:
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _list(request, user, prefix, form)
    notification_preference_set(user=user, email_digest=form.cleaned_data["email_digest"])
    messages.success(request, _("Ilmoitusasetus tallennettiin."))
    return redirect(f"notifications:{prefix}index")


@staff_view()
def index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return _list(request, staff.user, "")


@require_POST
@staff_view()
def open_(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    return _open(request, staff.user, pk)


@require_POST
@staff_view()
def read_all(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return _read_all(request, staff.user, "")


@require_POST
@staff_view()
def preference(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return _preference(request, staff.user, "")


@client_view
def own_index(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    return _list(request, account.user, "own_")


@require_POST
@client_view
def own_open(request: HttpRequest, account: ClientAccount, pk: int) -> HttpResponse:
    return _open(request, account.user, pk)


@require_POST
@client_view
def own_read_all(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    return _read_all(request, account.user, "own_")


@require_POST
@client_view
def own_preference(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    return _preference(request, account.user, "own_")
