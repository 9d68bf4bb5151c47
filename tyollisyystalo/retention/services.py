"""Writes: the retention run, and placing and releasing legal holds (käsittelykielto)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.clients.models import Client, ClientRelationship
from tyollisyystalo.retention.erasure import ClassResult, retention_pass
from tyollisyystalo.retention.models import LegalHold
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

REASON_MAX_LENGTH = 2000


def retention_erase(*, at: dt.datetime | None = None, only: tuple[str, ...] = ()) -> int:
    """Erase or anonymise what has passed its time; returns the number of records. Idempotent."""
    return sum(
        r.total for r in retention_pass(at=at, erase=True, only=only) if r.record_class.erases
    )


def retention_report(*, at: dt.datetime | None = None) -> list[ClassResult]:
    """What a run would erase now, per class, and when the next records fall due. Writes nothing."""
    with transaction.atomic():
        results = retention_pass(at=at, erase=False)
        transaction.set_rollback(True)  # a dry run changes nothing, whatever happens inside
    return results


def _client_of_own_organisation(actor: StaffMember, client_id: uuid.UUID) -> Client | None:
    """A client the actor's organisation has had a relationship with (locked), else None."""
    client = Client.objects.select_for_update().filter(pk=client_id).first()
    if (
        client is None
        or not ClientRelationship.objects.filter(
            client=client, organisation=actor.organisation_id
        ).exists()
    ):
        return None
    return client


def legal_hold_place(
    *, actor: StaffMember, client_id: uuid.UUID, reason: str, at: dt.datetime | None = None
) -> LegalHold:
    """Stop erasure of this client's data until released; the reason is required and logged."""
    require_capability(actor, Capability.LEGAL_HOLD)
    at = at or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Kirjoita peruste.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Peruste on liian pitkä.")})
    with transaction.atomic():
        client = _client_of_own_organisation(actor, client_id)
        if client is None:
            hold = None
        elif LegalHold.objects.filter(
            client=client, organisation=actor.organisation_id, released_at__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "client_id": _(
                        "Organisaatiollasi on jo voimassa oleva säilytysvelvoite tälle asiakkaalle."
                    )
                }
            )
        else:
            hold = LegalHold.objects.create(
                client=client,
                organisation_id=actor.organisation_id,
                reason=reason,
                placed_by=actor,
                placed_at=at,
            )
            access_log_event(
                actor=actor,
                client_id=client.id,
                action=Action.CREATE,
                purpose="legal hold placed",
                categories=(),
                object_type="legal_hold",
                object_id=str(hold.pk),
                basis=Basis.OVERSIGHT,
                at=at,
            )
    if hold is None:  # missing and forbidden look alike, and the attempt is logged as denied
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.CREATE, at=at, purpose="legal hold"
        )
    return hold


def legal_hold_release(
    *, actor: StaffMember, hold_id: int, at: dt.datetime | None = None
) -> LegalHold:
    """Release a hold of the actor's own organisation; erasure resumes at the next run."""
    require_capability(actor, Capability.LEGAL_HOLD)
    at = at or timezone.now()
    with transaction.atomic():
        hold = (
            LegalHold.objects.select_for_update()
            .filter(pk=hold_id, organisation=actor.organisation_id, released_at__isnull=True)
            .first()
        )
        if hold is None:
            raise Http404
        hold.released_at = at
        hold.released_by = actor
        hold.save(update_fields=["released_at", "released_by"])
        access_log_event(
            actor=actor,
            client_id=hold.client_id,
            action=Action.UPDATE,
            purpose="legal hold released",
            categories=(),
            object_type="legal_hold",
            object_id=str(hold.pk),
            basis=Basis.OVERSIGHT,
            at=at,
        )
    return hold
