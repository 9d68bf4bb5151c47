"""Messages: the professional's inbox and threads, and the client's own (/omat/viestit/)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.documents.views import document_download
from tyollisyystalo.messaging import selectors, services
from tyollisyystalo.messaging.forms import AwayForm, ClientThreadForm, ReplyForm, StaffThreadForm
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@staff_view(Capability.CLIENT_SEARCH)
def inbox(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    rows = selectors.staff_inbox(staff)
    away = AwayForm(initial={"away_until": staff.away_until})
    return render(request, "messaging/inbox.html", {"rows": rows, "away_form": away})


@require_POST
@staff_view(Capability.CLIENT_SEARCH)
def away(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = AwayForm(request.POST)
    if form.is_valid():
        try:
            services.staff_away_set(actor=staff, until=form.cleaned_data["away_until"])
        except ValidationError as exc:
            apply_errors(form, exc)
    if not form.is_valid() or form.errors:
        rows = selectors.staff_inbox(staff)
        return render(
            request, "messaging/inbox.html", {"rows": rows, "away_form": form}, status=400
        )
    messages.success(request, _("Poissaolo tallennettiin."))
    return redirect("messaging:inbox")


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_SEARCH)
def start(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = StaffThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start_by_staff(
                actor=staff,
                client_id=client_id,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Viesti lähetettiin."))
            return redirect("messaging:thread", thread_id=thread.pk)
    elif request.method == "GET":
        # Only someone who may write the client's notes sees the form (the same 404 otherwise).
        services.staff_may_write(staff, client_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_SEARCH)
def thread(request: HttpRequest, staff: StaffMember, thread_id: uuid.UUID) -> HttpResponse:
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_reply_by_staff(
                    actor=staff,
                    thread_id=thread_id,
                    body=form.cleaned_data["body"],
                    upload=form.cleaned_data["attachment"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Viesti lähetettiin."))
                return redirect("messaging:thread", thread_id=thread_id)
        status = 400
    view = selectors.staff_thread(staff, thread_id)
    services.messages_read_by_staff(actor=staff, thread=view.thread, at=timezone.now())
    return render(
        request,
        "messaging/thread.html",
        {"view": view, "form": form, "staff_side": True},
        status=status,
    )


@client_view
def own_index(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    rows = selectors.own_threads(account.client_id)
    return render(request, "messaging/own_index.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@client_view
def own_start(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    recipients = services.client_recipients(account.client_id)
    form = ClientThreadForm(request.POST or None, request.FILES or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start_by_client(
                client_id=account.client_id,
                recipient_id=form.cleaned_data["recipient"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Viestisi lähetettiin."))
            return redirect("messaging:own_thread", thread_id=thread.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "recipients": recipients}
    return render(request, "messaging/own_start.html", context, status=status)


@require_http_methods(["GET", "POST"])
@client_view
def own_thread(request: HttpRequest, account: ClientAccount, thread_id: uuid.UUID) -> HttpResponse:
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_reply_by_client(
                    client_id=account.client_id,
                    thread_id=thread_id,
                    body=form.cleaned_data["body"],
                    upload=form.cleaned_data["attachment"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Viestisi lähetettiin."))
                return redirect("messaging:own_thread", thread_id=thread_id)
        status = 400
    view = selectors.own_thread(account.client_id, thread_id)
    services.messages_read_by_client(thread=view.thread, at=timezone.now())
    return render(
        request,
        "messaging/thread.html",
        {"view": view, "form": form, "staff_side": False},
        status=status,
    )


def _attachment_response(view: selectors.ThreadView, message_id: uuid.UUID) -> HttpResponse:
    message = next((m for m in view.messages if m.pk == message_id), None)
    if message is None or message.attachment is None:
        raise Http404(_("Liitettä ei löytynyt."))
    return document_download(message.attachment)


@staff_view(Capability.CLIENT_SEARCH)
def attachment(
    request: HttpRequest, staff: StaffMember, thread_id: uuid.UUID, message_id: uuid.UUID
) -> HttpResponse:
    """A message's file: to the thread's members whom the gatekeeper allows (read logged)."""
    return _attachment_response(selectors.staff_thread(staff, thread_id), message_id)


@client_view
def own_attachment(
    request: HttpRequest, account: ClientAccount, thread_id: uuid.UUID, message_id: uuid.UUID
) -> HttpResponse:
    return _attachment_response(selectors.own_thread(account.client_id, thread_id), message_id)
