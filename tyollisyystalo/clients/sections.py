"""The clients app's parts of the client card: identity, relationships, team and entries.

Each function gets the request's ``ClientAccess`` and reads only through it. Relationships and
team memberships are service-use facts (R3): one with organisation O in a unit of category c is
shown only when the reader may read (O, c), or (O, identity) when the unit has no category;
hidden ones only make the card say that more exists.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import identity_read, read_of, service_use_read
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
    """The client's relationships with organisations, each only as R3 allows."""
    relationships = ClientRelationship.objects.filter(client_id=access.client_id)
    shown = list(
        relationships.filter(access.service_use_q(organisation="organisation_id", unit="unit"))
        .select_related("organisation", "unit")
        .order_by("started_on", "pk")
    )
    hidden = relationships.count() > len(shown)
    if not shown:
        return Section("relationships", "", more_exists=hidden, data={"relationships": []})
    return Section(
        "relationships",
        "clients/_card_relationships.html",
        {"relationships": shown},
        reads=tuple(
            service_use_read(access, r.organisation_id, r.unit, object_type=CARD) for r in shown
        ),
        more_exists=hidden,
        data={"relationships": shown},
    )


@card_section("team", order=30)
def team_section(access: ClientAccess) -> Section | None:
    """The client's team (members and invitations), each member only as R3 allows."""
    team = TeamMembership.objects.filter(client_id=access.client_id, ended_at__isnull=True)
    # An invitation the reader's organisation made and that is not yet accepted is its own
    # record (cases.selectors._own_invitation): shown, and read as nothing of the member's.
    own_invitation = Q(
        started_at__isnull=True, added_by__organisation_id=access.staff.organisation_id
    )
    visible = access.service_use_q(
        organisation="staff_member__organisation_id", unit="staff_member__unit"
    )
    shown = list(
        team.filter(visible | own_invitation).select_related(
            "staff_member__user", "staff_member__organisation", "staff_member__unit"
        )
    )
    hidden = team.count() > len(shown)
    team_form = TeamMemberForm() if access.staff.can(Capability.TEAM_MANAGE) else None
    if not shown and not (team_form and access.identity.allowed):
        return Section("team", "", more_exists=hidden, data={"team": []})
    return Section(
        "team",
        "clients/_card_team.html",
        {"team": shown, "team_form": team_form},
        reads=tuple(
            service_use_read(
                access,
                m.staff_member.organisation_id,
                m.staff_member.unit,
                object_type=CARD,
            )
            for m in shown
            if access.service_use(
                m.staff_member.organisation_id,
                m.staff_member.unit.data_category if m.staff_member.unit else "",
            ).allowed
        ),
        more_exists=hidden,
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
