"""Reads of a client's rule facts, through the gatekeeper, with every read logged."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tyollisyystalo.access.gatekeeper import (
    AccessContext,
    Decision,
    access_context_load,
    candidate_owners,
    decide_read,
    decide_write,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import identity_if_allowed
from tyollisyystalo.rules.facts import FACT_SPECS, Facts, facts_from_mapping
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.rules.presentation import RuleAnswer, rule_answers
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.EMPLOYMENT_SERVICES
HISTORY_LIMIT = 20
OBJECT_TYPE = "rule_facts"


@dataclass
class ClientRules:
    """A client's rule facts as the staff member may see them, and the rules' answers."""

    client_id: uuid.UUID
    on: dt.date
    versions: list[ClientRuleFacts]
    stored: dict[str, Any]
    birth_date_from_identity: dt.date | None
    can_write: bool
    answers: list[RuleAnswer] = field(default_factory=list)
    identity: ClientIdentity | None = None

    @property
    def current(self) -> ClientRuleFacts | None:
        return self.versions[0] if self.versions else None

    @property
    def facts_dict(self) -> dict[str, Any]:
        """The stored facts, with the birth date from the henkilötunnus when none is stored."""
        # Stored versions were validated when saved; a fact since dropped is ignored.
        data = {k: v for k, v in self.stored.items() if k in FACT_SPECS}
        if "birth_date" not in data and self.birth_date_from_identity is not None:
            data["birth_date"] = self.birth_date_from_identity.isoformat()
        return data

    @property
    def facts(self) -> Facts:
        return facts_from_mapping(self.facts_dict)


def _readable_owners(staff: StaffMember, ctx: AccessContext) -> dict[int, Decision]:
    decisions = {
        owner: decide_read(staff, ctx, owner_organisation_id=owner, category=CATEGORY)
        for owner in candidate_owners(staff, ctx)
    }
    return {owner: d for owner, d in decisions.items() if d.allowed}


def client_rules_get(
    *,
    staff: StaffMember,
    client_id: uuid.UUID,
    on: dt.date | None = None,
    purpose: str,
    at: dt.datetime | None = None,
    history: bool = False,
) -> ClientRules:
    """The client's rule facts and answers with the identity; a denied request is a 404,
    logged as denied, with nothing read. (The card's section is ``rules.sections``.)"""
    at = at or timezone.now()
    ctx = access_context_load(client_id, at=at)
    owners = _readable_owners(staff, ctx)
    if not owners:
        raise deny_and_log(
            staff=staff, client_id=client_id, action=Action.READ, at=at, purpose=purpose
        )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    identity, decision = identity_if_allowed(staff, ctx)
    if identity is not None:
        read[(decision.basis, decision.consent_id)].add(DataCategory.IDENTITY)
    can_write = decide_write(
        staff, ctx, owner_organisation_id=staff.organisation_id, category=CATEGORY
    ).allowed
    rules = client_rules_build(
        client_id=client_id,
        owners=owners,
        on=on or timezone.localdate(at),
        birth_date=identity.birth_date if identity else None,
        can_write=can_write,
        history=history,
        read=read,
    )
    rules.identity = identity
    access_log_reads(
        actor=staff,
        client_id=client_id,
        read=read,
        object_type=OBJECT_TYPE,
        object_id=rules_object_id(rules),
        purpose=purpose,
        at=at,
    )
    return rules


def client_rules_build(
    *,
    client_id: uuid.UUID,
    owners: Mapping[int, Decision],
    on: dt.date,
    birth_date: dt.date | None,
    can_write: bool,
    history: bool,
    read: dict[tuple[Basis, int | None], set[str]],
) -> ClientRules:
    """The stored facts of the readable ``owners`` and the answers; adds what it read to
    ``read``. The caller has decided ``owners`` and logs ``read``."""
    versions_qs = ClientRuleFacts.objects.filter(
        client_id=client_id, owner_organisation_id__in=list(owners)
    ).select_related("author__user", "owner_organisation")
    versions = list(versions_qs[: HISTORY_LIMIT if history else 1])
    rules = ClientRules(
        client_id=client_id,
        on=on,
        versions=versions,
        stored=versions[0].facts if versions else {},
        birth_date_from_identity=birth_date,
        can_write=can_write,
    )
    for version in versions:
        decision = owners[version.owner_organisation_id]
        read[(decision.basis, decision.consent_id)].add(CATEGORY)
    rules.answers = rule_answers(rules.facts, rules.on)
    return rules


def rules_object_id(rules: ClientRules) -> str:
    return str(rules.versions[0].pk) if rules.versions else str(rules.client_id)
