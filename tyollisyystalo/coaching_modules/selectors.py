"""Reads of modular coaching through the access layer, and of peer coaches and their fees."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from tyollisyystalo.access.client_access import ClientAccess, client_access_decide
from tyollisyystalo.access.log import deny_and_log, identity_read, read_of, reads_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.coaching.models import CoachingKind, CoachingPeriod
from tyollisyystalo.coaching_modules.access import may_export_payroll, peer_organisations
from tyollisyystalo.coaching_modules.models import (
    PARTIES,
    CoachingModule,
    ModuleAssessment,
    PeerCoach,
    PeerSession,
)
from tyollisyystalo.coaching_modules.rules import missing_parties
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember

PURPOSE = "coaching modules"


def period_access(
    *,
    staff: StaffMember,
    period_id: uuid.UUID,
    purpose: str = PURPOSE,
    action: Action = Action.READ,
    at: dt.datetime | None = None,
) -> tuple[CoachingPeriod, ClientAccess]:
    """The modular period and the reader's access, when the gatekeeper lets ``staff`` read the
    period (its owner organisation and category); otherwise 404, logged as denied."""
    at = at or timezone.now()
    period = (
        CoachingPeriod.objects.filter(pk=period_id, kind=CoachingKind.MODULAR)
        .select_related("coach__user")
        .first()
    )
    if period is None:
        raise Http404
    access = client_access_decide(
        staff=staff, client_id=period.client_id, purpose=purpose, at=at, action=action
    )
    if not access.may_read(period.owner_organisation_id, period.category):
        raise deny_and_log(
            staff=staff, client_id=period.client_id, action=action, at=at, purpose=purpose
        )
    return period, access


@dataclass(frozen=True)
class ModuleView:
    module: CoachingModule
    assessments: dict[str, ModuleAssessment]
    missing: list[str]

    @property
    def choice(self) -> object:
        return getattr(self.module, "choice", None)


@dataclass(frozen=True)
class PeriodModules:
    period: CoachingPeriod
    identity: ClientIdentity | None
    modules: list[ModuleView]
    sessions: list[PeerSession]
    may_write: bool

    @property
    def next_order(self) -> int:
        return max((m.module.order for m in self.modules), default=0) + 1


def period_modules(
    *, staff: StaffMember, period_id: uuid.UUID, at: dt.datetime | None = None
) -> PeriodModules:
    """The period's modules with their assessments and choices, and its peer sessions; the
    read (and the name, when the identity is allowed) logged with one append."""
    period, access = period_access(staff=staff, period_id=period_id, at=at)
    modules = list(
        CoachingModule.objects.filter(period=period)
        .select_related("provider", "choice")
        .prefetch_related(Prefetch("assessments", queryset=ModuleAssessment.objects.all()))
        .order_by("order")
    )
    views = []
    for module in modules:
        by_party = {a.party: a for a in module.assessments.all()}
        views.append(ModuleView(module, by_party, missing_parties(by_party)))
    sessions = list(
        PeerSession.objects.filter(period=period).select_related("peer_coach").order_by("-held_on")
    )
    object_id = str(period.pk)
    reads = [
        read_of(
            access,
            owner=period.owner_organisation_id,
            category=period.category,
            object_type="coaching_modules.period",
            object_id=object_id,
        )
    ]
    identity = None
    if access.identity.allowed:
        identity = ClientIdentity.objects.only("client_id", "first_names", "last_name").get(
            client_id=period.client_id
        )
        reads.append(identity_read(access, object_type="coaching_modules.period"))
    reads_log(access, reads)
    may_write = (
        period.owner_organisation_id == staff.organisation_id
        and access.may_write(period.category).allowed
    )
    return PeriodModules(period, identity, views, sessions, may_write)


def party_order() -> tuple[str, ...]:
    return PARTIES


def peer_organisation_get(*, staff: StaffMember, organisation_id: int) -> Organisation:
    organisation = peer_organisations(staff).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def peer_coaches(*, organisation: Organisation) -> QuerySet[PeerCoach]:
    return PeerCoach.objects.filter(organisation=organisation).order_by("-active", "name", "pk")


def month_sessions(*, organisation: Organisation, month: dt.date) -> QuerySet[PeerSession]:
    """Sessions held in the calendar month of ``month`` of the organisation's peer coaches."""
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return (
        PeerSession.objects.filter(
            peer_coach__organisation=organisation, held_on__gte=start, held_on__lt=end
        )
        .select_related("peer_coach")
        .order_by("held_on", "peer_coach__name", "pk")
    )


# A cell that a spreadsheet would read as a formula (or DDE) is prefixed with an apostrophe:
# OWASP "CSV injection". Tab and carriage return start formulas in some spreadsheets too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


PAYROLL_HEADER = (
    "peer_coach_id",
    "name",
    "payroll_reference",
    "date",
    "duration_minutes",
    "fee_eur",
)


def payroll_csv(*, staff: StaffMember, organisation: Organisation, month: dt.date) -> str:
    """The month's peer sessions as CSV for payroll: one row per session and no client data
    (the link to a coaching period is not exported). Managers and team leaders only."""
    if not may_export_payroll(staff, organisation.pk):
        raise Http404
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(PAYROLL_HEADER)
    for session in month_sessions(organisation=organisation, month=month):
        coach = session.peer_coach
        writer.writerow(
            [
                coach.pk,
                csv_cell(coach.name),
                csv_cell(coach.payroll_reference),
                session.held_on.isoformat(),
                session.duration_minutes,
                f"{session.fee:.2f}",
            ]
        )
    return out.getvalue()
