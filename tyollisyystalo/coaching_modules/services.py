"""Writes of modular coaching and peer coaching: validated first, written in one transaction,
and (for client data) decided by the gatekeeper and logged in the access log."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.gatekeeper import Decision
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.coaching.models import CoachingPeriod, CoachingStatus
from tyollisyystalo.coaching_modules.access import may_record
from tyollisyystalo.coaching_modules.models import (
    PARTIES,
    CoachingModule,
    ModuleAssessment,
    ModuleChoice,
    NextStep,
    Party,
    PeerCoach,
    PeerSession,
)
from tyollisyystalo.coaching_modules.rules import choice_allowed, missing_parties
from tyollisyystalo.coaching_modules.selectors import period_access
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

PURPOSE = "coaching modules"
MAX_FEE = Decimal("10000")


def _writable_period(
    staff: StaffMember, period_id: uuid.UUID, at: dt.datetime
) -> tuple[CoachingPeriod, ClientAccess, Decision]:
    """The period when ``staff`` may write its records: the period is their organisation's and
    the gatekeeper allows writing its category; otherwise 404 (logged as denied)."""
    require_capability(staff, Capability.CLIENT_RECORD_WRITE)
    period, access = period_access(
        staff=staff, period_id=period_id, purpose=PURPOSE, action=Action.CREATE, at=at
    )
    decision = access.may_write(period.category)
    if period.owner_organisation_id != staff.organisation_id or not decision.allowed:
        raise deny_and_log(
            staff=staff,
            client_id=period.client_id,
            action=Action.CREATE,
            at=at,
            purpose=PURPOSE,
        )
    return period, access, decision


def _log(
    staff: StaffMember,
    period: CoachingPeriod,
    decision: Decision,
    object_type: str,
    object_id: str,
    at: dt.datetime,
) -> None:
    access_log_event(
        actor=staff,
        client_id=period.client_id,
        action=Action.CREATE,
        purpose=PURPOSE,
        categories=[period.category],
        object_type=object_type,
        object_id=object_id,
        basis=decision.basis,
        consent_id=decision.consent_id,
        at=at,
    )


def _record_fields(period: CoachingPeriod) -> dict[str, object]:
    return {
        "client_id": period.client_id,
        "owner_organisation_id": period.owner_organisation_id,
        "category": period.category,
    }


def _not_ended(period: CoachingPeriod) -> None:
    if period.status == CoachingStatus.ENDED:
        raise ValidationError(_("Päättyneeseen valmennukseen ei voi lisätä kirjauksia."))


@dataclass(frozen=True)
class ModuleData:
    title: str
    provider: Organisation
    planned_start: dt.date
    planned_end: dt.date


def module_add(
    *, staff: StaffMember, period_id: uuid.UUID, data: ModuleData, at: dt.datetime | None = None
) -> CoachingModule:
    """Add the next module to a modular period (its order follows the last one)."""
    at = at or timezone.now()
    period, _access, decision = _writable_period(staff, period_id, at)
    _not_ended(period)
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Kirjoita moduulin nimi.")]
    if data.planned_end < data.planned_start:
        errors["planned_end"] = [_("Loppu ei voi olla ennen alkua.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        CoachingPeriod.objects.select_for_update().filter(pk=period.pk).first()
        last = CoachingModule.objects.filter(period=period).aggregate(m=Max("order"))["m"] or 0
        module = CoachingModule.objects.create(
            **_record_fields(period),
            period=period,
            order=last + 1,
            title=data.title.strip(),
            provider=data.provider,
            planned_start=data.planned_start,
            planned_end=data.planned_end,
            created_by=staff,
            created_at=at,
        )
        _log(staff, period, decision, "coaching_modules.module", str(module.pk), at)
    return module


def _writable_module(
    staff: StaffMember, module_id: uuid.UUID, at: dt.datetime
) -> tuple[CoachingModule, Decision]:
    period_id = (
        CoachingModule.objects.filter(pk=module_id).values_list("period_id", flat=True).first()
    )
    if period_id is None:
        raise Http404
    period, _access, decision = _writable_period(staff, period_id, at)
    module = CoachingModule.objects.select_related("period").get(pk=module_id)
    _not_ended(period)
    return module, decision


def assessment_record(
    *,
    staff: StaffMember,
    module_id: uuid.UUID,
    party: str,
    score: int,
    text: str,
    assessed_on: dt.date,
    at: dt.datetime | None = None,
) -> ModuleAssessment:
    """Record one party's assessment of a module; each party assesses a module once."""
    at = at or timezone.now()
    module, decision = _writable_module(staff, module_id, at)
    errors: dict[str, list[str]] = {}
    if party not in PARTIES:
        errors["party"] = [_("Valitse arvioija.")]
    if not 1 <= score <= 5:
        errors["score"] = [_("Arvio on numero 1–5.")]
    if assessed_on > timezone.localdate(at):
        errors["assessed_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if assessed_on < module.planned_start:
        errors["assessed_on"] = [_("Arvio tehdään moduulin alkamisen jälkeen.")]
    if not errors and module.assessments.filter(party=party).exists():
        errors["party"] = [_("Tämän osapuolen arvio on jo kirjattu.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            assessment = ModuleAssessment.objects.create(
                **_record_fields(module.period),
                module=module,
                party=party,
                score=score,
                text=text.strip(),
                assessed_on=assessed_on,
                author=staff,
                created_at=at,
            )
            _log(staff, module.period, decision, "coaching_modules.assessment", str(module.pk), at)
    except IntegrityError:  # the same party recorded meanwhile
        raise ValidationError({"party": [_("Tämän osapuolen arvio on jo kirjattu.")]}) from None
    return assessment


def choice_record(
    *,
    staff: StaffMember,
    module_id: uuid.UUID,
    next_step: str,
    missing_reason: str,
    chosen_on: dt.date,
    at: dt.datetime | None = None,
) -> ModuleChoice:
    """The purchaser's choice after a module: needs the three assessments or a reason why one
    is missing (``rules.choice_allowed``). Recorded once per module."""
    at = at or timezone.now()
    module, decision = _writable_module(staff, module_id, at)
    present = list(module.assessments.values_list("party", flat=True))
    errors: dict[str, list[str]] = {}
    if next_step not in NextStep.values:
        errors["next_step"] = [_("Valitse, miten valmennus jatkuu.")]
    if not choice_allowed(present, missing_reason):
        names = dict(Party.choices)
        labels = ", ".join(str(names[p]) for p in missing_parties(present))
        errors["missing_reason"] = [
            _("Arvio puuttuu (%(parties)s). Kirjaa, miksi se puuttuu.") % {"parties": labels}
        ]
    if chosen_on > timezone.localdate(at):
        errors["chosen_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if not errors and ModuleChoice.objects.filter(module=module).exists():
        errors["next_step"] = [_("Valinta on jo kirjattu tälle moduulille.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            choice = ModuleChoice.objects.create(
                **_record_fields(module.period),
                module=module,
                next_step=next_step,
                missing_reason=missing_reason.strip() if missing_parties(present) else "",
                chosen_on=chosen_on,
                author=staff,
                created_at=at,
            )
            _log(staff, module.period, decision, "coaching_modules.choice", str(module.pk), at)
    except IntegrityError:
        raise ValidationError(
            {"next_step": [_("Valinta on jo kirjattu tälle moduulille.")]}
        ) from None
    return choice


# --- peer coaches ----------------------------------------------------------------------------


def _require_record(staff: StaffMember, organisation_id: int) -> None:
    if not may_record(staff, organisation_id):
        raise Http404


def peer_coach_add(
    *, staff: StaffMember, organisation: Organisation, name: str, payroll_reference: str = ""
) -> PeerCoach:
    _require_record(staff, organisation.pk)
    if not name.strip():
        raise ValidationError({"name": [_("Kirjoita vertaisvalmentajan nimi.")]})
    return PeerCoach.objects.create(
        organisation=organisation,
        name=name.strip(),
        payroll_reference=payroll_reference.strip(),
        created_by=staff,
    )


def peer_coach_erase(
    *, staff: StaffMember, peer_coach: PeerCoach, at: dt.datetime | None = None
) -> PeerCoach:
    """Erase a peer coach's personal data (on request): the row and its sessions stay as
    payroll records without a name."""
    _require_record(staff, peer_coach.organisation_id)
    PeerCoach.objects.filter(pk=peer_coach.pk).update(
        name="", payroll_reference="", active=False, erased_at=at or timezone.now()
    )
    peer_coach.refresh_from_db()
    return peer_coach


@dataclass(frozen=True)
class SessionData:
    held_on: dt.date
    duration_minutes: int
    fee: Decimal
    period_id: uuid.UUID | None = None


def peer_session_record(
    *,
    staff: StaffMember,
    peer_coach: PeerCoach,
    data: SessionData,
    at: dt.datetime | None = None,
) -> PeerSession:
    """Record one paid session; linked to a coaching period only when ``staff`` may write that
    period's records (the link is client data)."""
    at = at or timezone.now()
    _require_record(staff, peer_coach.organisation_id)
    errors: dict[str, list[str]] = {}
    if peer_coach.erased_at is not None or not peer_coach.active:
        errors["peer_coach"] = [_("Vertaisvalmentaja ei ole enää aktiivinen.")]
    if not 1 <= data.duration_minutes <= 600:
        errors["duration_minutes"] = [_("Kesto on 1–600 minuuttia.")]
    if not Decimal(0) <= data.fee <= MAX_FEE:
        errors["fee"] = [_("Palkkio on 0–10 000 euroa.")]
    if data.held_on > timezone.localdate(at):
        errors["held_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if errors:
        raise ValidationError(errors)
    period = None
    decision = None
    if data.period_id is not None:
        period, _access, decision = _writable_period(staff, data.period_id, at)
    with transaction.atomic():
        session = PeerSession.objects.create(
            peer_coach=peer_coach,
            held_on=data.held_on,
            duration_minutes=data.duration_minutes,
            fee=data.fee,
            period=period,
            created_by=staff,
            created_at=at,
        )
        if period is not None and decision is not None:
            _log(staff, period, decision, "coaching_modules.peer_session", str(session.pk), at)
    return session
