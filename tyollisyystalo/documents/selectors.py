"""Opening a document: decided by the gatekeeper in the document's own category and logged."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.access.log import deny_and_log, read_of, reads_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.documents.models import Document
from tyollisyystalo.staff.models import StaffMember

PURPOSE = "document"


def document_for_staff(
    *, staff: StaffMember, document_id: uuid.UUID, at: dt.datetime | None = None
) -> Document:
    """The document when the reader may read its owner's category; the read logged. Otherwise
    a 404 (logged as denied when the document exists)."""
    at = at or timezone.now()
    document = Document.objects.filter(pk=document_id, attachment=False).first()
    if document is None:
        raise Http404(_("Asiakirjaa ei löytynyt."))
    access = client_access_decide(
        staff=staff,
        client_id=document.client_id,
        purpose=PURPOSE,
        at=at,
    )
    if not access.may_read(document.owner_organisation_id, document.category):
        raise deny_and_log(
            staff=staff,
            client_id=document.client_id,
            action=Action.READ,
            at=at,
            purpose=PURPOSE,
        )
    reads_log(
        access,
        [
            read_of(
                access,
                owner=document.owner_organisation_id,
                category=document.category,
                object_type="document",
                object_id=str(document.pk),
            )
        ],
    )
    return document


def own_documents(client_id: uuid.UUID) -> list[Document]:
    return list(
        Document.objects.filter(client_id=client_id, shared_with_client=True, attachment=False)
        .select_related("owner_organisation")
        .order_by("-created_at")
    )


def own_document(client_id: uuid.UUID, document_id: uuid.UUID) -> Document:
    document = Document.objects.filter(
        pk=document_id, client_id=client_id, shared_with_client=True
    ).first()
    if document is None:
        raise Http404(_("Asiakirjaa ei löytynyt."))
    return document
