"""Reads of client data. Every function here goes through the gatekeeper and logs the read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tyollisyystalo.access.gatekeeper import (
    AccessContext,
    Decision,
    access_context_load,
    decide_identity,
    identity_decisions,
    visibility_filter,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.hetu import InvalidHetu, parse_hetu
from tyollisyystalo.clients.models import ClientIdentity, RelationshipStart
from tyollisyystalo.shared.crypto import keyed_hash
from tyollisyystalo.staff.models import StaffMember

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


def relationship_starts_to_review(
    *, staff: StaffMember, at: dt.datetime | None = None, limit: int = 200
) -> list[RelationshipStart]:
    """Relationships the reviewer's organisation started with other organisations' clients,
    newest first; the look is logged per client as oversight (like the emergency review)."""
    starts = list(
        RelationshipStart.objects.filter(organisation_id=staff.organisation_id).select_related(
            "started_by__user", "reviewed_by__user"
        )[:limit]
    )
    access_log_append(
        actor=staff,
        events=[
            LogEvent(
                action=Action.READ,
                outcome=Outcome.ALLOWED,
                client_id=start.client_id,
                basis=Basis.OVERSIGHT,
                object_type="relationship_start",
                object_id=str(start.pk),
                purpose="relationship start review",
            )
            for start in starts
        ],
        at=at,
    )
    return starts
