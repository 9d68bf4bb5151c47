"""The gatekeeper: the one place that decides who may read or write which client data.

A staff member may read a record of category *c* owned by organisation *o* when the role's
duties need *c* (``access.policy``) **and** one of:

1. *own organisation*: *o* is the staff member's organisation and the staff member is in the
   client's team, or the role's duty covers the clients of that organisation (intake);
2. *consent*: the staff member is in the client's team (or covered by duty in their own
   organisation, which has a client relationship) and a consent valid at that moment names *o*
   as discloser, the staff member's organisation as receiver and covers *c*;
3. *emergency*: the staff member has an active, reasoned emergency access to the client.

Identity data is owned by every organisation that has had a client relationship with the client.
Writes are only ever to the staff member's own organisation's records (rule 1).
Each condition below stands on its own line so coverage shows every branch.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import connection as database
from django.db.models import Exists, Field, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from tyollisyystalo.access.policy import may_read_category, may_write_category, policy_for
from tyollisyystalo.audit.models import Basis
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import (
    Client,
    ClientRecord,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.consents.models import ConsentCategory, ConsentVersion, EmergencyAccess
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: Basis = Basis.NONE
    consent_id: int | None = None
    owner_organisation_id: int | None = None


DENIED = Decision(False)


@dataclass(frozen=True)
class ConsentGrant:
    consent_id: int
    disclosing: frozenset[int]
    receiving: frozenset[int]
    categories: frozenset[str]
    is_statute: bool


@dataclass
class AccessContext:
    """Everything about one client that the decisions need, loaded in a fixed number of queries."""

    client_id: uuid.UUID
    at: dt.datetime
    owner_organisation_ids: set[int] = field(default_factory=set)
    active_relationships: list[tuple[int, int | None]] = field(default_factory=list)
    team_staff_ids: set[int] = field(default_factory=set)
    grants: list[ConsentGrant] = field(default_factory=list)
    emergency_staff_ids: set[int] = field(default_factory=set)


def access_contexts_load(
    client_ids: Iterable[uuid.UUID], *, at: dt.datetime | None = None
) -> dict[uuid.UUID, AccessContext]:
    """Load the contexts of many clients with seven queries at most, whatever their number.

    Plain values only: no model is built and nothing encrypted is read or decrypted.
    """
    at = at or timezone.now()
    contexts = {client_id: AccessContext(client_id=client_id, at=at) for client_id in client_ids}
    _relations_load(contexts, at)
    _grants_load(contexts, at)
    return contexts


Decided = TypeVar("Decided")


def _decide_in_two_steps(
    client_ids: Iterable[uuid.UUID],
    at: dt.datetime,
    decide: Callable[[AccessContext], Decided],
    settled: Callable[[Decided], bool],
) -> dict[uuid.UUID, Decided]:
    """Decisions for list pages: from relationships and teams for every client (two queries),
    then again with consents and emergency accesses only for the clients whose decisions are
    not ``settled`` (allowed).

    A decision allowed from relationships and teams alone is that of a full context: the
    staff member's own organisation is tried first (``decide_read``, ``decide_identity``) and
    that branch needs neither consents nor emergency accesses.
    """
    contexts = {client_id: AccessContext(client_id=client_id, at=at) for client_id in client_ids}
    _relations_load(contexts, at)
    decided = {client_id: decide(ctx) for client_id, ctx in contexts.items()}
    rest = {cid: contexts[cid] for cid, decision in decided.items() if not settled(decision)}
    _grants_load(rest, at)
    decided.update({client_id: decide(ctx) for client_id, ctx in rest.items()})
    return decided


def identity_decisions(
    staff: StaffMember, client_ids: Iterable[uuid.UUID], *, at: dt.datetime | None = None
) -> dict[uuid.UUID, Decision]:
    """``decide_identity`` for many clients, for lists of names.

    Work in the staff member's own organisation (team or duty) decides most clients from their
    relationships and teams alone, so consents and emergency accesses are loaded only for the
    rest (``_decide_in_two_steps``): the decisions are those of full contexts.
    """
    return _decide_in_two_steps(
        client_ids,
        at or timezone.now(),
        lambda ctx: decide_identity(staff, ctx),
        lambda decision: decision.allowed,
    )


RecordKey = tuple[uuid.UUID, int, str]  # a record's client, owner organisation and category


def record_decisions(
    staff: StaffMember, records: Iterable[RecordKey], *, at: dt.datetime | None = None
) -> dict[RecordKey, tuple[Decision, Decision]]:
    """``decide_read`` of each record and ``decide_identity`` of its client, for list pages
    that show a record with its client's name; in two steps like ``identity_decisions``
    (consents and emergency accesses only for clients with a record or a name not yet
    allowed), so the decisions are those of full contexts."""
    by_client: dict[uuid.UUID, list[RecordKey]] = defaultdict(list)
    for record in records:
        by_client[record[0]].append(record)

    def decide(ctx: AccessContext) -> tuple[Decision, dict[RecordKey, Decision]]:
        reads = {
            record: decide_read(staff, ctx, owner_organisation_id=record[1], category=record[2])
            for record in by_client[ctx.client_id]
        }
        return decide_identity(staff, ctx), reads

    decided = _decide_in_two_steps(
        by_client,
        at or timezone.now(),
        decide,
        lambda both: both[0].allowed and all(read.allowed for read in both[1].values()),
    )
    return {
        record: (read, identity)
        for identity, reads in decided.values()
        for record, read in reads.items()
    }


def _relations_load(contexts: dict[uuid.UUID, AccessContext], at: dt.datetime) -> None:
    """Client relationships and active team memberships: two queries.

    Plain SQL, the same on SQLite and PostgreSQL: every list page decides its clients here,
    and compiling the two ORM queries cost several times as much as running them (docs/
    BENCHMARKS.md, My clients). Table names from the models; every value is a parameter,
    adapted as the ORM adapts it.
    """
    if not contexts:
        return
    # Values prepared by the fields themselves, as the ORM would; each client id as the
    # database gives it back (SQLite: hex text; PostgreSQL: a UUID).
    by_db = {_prep(TeamMembership, "client", pk): pk for pk in contexts}
    marks = ", ".join(["%s"] * len(by_db))
    day = _prep(ClientRelationship, "started_on", timezone.localdate(at))
    moment = _prep(TeamMembership, "started_at", at)
    relationships = database.ops.quote_name(ClientRelationship._meta.db_table)
    memberships = database.ops.quote_name(TeamMembership._meta.db_table)
    with database.cursor() as cursor:
        # Active on the day: started on or before it and not ended before it.
        cursor.execute(
            "SELECT r.client_id, r.organisation_id, r.unit_id, CASE WHEN r.started_on <= %s"  # noqa: S608
            " AND (r.ended_on IS NULL OR r.ended_on >= %s) THEN 1 ELSE 0 END"
            f" FROM {relationships} r WHERE r.client_id IN ({marks})",
            [day, day, *by_db],
        )
        for client_id, organisation_id, unit_id, active in cursor.fetchall():
            ctx = contexts[by_db[client_id]]
            ctx.owner_organisation_ids.add(organisation_id)
            if active:
                ctx.active_relationships.append((organisation_id, unit_id))
        cursor.execute(
            f"SELECT m.client_id, m.staff_member_id FROM {memberships} m"  # noqa: S608
            f" WHERE m.client_id IN ({marks}) AND m.started_at <= %s"
            " AND (m.ended_at IS NULL OR m.ended_at > %s)",
            [*by_db, moment, moment],
        )
        for client_id, staff_id in cursor.fetchall():
            contexts[by_db[client_id]].team_staff_ids.add(staff_id)


def _prep(model: type[Model], name: str, value: object) -> Any:
    field = cast("Field[Any, Any]", model._meta.get_field(name))
    return field.get_db_prep_value(value, database, prepared=False)


def _grants_load(contexts: dict[uuid.UUID, AccessContext], at: dt.datetime) -> None:
    """Consents valid at ``at`` (four queries when there are any) and emergency accesses."""
    if not contexts:
        return
    ids = list(contexts)
    versions = list(
        consent_versions_valid_at(at)
        .filter(consent__client_id__in=ids)
        .order_by()
        .values_list("id", "consent_id", "consent__client_id", "legal_basis")
    )
    if versions:
        version_ids = [version_id for version_id, *_ in versions]
        disclosing = _version_links(ConsentVersion.disclosing_organisations.through, version_ids)
        receiving = _version_links(ConsentVersion.receiving_organisations.through, version_ids)
        categories: dict[int, set[str]] = defaultdict(set)
        for version_id, category in ConsentCategory.objects.filter(
            version_id__in=version_ids
        ).values_list("version_id", "category"):
            categories[version_id].add(category)
        for version_id, consent_id, client_id, legal_basis in versions:
            contexts[client_id].grants.append(
                ConsentGrant(
                    consent_id=consent_id,
                    disclosing=frozenset(disclosing[version_id]),
                    receiving=frozenset(receiving[version_id]),
                    categories=frozenset(categories[version_id]),
                    is_statute=legal_basis == "statute",
                )
            )
    for client_id, staff_id in (
        EmergencyAccess.objects.filter(client_id__in=ids, started_at__lte=at, expires_at__gt=at)
        .order_by()
        .values_list("client_id", "staff_member_id")
    ):
        contexts[client_id].emergency_staff_ids.add(staff_id)


def _version_links(through: type[Model], version_ids: list[int]) -> dict[int, set[int]]:
    """Organisation ids per consent version, from a many-to-many table."""
    links: dict[int, set[int]] = defaultdict(set)
    for version_id, organisation_id in through.objects.filter(  # type: ignore[attr-defined]
        consentversion_id__in=version_ids
    ).values_list("consentversion_id", "organisation_id"):
        links[version_id].add(organisation_id)
    return links


def access_context_load(client_id: uuid.UUID, *, at: dt.datetime | None = None) -> AccessContext:
    return access_contexts_load([client_id], at=at)[client_id]


def consent_versions_valid_at(at: dt.datetime) -> QuerySet[ConsentVersion]:
    day = timezone.localdate(at)
    return ConsentVersion.objects.filter(
        Q(consent__withdrawn_at__isnull=True) | Q(consent__withdrawn_at__gt=at),
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        is_current=True,
        valid_from__lte=day,
    )


def _works_with_client(staff: StaffMember, ctx: AccessContext) -> Basis | None:
    """Why the staff member works with this client at all: team membership or duty."""
    if staff.pk in ctx.team_staff_ids:
        return Basis.TEAM
    if not policy_for(staff.role).duty_covers_clients:
        return None
    for organisation_id, unit_id in ctx.active_relationships:
        if organisation_id != staff.organisation_id:
            continue
        if unit_id is None or staff.unit_id is None or unit_id == staff.unit_id:
            return Basis.DUTY
    return None


def consent_grant_for(
    ctx: AccessContext, *, disclosing: int, receiving: int, category: str
) -> ConsentGrant | None:
    """The consent (or statute) valid now that lets ``disclosing`` give ``category`` to
    ``receiving``; None when there is none."""
    for grant in ctx.grants:
        if disclosing not in grant.disclosing:
            continue
        if receiving not in grant.receiving:
            continue
        if category not in grant.categories:
            continue
        return grant
    return None


def decide_read(
    staff: StaffMember, ctx: AccessContext, *, owner_organisation_id: int, category: str
) -> Decision:
    if not staff.is_active:
        return DENIED
    if not may_read_category(staff.role, category):
        return DENIED
    connection = _works_with_client(staff, ctx)
    if connection is not None and owner_organisation_id == staff.organisation_id:
        return Decision(True, connection, None, owner_organisation_id)
    if connection is not None:
        grant = consent_grant_for(
            ctx,
            disclosing=owner_organisation_id,
            receiving=staff.organisation_id,
            category=category,
        )
        if grant is not None:
            basis = Basis.STATUTE if grant.is_statute else Basis.CONSENT
            return Decision(True, basis, grant.consent_id, owner_organisation_id)
    if staff.pk in ctx.emergency_staff_ids:
        return Decision(True, Basis.EMERGENCY, None, owner_organisation_id)
    return DENIED


def decide_write(
    staff: StaffMember, ctx: AccessContext, *, owner_organisation_id: int, category: str
) -> Decision:
    if not staff.is_active:
        return DENIED
    if owner_organisation_id != staff.organisation_id:
        return DENIED
    if not may_write_category(staff.role, category):
        return DENIED
    connection = _works_with_client(staff, ctx)
    if connection is None:
        return DENIED
    return Decision(True, connection, None, owner_organisation_id)


def may_read(
    staff: StaffMember, record: ClientRecord, *, at: dt.datetime | None = None
) -> Decision:
    """Whether ``staff`` may read one client record (any ``ClientRecord`` subclass)."""
    return _decide_for_record(decide_read, staff, record, at)


def may_write(
    staff: StaffMember, record: ClientRecord, *, at: dt.datetime | None = None
) -> Decision:
    """Whether ``staff`` may write (create or change) this record of their organisation."""
    return _decide_for_record(decide_write, staff, record, at)


def _decide_for_record(
    decide: Callable[..., Decision],
    staff: StaffMember,
    record: ClientRecord,
    at: dt.datetime | None,
) -> Decision:
    ctx = access_context_load(record.client_id, at=at)
    return decide(
        staff, ctx, owner_organisation_id=record.owner_organisation_id, category=record.category
    )


def decide_service_use(
    staff: StaffMember, ctx: AccessContext, *, organisation_id: int, unit_category: str
) -> Decision:
    """R3: may the reader see that the client uses ``organisation_id``'s services in a unit
    of ``unit_category`` ('' for a unit without one or no unit)? A relationship or a team
    membership is data of that organisation in the unit's category, identity by default."""
    return decide_read(
        staff,
        ctx,
        owner_organisation_id=organisation_id,
        category=unit_category or DataCategory.IDENTITY,
    )


