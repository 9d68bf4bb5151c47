"""One decision per request and client: what this reader may see, as one immutable object.

``client_access_decide`` loads the client's facts once, decides every (owner organisation,
category) pair the reader may read (rule R1), the identity (R2), and from these which
service-use facts may be shown (R3: relationships, team members, paths and consents reveal
that the client uses an organisation's services). The page's sections get the resulting
``ClientAccess`` and query only through it (``records_q``, ``service_use_q`` …); a section that
was not given one cannot read. A ``ClientAccess`` is only made here: a denied reader gets a 404,
logged as denied, before any section runs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tyollisyystalo.access.gatekeeper import (
    DENIED,
    AccessContext,
    Decision,
    access_context_load,
    candidate_owners,
    decide_identity,
    decide_write,
    readable_pairs,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import policy_for
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.consents.models import ConsentVersion
from tyollisyystalo.staff.models import StaffMember

_MADE_HERE = object()


@dataclass(frozen=True)
class ClientAccess:
    """What ``staff`` may see of one client at ``at``: decided once, handed to every section."""

    staff: StaffMember
    client_id: uuid.UUID
    at: dt.datetime
    purpose: str
    identity: Decision
    pairs: Mapping[tuple[int, str], Decision]
    owner_organisation_ids: frozenset[int]
    # Categories readable of any organisation's records under an active emergency access.
    emergency_categories: frozenset[str]
    _token: object
    _ctx: AccessContext

    def __post_init__(self) -> None:
        if self._token is not _MADE_HERE:
            raise TypeError("ClientAccess is made only by client_access_decide()")

    # --- records (R1) --------------------------------------------------------------------

    def decision(self, owner_organisation_id: int, category: str) -> Decision:
        """The decision for one (owner, category) pair; DENIED when not readable."""
        decision = self.pairs.get((owner_organisation_id, category))
        if decision is not None:
            return decision
        if category in self.emergency_categories:
            return Decision(True, Basis.EMERGENCY, None, owner_organisation_id)
        return DENIED

    def may_read(self, owner_organisation_id: int, category: str) -> bool:
        return self.decision(owner_organisation_id, category).allowed

    def owners_for(self, category: str) -> dict[int, Decision]:
        """Owner organisations whose ``category`` records the reader may read."""
        return {owner: d for (owner, c), d in self.pairs.items() if c == category}

    def records_q(self, prefix: str = "", *, category: str | None = None) -> Q:
        """SQL filter for ``ClientRecord`` rows of this client that the reader may read."""
        allowed = Q(pk__in=[])
        for owner, pair_category in self.pairs:
            if category is not None and pair_category != category:
                continue
            allowed |= Q(
                **{f"{prefix}owner_organisation_id": owner, f"{prefix}category": pair_category}
            )
        return Q(**{f"{prefix}client_id": self.client_id}) & allowed

    def client_q(self, prefix: str = "") -> Q:
        """Rows of this client, unfiltered: only for counting what more exists."""
        return Q(**{f"{prefix}client_id": self.client_id})

    def may_write(self, category: str) -> Decision:
        """Writes go only to the reader's own organisation's records (R1, writes)."""
        return decide_write(
            self.staff,
            self._ctx,
            owner_organisation_id=self.staff.organisation_id,
            category=category,
        )

    # --- service-use facts (R3) ----------------------------------------------------------

    def service_use(self, organisation_id: int, unit_category: str | None) -> Decision:
        """May the reader see that the client uses ``organisation_id``'s services in a unit of
        ``unit_category`` ('' or None: a unit without one, or no unit)? R3."""
        return self.decision(organisation_id, unit_category or DataCategory.IDENTITY)

    def service_use_q(self, *, organisation: str, unit: str) -> Q:
        """SQL twin of ``service_use`` for rows with an organisation and a unit (both lookups
        relative to the queried model, e.g. ``organisation_id`` and ``unit``)."""

        def in_unit(categories: set[str]) -> Q:
            q = Q(**{f"{unit}__data_category__in": sorted(categories)})
            if DataCategory.IDENTITY in categories:
                q |= Q(**{f"{unit}__isnull": True}) | Q(**{f"{unit}__data_category": ""})
            return q

        allowed = Q(pk__in=[])
        if self.emergency_categories:
            allowed |= in_unit(set(self.emergency_categories))
        for owner in {o for o, _ in self.pairs}:
            allowed |= Q(**{organisation: owner}) & in_unit(
                {c for o, c in self.pairs if o == owner}
            )
        return allowed

    def consent_version_q(self) -> Q:
        """Filter on ``ConsentVersion``: versions the reader may see, those under which the
        reader's organisation discloses or receives (R3)."""
        organisation = self.staff.organisation_id
        through_d = ConsentVersion.disclosing_organisations.through
        through_r = ConsentVersion.receiving_organisations.through
        version = OuterRef("pk")
        return Q(
            Exists(
                through_d.objects.filter(consentversion_id=version, organisation_id=organisation)
            )
        ) | Q(
            Exists(
                through_r.objects.filter(consentversion_id=version, organisation_id=organisation)
            )
        )


def client_access_decide(
    *,
    staff: StaffMember,
    client_id: uuid.UUID,
    purpose: str,
    at: dt.datetime | None = None,
    action: Action = Action.READ,
) -> ClientAccess:
    """Decide once what ``staff`` may see of the client; 404 (logged as denied) when nothing.

    Missing and forbidden look alike.
    """
    at = at or timezone.now()
    ctx = access_context_load(client_id, at=at)
    identity = decide_identity(staff, ctx)
    pairs = readable_pairs(staff, ctx, candidate_owners(staff, ctx))
    if not ctx.owner_organisation_ids or (not identity.allowed and not pairs):
        raise deny_and_log(staff=staff, client_id=client_id, action=action, at=at, purpose=purpose)
    return ClientAccess(
        staff=staff,
        client_id=client_id,
        at=at,
        purpose=purpose,
        identity=identity,
        pairs=MappingProxyType(dict(pairs)),
        owner_organisation_ids=frozenset(ctx.owner_organisation_ids),
        emergency_categories=frozenset(
            policy_for(staff.role).readable
            if staff.is_active and staff.pk in ctx.emergency_staff_ids
            else ()
        ),
        _token=_MADE_HERE,
        _ctx=ctx,
    )
