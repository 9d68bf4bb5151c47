"""Reads: the table in the reader's language, and an organisation's legal holds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import get_language

from tyollisyystalo.retention.models import LegalHold
from tyollisyystalo.retention.table import load_table
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class ClassText:
    name: str
    text: str


def retention_texts_for_clients() -> list[ClassText]:
    """How long each kind of data is kept, in plain words, in the active language.

    From the same table the eraser reads, so the page cannot drift from what is done.
    """
    language = (get_language() or "fi")[:2]
    return [
        ClassText(name=c.text("name", language), text=c.text("client_text", language))
        for c in load_table().classes
        if c.start != "planned"
    ]


def legal_holds_of_organisation(*, staff: StaffMember) -> QuerySet[LegalHold]:
    """Holds placed by the reader's organisation, active first. Client ids only, no names."""
    return (
        LegalHold.objects.filter(organisation=staff.organisation_id)
        .select_related("placed_by__user", "released_by__user")
        .order_by("released_at", "-placed_at")
    )
