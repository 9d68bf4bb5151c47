"""Reading appointments: one (decided and logged), a staff member's own list (names decided in
bulk and logged), the client's own, and the calendar feed (no client data in it)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.access.gatekeeper import identity_decisions
from tyollisyystalo.access.log import deny_and_log, identity_read, read_of, reads_log
from tyollisyystalo.appointments.models import Appointment, AppointmentStatus, MoveRequest
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity, TeamMembership
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.staff.models import StaffMember

PURPOSE = "appointment"


def colleagues_for(staff: StaffMember, client_id: uuid.UUID) -> QuerySet[StaffMember]:
    """Who may take part besides the staff member: their organisation's people and the client's
    team (whose members come from other organisations too)."""
    team = TeamMembership.objects.filter(
        client_id=client_id, started_at__isnull=False, ended_at__isnull=True
    ).values("staff_member_id")
    return (
        StaffMember.objects.filter(Q(organisation=staff.organisation_id) | Q(pk__in=team))
        .filter(is_active=True)
        .exclude(pk=staff.pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


@dataclass(frozen=True)
class AppointmentView:
    appointment: Appointment
    identity: ClientIdentity | None
    move_requests: list[MoveRequest]


def appointment_for_staff(
    staff: StaffMember, appointment_id: uuid.UUID, *, at: dt.datetime | None = None
) -> AppointmentView:
    at = at or timezone.now()
    appointment = (
        Appointment.objects.filter(pk=appointment_id)
        .select_related("case__coordinator__user", "organiser__user")
        .first()
    )
    if appointment is None:
        raise Http404(_("Tapaamista ei löytynyt."))
    access = client_access_decide(
        staff=staff, client_id=appointment.client_id, purpose=PURPOSE, at=at
    )
    if not access.may_read(appointment.owner_organisation_id, appointment.category):
        raise deny_and_log(
            staff=staff, client_id=appointment.client_id, action=Action.READ, at=at, purpose=PURPOSE
        )
    reads = [
        read_of(
            access,
            owner=appointment.owner_organisation_id,
            category=appointment.category,
            object_type="appointment",
            object_id=str(appointment.pk),
        )
    ]
    identity = None
    if access.identity.allowed:
        identity = ClientIdentity.objects.filter(client_id=appointment.client_id).first()
        reads.append(identity_read(access, object_type="appointment"))
    reads_log(access, reads)
    requests = list(MoveRequest.objects.filter(appointment=appointment).order_by("-requested_at"))
    return AppointmentView(appointment, identity, requests)


@dataclass(frozen=True)
class MineRow:
    appointment: Appointment
    name: str
    open_requests: int


def my_appointments(staff: StaffMember, *, at: dt.datetime | None = None) -> list[MineRow]:
    """The staff member's coming appointments (and today's), names decided and logged."""
    at = at or timezone.now()
    start = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(
        Appointment.objects.filter(participants=staff, starts_at__gte=start)
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("starts_at")[:100]
    )
    open_requests = set(
        MoveRequest.objects.filter(appointment__in=rows, handled_at__isnull=True).values_list(
            "appointment_id", flat=True
        )
    )
    decisions = identity_decisions(staff, {a.client_id for a in rows}, at=at)
    visible = [cid for cid, d in decisions.items() if d.allowed]
    access_log_list_reads(
        actor=staff,
        bases={cid: (decisions[cid].basis, decisions[cid].consent_id) for cid in visible},
        categories=[DataCategory.IDENTITY, DataCategory.PLAN],
        object_type="my_appointments",
        object_id=str(staff.pk),
        purpose=PURPOSE,
        at=at,
    )
    names = names_of(visible)
    return [
        MineRow(
            a,
            names[a.client_id].full_name if a.client_id in names else "",
            1 if a.pk in open_requests else 0,
        )
        for a in rows
        if a.client_id in names
    ]


def own_appointments(client_id: uuid.UUID) -> list[Appointment]:
    return list(
        Appointment.objects.filter(client_id=client_id)
        .select_related("organiser__user", "owner_organisation")
        .order_by("-starts_at")
    )


def own_appointment(client_id: uuid.UUID, appointment_id: uuid.UUID) -> Appointment:
    appointment = (
        Appointment.objects.filter(pk=appointment_id, client_id=client_id)
        .select_related("organiser__user", "owner_organisation")
        .first()
    )
    if appointment is None:
        raise Http404(_("Tapaamista ei löytynyt."))
    return appointment


def feed_appointments(staff: StaffMember, *, at: dt.datetime | None = None) -> list[Appointment]:
    at = at or timezone.now()
    return list(
        Appointment.objects.filter(participants=staff, starts_at__gte=at - dt.timedelta(days=30))
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("starts_at")[:500]
    )
