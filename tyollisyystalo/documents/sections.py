"""The documents part of the client card: the documents the reader may read, newest first."""

from __future__ import annotations

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.policy import may_write_category
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.documents.models import Document

CARD = "client_card"
SHOWN = 20


@card_section("documents", order=75)
def documents_section(access: ClientAccess) -> Section | None:
    documents = list(
        Document.objects.filter(access.records_q(), attachment=False)
        .select_related("owner_organisation")
        .order_by("-created_at")[:SHOWN]
    )
    hidden = (
        Document.objects.filter(access.client_q(), attachment=False)
        .exclude(access.records_q())
        .exists()
    )
    may_upload = access.identity.allowed and any(
        may_write_category(access.staff.role, c) and access.may_write(c).allowed
        for c in DataCategory.values
    )
    if not documents and not may_upload:
        return Section("documents", "", more_exists=hidden)
    return Section(
        "documents",
        "documents/_card_documents.html",
        {"documents": documents, "client_id": access.client_id, "may_upload": may_upload},
        reads=tuple(
            read_of(access, owner=d.owner_organisation_id, category=d.category, object_type=CARD)
            for d in documents
        ),
        more_exists=hidden,
        data={"documents": [{"id": str(d.pk), "category": d.category} for d in documents]},
    )
