"""The client card, composed of the record apps' sections over one access decision."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from tyollisyystalo.access.client_access import ClientAccess, client_access_decide
from tyollisyystalo.access.log import reads_log
from tyollisyystalo.access.sections import Section, card_section_function, card_sections
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class ClientCard:
    access: ClientAccess
    sections: tuple[Section, ...]

    @property
    def client_id(self) -> uuid.UUID:
        return self.access.client_id

    @property
    def more_exists(self) -> bool:
        """The client has data the reader may not see (nothing more is told)."""
        return any(section.more_exists for section in self.sections)

    @property
    def drawn(self) -> list[Section]:
        return [section for section in self.sections if section.template]

    def data(self, key: str, default: Any = None) -> Any:
        """A value the sections offer the API (``identity``, ``entries``, ``team`` …)."""
        for section in self.sections:
            if key in section.data:
                return section.data[key]
        return default

    @property
    def facts(self) -> list[tuple[str, str, str]]:
        """The summary's lines, from every part the reader was shown."""
        return [fact for section in self.sections for fact in section.facts]

    @property
    def todo(self) -> list[tuple[str, str]]:
        return [item for section in self.sections for item in section.todo]

    @property
    def identity(self) -> Any:
        return self.data("identity")

    @property
    def entries(self) -> list[Any]:
        return list(self.data("entries", []))

    @property
    def team(self) -> list[Any]:
        return list(self.data("team", []))

    @property
    def coaching(self) -> list[Any]:
        return list(self.data("coaching", []))

    @property
    def consent_ids(self) -> list[int]:
        return [consent.pk for consent in self.data("consents", [])]


def client_card_get(
    *, staff: StaffMember, client_id: uuid.UUID, purpose: str, at: dt.datetime | None = None
) -> ClientCard:
    """Decide once, draw every registered section with that decision, log all reads once.

    A reader who may see nothing of the client gets a 404, logged as denied.
    """
    access = client_access_decide(staff=staff, client_id=client_id, purpose=purpose, at=at)
    sections = tuple(
        section for _key, function in card_sections() if (section := function(access)) is not None
    )
    reads_log(access, [read for section in sections for read in section.reads])
    return ClientCard(access=access, sections=sections)


def client_card_section_get(
    *,
    staff: StaffMember,
    client_id: uuid.UUID,
    key: str,
    purpose: str,
    at: dt.datetime | None = None,
) -> ClientCard:
    """One part of the card on its own page: the same decision, only that part drawn and its
    reads logged. A part that does not exist or shows nothing to the reader is a 404."""
    function = card_section_function(key)
    if function is None:
        raise Http404
    access = client_access_decide(staff=staff, client_id=client_id, purpose=purpose, at=at)
    section = function(access)
    if section is None or not section.template:
        raise Http404
    reads_log(access, section.reads)
    return ClientCard(access=access, sections=(section,))


def team_membership_for_removal(
    *, staff: StaffMember, client_id: uuid.UUID, membership_id: int, at: dt.datetime | None = None
) -> Any:
    """A current member of the client's team as the card's team part shows them to the reader.

    A member the reader is not shown (another client's, ended, or hidden by R3) is a 404 and
    nothing is logged as read; a shown member's team part is logged as read.
    """
    function = card_section_function("team")
    if function is None:
        raise Http404
    access = client_access_decide(
        staff=staff, client_id=client_id, purpose="team member removal", at=at
    )
    section = function(access)
    team = section.data.get("team", []) if section is not None else []
    member = next((m for m in team if m.pk == membership_id and m.ended_at is None), None)
    if member is None or section is None:
        raise Http404
    reads_log(access, section.reads)
    return member