def decide_identity(staff: StaffMember, ctx: AccessContext) -> Decision:
    """Identity is readable through any organisation that has had the client as its client."""
    owners = sorted(ctx.owner_organisation_ids, key=lambda o: o != staff.organisation_id)
    for owner in owners:
        decision = decide_read(
            staff, ctx, owner_organisation_id=owner, category=DataCategory.IDENTITY
        )
        if decision.allowed:
            return decision
    return DENIED


def readable_pairs(
    staff: StaffMember, ctx: AccessContext, owners: Iterable[int]
) -> dict[tuple[int, str], Decision]:
    """Every (owner organisation, category) the staff member may read, with its decision."""
    pairs: dict[tuple[int, str], Decision] = {}
    for owner in set(owners):
        for category in DataCategory.values:
            decision = decide_read(staff, ctx, owner_organisation_id=owner, category=category)
            if decision.allowed:
                pairs[(owner, category)] = decision
    return pairs


def readable_records_q(pairs: Iterable[tuple[int, str]], prefix: str = "") -> Q:
    """SQL filter for ``ClientRecord`` rows of the readable (owner, category) pairs."""
    allowed = Q(pk__in=[])
    for owner, category in pairs:
        allowed |= Q(**{f"{prefix}owner_organisation_id": owner, f"{prefix}category": category})
    return allowed


