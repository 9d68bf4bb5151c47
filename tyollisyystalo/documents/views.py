"""Uploading and opening documents (staff), and the client's shared documents (/omat/)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability, may_write_category
from tyollisyystalo.audit.models import Action
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.documents import selectors
from tyollisyystalo.documents.forms import UploadForm
from tyollisyystalo.documents.models import Document
from tyollisyystalo.documents.services import document_bytes, document_upload
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def document_download(document: Document) -> HttpResponse:
    """The file as a download: its own type, never sniffed, never cached."""
    response = HttpResponse(document_bytes(document), content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=document.filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _writable(staff: StaffMember, client_id: uuid.UUID) -> list[str]:
    """The categories the staff member may add a document to for this client."""
    ctx = access_context_load(client_id)
    return [
        c
        for c in DataCategory.values
        if may_write_category(staff.role, c)
        and decide_write(
            staff, ctx, owner_organisation_id=staff.organisation_id, category=c
        ).allowed
    ]


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_SEARCH)
def upload(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    categories = _writable(staff, client_id)
    if not categories:
        raise deny_and_log(
            staff=staff,
            client_id=client_id,
            action=Action.CREATE,
            at=timezone.now(),
            purpose="document upload",
        )
    form = UploadForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            document_upload(
                actor=staff,
                client_id=client_id,
                category=form.cleaned_data["category"],
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                shared_with_client=form.cleaned_data["shared_with_client"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Asiakirja tallennettiin."))
            return redirect("casefile:card", client_id=client_id)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "client_id": client_id}
    return render(request, "documents/upload.html", context, status=status)


@staff_view(Capability.CLIENT_SEARCH)
def download(request: HttpRequest, staff: StaffMember, document_id: uuid.UUID) -> HttpResponse:
    return document_download(selectors.document_for_staff(staff=staff, document_id=document_id))


@client_view
def own_index(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    documents = selectors.own_documents(account.client_id)
    return render(request, "documents/own_index.html", {"documents": documents})


@client_view
def own_download(
    request: HttpRequest, account: ClientAccount, document_id: uuid.UUID
) -> HttpResponse:
    return document_download(selectors.own_document(account.client_id, document_id))
