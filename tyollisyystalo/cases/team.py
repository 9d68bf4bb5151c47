"""The path's team: invitations that give no access by themselves, accepted or declined."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.services import CATEGORY, case_for_write, path_log
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability


def team_member_invite(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    staff_member: StaffMember,
    role_in_case: str,
    at: dt.datetime | None = None,
) -> TeamMembership:
    """Invite a professional of any organisation into the path's team.

    The invitation gives no access; accepting it makes the person a team member, and even then
    the gatekeeper shows another organisation's records only with the client's consent.
    """
    require_capability(actor, Capability.TEAM_MANAGE)
    at = at or timezone.now()
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="team invite")
    errors: dict[str, list[str]] = {}
    if not staff_member.is_active:
        errors["staff_member"] = [_("Työntekijä ei ole enää palveluksessa.")]
    if not role_in_case.strip():
        errors["role_in_case"] = [_("Kerro, mikä on työntekijän tehtävä asiakkaan asiassa.")]
    if not case.is_open:
        errors["staff_member"] = [_("Päättyneeseen palvelupolkuun ei voi kutsua.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if (
            TeamMembership.objects.select_for_update()
            .filter(client_id=case.client_id, staff_member=staff_member, ended_at__isnull=True)
            .exists()
        ):
            raise ValidationError(
                {"staff_member": [_("Työntekijä on jo asiakkaan tiimissä tai kutsuttu.")]}
            )
        membership = TeamMembership.objects.create(
            client_id=case.client_id,
            staff_member=staff_member,
            case=case,
            role_in_case=role_in_case.strip(),
            invited_at=at,
            started_at=None,
            added_by=actor,
        )
        path_log(actor, case, "team member invited", at, basis)
        notification_send(
            recipients=[staff_member.user],
            kind=NotificationKind.INVITATION,
            url=reverse("cases:worklist"),
            at=at,
        )
    return membership


def team_invitation_answer(
    *, actor: StaffMember, membership_id: int, accept: bool, at: dt.datetime | None = None
) -> TeamMembership:
    """The invited professional accepts (joins the team) or declines the invitation."""
    at = at or timezone.now()
    with transaction.atomic():
        membership = (
            TeamMembership.objects.select_for_update()
            .filter(pk=membership_id, staff_member=actor)
            .first()
        )
        if membership is None or membership.state != "invited":
            raise ValidationError(_("Kutsua ei löytynyt tai siihen on jo vastattu."))
        if accept:
            membership.started_at = at
        else:
            membership.ended_at = at
        membership.save(update_fields=["started_at", "ended_at"])
        access_log_event(
            actor=actor,
            client_id=membership.client_id,
            action=Action.UPDATE,
            purpose="team invitation accepted" if accept else "team invitation declined",
            categories=[CATEGORY],
            object_type="team_membership",
            object_id=str(membership.pk),
            basis=Basis.TEAM if accept else Basis.NONE,
            at=at,
        )
    return membership
