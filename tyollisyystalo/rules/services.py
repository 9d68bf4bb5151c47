"""Writes of a client's rule facts: validated, in the actor's own organisation, logged."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_identity, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.rules.facts import FactError, facts_as_dict, facts_from_mapping
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.rules.presentation import fact_errors
from tyollisyystalo.rules.selectors import CATEGORY, OBJECT_TYPE
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability


def client_rule_facts_record(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    facts: Mapping[str, Any],
    at: dt.datetime | None = None,
) -> ClientRuleFacts | None:
    """Save the client's rule facts as a new version owned by the actor's organisation.

    ``facts`` holds every fact the actor knows (None or absent: not known). Returns None when
    nothing changed from the version the actor's organisation holds, so no empty version is made.
    """
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    try:
        known = facts_as_dict(facts_from_mapping(facts))
    except FactError as exc:
        raise ValidationError(fact_errors(exc.errors)) from exc
    errors: dict[str, list[str]] = {}
    today = timezone.localdate(at)
    for name in ("birth_date", "obligation_arose_on"):
        if name in known and dt.date.fromisoformat(known[name]) > today:
            errors[name] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if errors:
        raise ValidationError(errors)
    ctx = access_context_load(client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=actor.organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.CREATE, at=at, purpose="rule facts"
        )
    # The henkilötunnus stays the birth date's source: an equal birth date is not stored. The
    # identity is only compared here (nothing is shown), and only where the actor may read it.
    if "birth_date" in known and decide_identity(actor, ctx).allowed:
        identity_birth = (
            ClientIdentity.objects.filter(client_id=client_id)
            .values_list("birth_date", flat=True)
            .first()
        )
        if identity_birth is not None and known["birth_date"] == identity_birth.isoformat():
            del known["birth_date"]
    with transaction.atomic():
        # Serialise concurrent saves for one client and organisation on PostgreSQL.
        own = (
            ClientRuleFacts.objects.select_for_update()
            .filter(client_id=client_id, owner_organisation_id=actor.organisation_id)
            .first()
        )
        if own is not None and own.facts == known:
            return None
        record = ClientRuleFacts.objects.create(
            client_id=client_id,
            owner_organisation_id=actor.organisation_id,
            category=CATEGORY,
            author=actor,
            facts_json=json.dumps(known, sort_keys=True),
            created_at=at,
        )
        access_log_event(
            actor=actor,
            action=Action.CREATE,
            client_id=client_id,
            categories=[CATEGORY],
            basis=decision.basis,
            object_type=OBJECT_TYPE,
            object_id=str(record.pk),
            purpose="rule facts",
            at=at,
        )
    return record
