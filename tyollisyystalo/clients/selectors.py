"""Reads of client data. Every function here goes through the gatekeeper and logs the read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append, access_log_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.hetu import InvalidHetu, parse_hetu
from tyollisyystalo.clients.models import (
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.consents.gatekeeper import (
    AccessContext,
    Decision,
    access_context_load,
    candidate_owners,
    decide_identity,
    identity_decisions,
    readable_pairs,
    readable_records_q,
    visibility_filter,
)
from tyollisyystalo.consents.models import Consent
from tyollisyystalo.shared.crypto import keyed_hash
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.policy import Capability

SEARCH_LIMIT = 50
# Name matches whose visibility is checked first (see client_search).
SEARCH_CANDIDATES = 500
HETU_PURPOSE = "hetu"


def hetu_lookup_hash(code: str) -> str:
    return keyed_hash(parse_hetu(code).code, purpose=HETU_PURPOSE)


@dataclass
class SearchResult:
    identities: list[ClientIdentity]
    hetu_exists_elsewhere: bool = False
    truncated: bool = False


def client_search(
    *, staff: StaffMember, name: str = "", hetu: str = "", at: dt.datetime | None = None
) -> SearchResult:
    """Clients whose identity the staff member may read, by exact henkilötunnus or name parts."""
    if not staff.can(Capability.CLIENT_SEARCH):
        raise PermissionDenied
    at = at or timezone.now()
    identities = ClientIdentity.objects.select_related("municipality").order_by(
        "last_name", "first_names", "client_id"
    )
    if hetu.strip():
        try:
            digest = hetu_lookup_hash(hetu)
        except InvalidHetu as exc:
            raise ValidationError({"hetu": str(exc)}) from exc
        identities = identities.filter(hetu_hash=digest)
    elif name.strip():
        for token in name.casefold().split()[:5]:
            identities = identities.filter(search_name__contains=token)
    else:
        return SearchResult([])
    visible = identities.filter(visibility_filter(staff, at=at, client_ref="client_id"))
    # Check visibility for the first matches in name order only: evaluating it for every
    # match of a common name part grows with the registry. Only when too few of those are
    # visible is the whole match list checked.
    first = list(identities.values_list("client_id", flat=True)[:SEARCH_CANDIDATES])
    found = list(visible.filter(client_id__in=first)[: SEARCH_LIMIT + 1])
    if len(found) <= SEARCH_LIMIT and len(first) == SEARCH_CANDIDATES:
        found = list(visible[: SEARCH_LIMIT + 1])
    shown = found[:SEARCH_LIMIT]
    decisions = identity_decisions(staff, [i.client_id for i in shown], at=at)
    allowed: list[tuple[ClientIdentity, Decision]] = [
        (identity, decisions[identity.client_id])
        for identity in shown
        if decisions[identity.client_id].allowed
    ]
    events = [
        LogEvent(
            action=Action.SEARCH,
            outcome=Outcome.ALLOWED,
            client_id=identity.client_id,
            categories=[DataCategory.IDENTITY],
            basis=decision.basis,
            consent_id=decision.consent_id,
            purpose="client search",
        )
        for identity, decision in allowed
    ]
    exists_elsewhere = False
    if hetu.strip() and not allowed:
        hidden = identities.values_list("client_id", flat=True).first()
        if hidden is not None:
            exists_elsewhere = staff.can(Capability.CLIENT_REGISTER)
            events.append(
                LogEvent(
                    action=Action.SEARCH,
                    outcome=Outcome.DENIED,
                    client_id=hidden,
                    categories=[DataCategory.IDENTITY],
                    purpose="client search by henkilötunnus",
                )
            )
    access_log_append(actor=staff, events=events, at=at)
    return SearchResult(
        identities=[identity for identity, _ in allowed],
        hetu_exists_elsewhere=exists_elsewhere,
        truncated=len(found) > SEARCH_LIMIT,
    )


@dataclass
class ClientCard:
    client_id: uuid.UUID
    identity: ClientIdentity | None
    identity_decision: Decision
    entries: list[ClientEntry]
    more_exists: bool
    relationships: list[ClientRelationship] = field(default_factory=list)
    team: list[TeamMembership] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    context: AccessContext | None = None

    @property
    def entries_by_category(self) -> dict[str, list[ClientEntry]]:
        grouped: dict[str, list[ClientEntry]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.category].append(entry)
        return {c: grouped[c] for c in DataCategory.values if c in grouped}


def deny_and_log(
    *, staff: StaffMember, client_id: uuid.UUID, action: Action, at: dt.datetime, purpose: str
) -> Http404:
    """Log a denied attempt and return the 404 to raise: missing and forbidden look alike."""
    access_log_append(
        actor=staff,
        events=[
            LogEvent(action=action, outcome=Outcome.DENIED, client_id=client_id, purpose=purpose)
        ],
        at=at,
    )
    return Http404(_("Asiakasta ei löytynyt."))


def client_card_get(
    *, staff: StaffMember, client_id: uuid.UUID, at: dt.datetime | None = None, purpose: str
) -> ClientCard:
    """The client card: only what the gatekeeper allows, and whether more exists."""
    at = at or timezone.now()
    ctx = access_context_load(client_id, at=at)
    identity_decision = decide_identity(staff, ctx)
    pairs = readable_pairs(staff, ctx, candidate_owners(staff, ctx))
    if not ctx.owner_organisation_ids or (not identity_decision.allowed and not pairs):
        raise deny_and_log(
            staff=staff, client_id=client_id, action=Action.READ, at=at, purpose=purpose
        )
    allowed_q = readable_records_q(pairs)
    entries_qs = ClientEntry.objects.filter(client_id=client_id)
    entries = list(
        entries_qs.filter(allowed_q).select_related("author__user", "owner_organisation")
    )
    more_exists = entries_qs.exclude(allowed_q).exists()
    card = ClientCard(
        client_id=client_id,
        identity=None,
        identity_decision=identity_decision,
        entries=entries,
        more_exists=more_exists,
        context=ctx,
    )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    if identity_decision.allowed:
        card.identity = ClientIdentity.objects.select_related("municipality").get(
            client_id=client_id
        )
        card.relationships = list(
            ClientRelationship.objects.filter(client_id=client_id).select_related(
                "organisation", "unit"
            )
        )
        card.team = list(
            TeamMembership.objects.filter(
                client_id=client_id, ended_at__isnull=True
            ).select_related("staff_member__user", "staff_member__organisation")
        )
        card.consents = list(
            Consent.objects.filter(client_id=client_id).prefetch_related(
                "versions__disclosing_organisations",
                "versions__receiving_organisations",
                "versions__categories",
            )
        )
        read[(identity_decision.basis, identity_decision.consent_id)].add(DataCategory.IDENTITY)
    else:
        card.more_exists = True
    for entry in entries:
        decision = pairs[(entry.owner_organisation_id, entry.category)]
        read[(decision.basis, decision.consent_id)].add(entry.category)
    access_log_reads(
        actor=staff,
        client_id=client_id,
        read=read,
        object_type="client_card",
        object_id=str(client_id),
        purpose=purpose,
        at=at,
    )
    return card


def identity_if_allowed(
    staff: StaffMember, ctx: AccessContext
) -> tuple[ClientIdentity | None, Decision]:
    """The identity when the gatekeeper allows it (the caller logs the read), and why."""
    decision = decide_identity(staff, ctx)
    if not decision.allowed:
        return None, decision
    identity = ClientIdentity.objects.select_related("municipality").get(client_id=ctx.client_id)
    return identity, decision


def require_works_with(
    *, staff: StaffMember, client_id: uuid.UUID, at: dt.datetime, purpose: str
) -> None:
    """Changes to a client's team or consents need a working connection (team or duty)."""
    _ctx, decision = identity_decision_for(staff=staff, client_id=client_id, at=at)
    if not decision.allowed or decision.basis not in {Basis.TEAM, Basis.DUTY}:
        raise deny_and_log(
            staff=staff, client_id=client_id, action=Action.UPDATE, at=at, purpose=purpose
        )


def identity_decision_for(
    *, staff: StaffMember, client_id: uuid.UUID, at: dt.datetime
) -> tuple[AccessContext, Decision]:
    ctx = access_context_load(client_id, at=at)
    return ctx, decide_identity(staff, ctx)


def names_of(client_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ClientIdentity]:
    """Names only (nothing encrypted is loaded or decrypted), for lists of clients whose
    identity the caller has already been allowed to read and logs as read."""
    return {
        i.client_id: i
        for i in ClientIdentity.objects.filter(client_id__in=list(client_ids)).only(
            "client_id", "first_names", "last_name"
        )
    }