def candidate_owners(staff: StaffMember, ctx: AccessContext) -> set[int]:
    owners = set(ctx.owner_organisation_ids) | {staff.organisation_id}
    for grant in ctx.grants:
        owners |= grant.disclosing
    return owners


def visibility_filter(staff: StaffMember, *, at: dt.datetime, client_ref: str = "pk") -> Q:
    """SQL twin of ``decide_identity``, correlated to ``client_ref`` of the outer query.

    Used as a filter on a query that is already narrowed (e.g. by name), so the EXISTS
    subqueries run only for the candidate rows, never for the whole registry.
    """
    day = timezone.localdate(at)
    if not staff.is_active or not may_read_category(staff.role, DataCategory.IDENTITY):
        return Q(pk__in=[])
    client = OuterRef(client_ref)
    in_team = Exists(
        TeamMembership.objects.filter(client=client, staff_member=staff, started_at__lte=at).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=at)
        )
    )
    own_relationship = ClientRelationship.objects.filter(
        client=client, organisation_id=staff.organisation_id
    )
    works_with = Q(in_team)
    if policy_for(staff.role).duty_covers_clients:
        active_own = own_relationship.filter(
            Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )
        if staff.unit_id is not None:
            active_own = active_own.filter(Q(unit__isnull=True) | Q(unit_id=staff.unit_id))
        works_with |= Q(Exists(active_own))
    consent = Exists(
        consent_versions_valid_at(at).filter(
            consent__client=client,
            receiving_organisations=staff.organisation_id,
            categories__category=DataCategory.IDENTITY,
            disclosing_organisations__client_relationships__client=client,
        )
    )
    emergency = Exists(
        EmergencyAccess.objects.filter(
            client=client, staff_member=staff, started_at__lte=at, expires_at__gt=at
        )
    )
    return (works_with & (Q(Exists(own_relationship)) | Q(consent))) | Q(emergency)


def clients_visible_to(staff: StaffMember, *, at: dt.datetime | None = None) -> QuerySet[Client]:
    """Clients whose identity the staff member may read."""
    return Client.objects.filter(visibility_filter(staff, at=at or timezone.now()))
