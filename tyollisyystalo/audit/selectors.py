"""Reading the access log: who may see which entries, and the chain check."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit import chain
from tyollisyystalo.audit.models import (
    LEGACY_CHAIN,
    AccessLogEntry,
    Action,
    Basis,
    ChainHead,
    Outcome,
    organisation_chain,
)
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.audit.verification import access_log_verify
from tyollisyystalo.clients.models import ClientRelationship
from tyollisyystalo.clients.selectors import identity_decision_for
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class LogFilter:
    action: str = ""
    outcome: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    actor_user_id: int | None = None
    client_id: uuid.UUID | None = None


def access_log_filtered(
    queryset: QuerySet[AccessLogEntry], f: LogFilter
) -> QuerySet[AccessLogEntry]:
    q = Q()
    if f.action:
        q &= Q(action=f.action)
    if f.outcome:
        q &= Q(outcome=f.outcome)
    if f.since:
        q &= Q(at__date__gte=f.since)
    if f.until:
        q &= Q(at__date__lte=f.until)
    if f.actor_user_id is not None:
        q &= Q(actor_user_id=f.actor_user_id)
    if f.client_id is not None:
        q &= Q(client_id=f.client_id)
    # Chains are ordered by time between them; ``id`` keeps one call's rows in order.
    return queryset.filter(q).order_by("-at", "-id")


def access_log_breaks(batch_size: int = 5000) -> Iterator[chain.Break]:
    """Every break in any chain, heads and rows read in one snapshot (ADR 0019)."""
    yield from access_log_verify(batch_size=batch_size).breaks


def log_heads_readable() -> int:
    """The number of chain heads, read with one query: raises if the log's tables are unusable.

    For readiness checks: cheap (no entries are read) and touches no personal data.
    """
    return ChainHead.objects.count()


def _oversees_client(staff: StaffMember, client_id: uuid.UUID) -> bool:
    """Oversight roles see the log of clients their organisation has or had."""
    return ClientRelationship.objects.filter(
        client_id=client_id, organisation_id=staff.organisation_id
    ).exists()


def clients_overseen(staff: StaffMember, client_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of ``client_ids``, those whose access log the oversight role may open (its organisation
    has or had them): the organisation's log links only those, in one query."""
    if not staff.can(Capability.ACCESS_LOG_STAFF):
        return set()
    return set(
        ClientRelationship.objects.filter(
            client_id__in=list(client_ids), organisation_id=staff.organisation_id
        ).values_list("client_id", flat=True)
    )


def access_log_for_client(
    *, staff: StaffMember, client_id: uuid.UUID, f: LogFilter, at: dt.datetime | None = None
) -> QuerySet[AccessLogEntry]:
    """Who read this client's data. The reading itself is logged."""
    at = at or timezone.now()
    if not staff.can(Capability.ACCESS_LOG_CLIENT):
        raise PermissionDenied
    basis: Basis | None = None
    if staff.can(Capability.ACCESS_LOG_STAFF) and _oversees_client(staff, client_id):
        basis = Basis.OVERSIGHT
    else:
        _ctx, decision = identity_decision_for(staff=staff, client_id=client_id, at=at)
        if decision.allowed and decision.basis in {Basis.TEAM, Basis.DUTY}:
            basis = decision.basis
    if basis is None:
        raise deny_and_log(
            staff=staff, client_id=client_id, action=Action.READ_LOG, at=at, purpose="access log"
        )
    access_log_append(
        actor=staff,
        events=[
            LogEvent(
                action=Action.READ_LOG,
                outcome=Outcome.ALLOWED,
                client_id=client_id,
                basis=basis,
                object_type="access_log",
                object_id=str(client_id),
                purpose="client access log viewed",
            )
        ],
        at=at,
    )
    return access_log_filtered(
        AccessLogEntry.objects.filter(client_id=client_id).filter(_own_register_q(staff)), f
    )


def _own_register_q(staff: StaffMember) -> Q:
    """Rows of the staff member's own organisation (its register's log) and of the client
    or the system. Another organisation's rows would reveal that the client uses its
    services, and which of its professionals (R3); the page says only that more exists."""
    return Q(actor_organisation_id=staff.organisation_id) | Q(actor_organisation_id__isnull=True)


def access_log_has_others(*, staff: StaffMember, client_id: uuid.UUID) -> bool:
    """Whether the client's log has rows of other organisations (never which)."""
    return (
        AccessLogEntry.objects.filter(client_id=client_id).exclude(_own_register_q(staff)).exists()
    )


def access_log_for_organisation(
    *, staff: StaffMember, f: LogFilter, at: dt.datetime | None = None
) -> QuerySet[AccessLogEntry]:
    """What the staff of the viewer's organisation did (managers and administrators)."""
    if not staff.can(Capability.ACCESS_LOG_STAFF):
        raise PermissionDenied
    access_log_append(
        actor=staff,
        events=[
            LogEvent(
                action=Action.READ_LOG,
                outcome=Outcome.ALLOWED,
                client_id=f.client_id,
                basis=Basis.OVERSIGHT,
                object_type="access_log",
                object_id=f"staff:{f.actor_user_id or 'all'}",
                purpose="staff access log viewed",
            )
        ],
        at=at,
    )
    # The organisation's own chain holds exactly its staff members' entries; before ADR 0019
    # they were in the single chain, now ``legacy``.
    entries = AccessLogEntry.objects.filter(
        Q(chain=organisation_chain(staff.organisation_id))
        | Q(chain=LEGACY_CHAIN, actor_organisation_id=staff.organisation_id)
    )
    return access_log_filtered(entries, f)
