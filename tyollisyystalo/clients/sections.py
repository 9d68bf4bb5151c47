"""The clients app's parts of the client card: identity, relationships, team and entries.

Each function gets the request's ``ClientAccess`` and reads only through it.
"""

from __future__ import annotations

from collections import defaultdict

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import identity_read, read_of
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.forms import ClientEntryForm, TeamMemberForm
from tyollisyystalo.clients.models import (
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)

CARD = "client_card"


@card_section("identity", order=10)
def identity_section(access: ClientAccess) -> Section:
    if not access.identity.allowed:
        # Records may be readable without the identity; that more exists is all it says.
        return Section("identity", "", more_exists=True)
    identity = ClientIdentity.objects.select_related("municipality").get(client_id=access.client_id)
    return Section(
        "identity",
        "clients/_card_identity.html",
        {"identity": identity},
        reads=(identity_read(access, object_type=CARD),),
        data={"identity": identity},
    )


@card_section("relationships", order=20)
def relationships_section(access: ClientAccess) -> Section | None:
    """The client's relationships with organisations."""
    if not access.identity.allowed:
        return None
    shown = list(
        ClientRelationship.objects.filter(client_id=access.client_id)
        .select_related("organisation", "unit")
        .order_by("started_on", "pk")
    )
    return Section(
        "relationships",
        "clients/_card_relationships.html",
        {"relationships": shown},
        data={"relationships": shown},
    )


@card_section("team", order=30)
def team_section(access: ClientAccess) -> Section | None:
    """The client's team (members and invitations)."""
    if not access.identity.allowed:
        return None
    shown = list(
        TeamMembership.objects.filter(
            client_id=access.client_id, ended_at__isnull=True
        ).select_related("staff_member__user", "staff_member__organisation")
    )
    team_form = TeamMemberForm() if access.staff.can(Capability.TEAM_MANAGE) else None
    return Section(
        "team",
        "clients/_card_team.html",
        {"team": shown, "team_form": team_form},
        data={"team": shown},
    )


@card_section("entries", order=90)
def entries_section(access: ClientAccess) -> Section:
    entries = list(
        ClientEntry.objects.filter(access.records_q())
        .select_related("author__user", "owner_organisation")
        .order_by("-entry_date", "-created_at")
    )
    hidden = ClientEntry.objects.filter(access.client_q()).exclude(access.records_q()).exists()
    grouped: dict[str, list[ClientEntry]] = defaultdict(list)
    for entry in entries:
        grouped[entry.category].append(entry)
    staff = access.staff
    return Section(
        "entries",
        "clients/_card_entries.html",
        {
            "entries_by_category": {c: grouped[c] for c in DataCategory.values if c in grouped},
            "entry_form": ClientEntryForm(staff=staff)
            if staff.can(Capability.CLIENT_RECORD_WRITE)
            else None,
        },
        reads=tuple(
            read_of(access, owner=e.owner_organisation_id, category=e.category, object_type=CARD)
            for e in entries
        ),
        more_exists=hidden,
        data={"entries": entries},
    )
