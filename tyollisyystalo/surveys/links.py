"""The staff's side of a client's invitation: an SMS-ready text with a fresh link.

Only staff who may write the invitation's client data (its path's or placement's
organisation and category, decided by the gatekeeper) may make it; anyone else gets the
logged 404 of every refused client read. The text is shown once and stored nowhere.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability
from tyollisyystalo.surveys.models import Invitation
from tyollisyystalo.surveys.services import client_language, invitation_link_make, sms_text

PURPOSE = "survey link for the client"


def invitation_sms_make(
    *, actor: StaffMember, invitation_id: int, language: str, at: dt.datetime | None = None
) -> tuple[Invitation, str]:
    """A fresh link of a client's open invitation as an SMS-ready text (the old link stops), in
    the client's language (an employer's in the staff member's)."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    invitation = Invitation.objects.filter(pk=invitation_id, client__isnull=False).first()
    if invitation is None or invitation.client_id is None:
        raise ValidationError(_("Kyselykutsua ei löytynyt."), code="not_found")
    context = access_context_load(invitation.client_id, at=at)
    decision = decide_write(
        actor,
        context,
        owner_organisation_id=invitation.owner_organisation_id,
        category=invitation.category,
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor,
            client_id=invitation.client_id,
            action=Action.UPDATE,
            at=at,
            purpose=PURPOSE,
        )
    token = invitation_link_make(invitation_id=invitation.pk, at=at)
    access_log_event(
        actor=actor,
        client_id=invitation.client_id,
        action=Action.UPDATE,
        purpose=PURPOSE,
        categories=[invitation.category],
        object_type="survey_invitation",
        object_id=str(invitation.pk),
        basis=decision.basis,
        at=at,
    )
    invitation.refresh_from_db()
    if invitation.placement_id is None:  # the client's own survey: in the client's language
        language = client_language(invitation.client_id) or language
    return invitation, sms_text(invitation, token, language)
