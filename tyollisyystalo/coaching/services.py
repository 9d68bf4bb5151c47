"""Writes of job coaching: periods and their status events, support contacts, forms A–E and
placements. Every service takes plain arguments (actor, ids, dates, values), checks everything
before writing, writes in one transaction, logs the write and returns the rows (a demo seeder
calls them as they are).

A period and everything under it is client data of the coach's organisation, in the coaching
unit's own data category or else ``education_work`` (ADR 0023, decision 3). Writes go through
the gatekeeper's ``decide_write``; a denied write answers 404 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import Decision, access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import OPEN, Case
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingKind,
    CoachingPeriod,
    CoachingStatus,
    EndingReason,
    Intensity,
    SupportContact,
    SupportContactKind,
)
from tyollisyystalo.coaching.states import OPEN_STATUSES, may_move, next_statuses
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

OBJECT_TYPE = "coaching_period"
COACH_ROLES = frozenset({Role.JOB_COACH})


def period_category(coach: StaffMember) -> str:
    """The coaching unit's own category (e.g. health for an IPS team of a mental-health unit),
    otherwise education and work (ADR 0023, decision 3)."""
    unit = coach.unit
    if unit is not None and unit.data_category:
        return unit.data_category
    return DataCategory.EDUCATION_WORK


def coaching_team_of(staff: StaffMember) -> CoachingTeam | None:
    """The coaching team of the staff member's organisation (the first by name if several)."""
    return CoachingTeam.objects.filter(organisations=staff.organisation_id).order_by("name").first()


def may_start_periods(staff: StaffMember) -> bool:
    """A job coach of an organisation that belongs to a coaching team."""
    return staff.is_active and staff.role in COACH_ROLES and coaching_team_of(staff) is not None


def _log(
    actor: StaffMember,
    period: CoachingPeriod,
    action: Action,
    purpose: str,
    decision: Decision,
    at: dt.datetime,
    object_type: str = OBJECT_TYPE,
    object_id: str = "",
) -> None:
    access_log_event(
        actor=actor,
        client_id=period.client_id,
        action=action,
        purpose=purpose,
        categories=[period.category],
        object_type=object_type,
        object_id=object_id or str(period.pk),
        basis=decision.basis,
        consent_id=decision.consent_id,
        at=at,
    )


def _write_decision(
    actor: StaffMember, client_id: uuid.UUID, category: str, at: dt.datetime, purpose: str
) -> Decision:
    """The gatekeeper's write decision for the actor's own organisation; a logged 404 if not."""
    ctx = access_context_load(client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=actor.organisation_id, category=category
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.UPDATE, at=at, purpose=purpose
        )
    return decision


def period_for_write(
    *, actor: StaffMember, period_id: uuid.UUID, at: dt.datetime, purpose: str, lock: bool = False
) -> tuple[CoachingPeriod, Decision]:
    """The period when the actor may write its records; a 404 (logged as denied) otherwise."""
    queryset = CoachingPeriod.objects.select_for_update() if lock else CoachingPeriod.objects
    period = queryset.filter(pk=period_id).first()
    if period is None:
        raise ValidationError(_("Valmennusjaksoa ei löytynyt."), code="not_found")
    if period.owner_organisation_id != actor.organisation_id:
        raise deny_and_log(
            staff=actor, client_id=period.client_id, action=Action.UPDATE, at=at, purpose=purpose
        )
    decision = _write_decision(actor, period.client_id, period.category, at, purpose)
    return period, decision


def _check_colleague(
    errors: dict[str, list[str]], field: str, person: StaffMember | None, actor: StaffMember
) -> None:
    if person is None:
        return
    if not person.is_active:
        errors[field] = [_("Työntekijä ei ole enää palveluksessa.")]
    elif person.organisation_id != actor.organisation_id or person.role not in COACH_ROLES:
        errors[field] = [_("Valitse oman organisaatiosi työhönvalmentaja.")]


def _open_case_of(client_id: uuid.UUID) -> Case | None:
    return (
        Case.objects.filter(client_id=client_id, status__in=OPEN)
        .order_by("-referred_on", "-created_at")
        .first()
    )


def period_start_target(
    *,
    actor: StaffMember,
    client_id: uuid.UUID | None,
    referral_id: uuid.UUID | None,
    at: dt.datetime | None = None,
) -> tuple[uuid.UUID, Referral | None, CoachingTeam | None]:
    """Who a new period would be for, when the actor may start one: a job coach of a coaching
    team's organisation who may write the client's education-and-work data (or the receiver of
    the referral). A 404 (logged as denied) when the actor may not; nothing is read."""
    at = at or timezone.now()
    purpose = "coaching period start"
    team = coaching_team_of(actor)
    if team is None or actor.role not in COACH_ROLES or not actor.is_active:
        raise ValidationError(
            _("Valmennusjakson voi aloittaa työhönvalmennustiimin organisaation valmentaja."),
            code="not_coach",
        )
    referral: Referral | None = None
    if referral_id is not None:
        referral = Referral.objects.filter(pk=referral_id).first()
        if referral is None:
            raise ValidationError(_("Lähetettä ei löytynyt."), code="not_found")
        if referral.receiving_organisation_id != actor.organisation_id:
            raise deny_and_log(
                staff=actor,
                client_id=referral.client_id,
                action=Action.CREATE,
                at=at,
                purpose=purpose,
            )
        if client_id is not None and client_id != referral.client_id:
            raise ValidationError(_("Lähete on toisen asiakkaan."), code="not_found")
        client_id = referral.client_id
    if client_id is None:
        raise ValidationError(_("Valitse asiakas."), code="not_found")
    _write_decision(actor, client_id, period_category(actor), at, purpose)
    return client_id, referral, team


def period_start(
    *,
    actor: StaffMember,
    client_id: uuid.UUID | None = None,
    referral_id: uuid.UUID | None = None,
    kind: str,
    intensity: str,
    started_on: dt.date | None = None,
    coach: StaffMember | None = None,
    deputy: StaffMember | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> CoachingPeriod:
    """Start a coaching period: from an accepted referral to the actor's organisation, or
    directly for a client whose education-and-work data the actor may write.

    The period is linked to the referral's path, else to the client's open path if any.
    """
    at = at or timezone.now()
    purpose = "coaching period start"
    client_id, referral, team = period_start_target(
        actor=actor, client_id=client_id, referral_id=referral_id, at=at
    )
    coach = coach or actor
    category = period_category(coach)
    decision = _write_decision(actor, client_id, category, at, purpose)
    started_on = started_on or timezone.localdate(at)
    errors: dict[str, list[str]] = {}
    if kind not in CoachingKind.values:
        errors["kind"] = [_("Valitse valmennuksen malli.")]
    if intensity not in Intensity.values:
        errors["intensity"] = [_("Valitse valmennuksen tiiviys.")]
    if started_on > timezone.localdate(at):
        errors["started_on"] = [_("Alkamispäivä ei voi olla tulevaisuudessa.")]
    _check_colleague(errors, "coach", coach, actor)
    _check_colleague(errors, "deputy", deputy, actor)
    if deputy is not None and deputy.pk == coach.pk:
        errors["deputy"] = [_("Varavalmentaja ei voi olla sama kuin valmentaja.")]
    if referral is not None:
        if referral.status != ReferralStatus.ACCEPTED:
            errors["__all__"] = [_("Valmennuksen voi aloittaa vain hyväksytystä lähetteestä.")]
        elif CoachingPeriod.objects.filter(referral_id=referral.pk).exists():
            errors["__all__"] = [_("Tästä lähetteestä on jo aloitettu valmennusjakso.")]
    if CoachingPeriod.objects.filter(
        client_id=client_id,
        owner_organisation_id=actor.organisation_id,
        status__in=OPEN_STATUSES,
    ).exists():
        errors["__all__"] = [_("Asiakkaalla on jo käynnissä oleva valmennusjakso.")]
    if errors:
        raise ValidationError(errors)
    case = referral.case if referral is not None else _open_case_of(client_id)
    with transaction.atomic():
        period = CoachingPeriod.objects.create(
            client_id=client_id,
            owner_organisation_id=actor.organisation_id,
            category=category,
            created_at=at,
            case=case,
            referral=referral,
            team=team,
            coach=coach,
            deputy=deputy,
            kind=kind,
            intensity=intensity,
            status=CoachingStatus.STARTED,
            started_on=started_on,
            created_by=actor,
        )
        CoachingEvent.objects.create(
            period=period,
            effective_on=started_on,
            from_status="",
            to_status=CoachingStatus.STARTED,
            note=note.strip(),
            actor=actor,
            created_at=at,
        )
        _log(actor, period, Action.CREATE, purpose, decision, at)
    return period


def _move(
    period: CoachingPeriod,
    *,
    actor: StaffMember,
    to_status: str,
    on: dt.date,
    at: dt.datetime,
    ending_reason: str = "",
    note: str = "",
) -> CoachingEvent:
    """Write the event and the period's new status (the caller has checked and locked)."""
    event = CoachingEvent.objects.create(
        period=period,
        effective_on=on,
        from_status=period.status,
        to_status=to_status,
        ending_reason=ending_reason if to_status == CoachingStatus.ENDED else "",
        note=note.strip(),
        actor=actor,
        created_at=at,
    )
    period.status = to_status
    if to_status == CoachingStatus.ENDED:
        period.ended_on, period.ending_reason = on, ending_reason
    period.save(update_fields=["status", "ended_on", "ending_reason"])
    return event


def transition_errors(
    period: CoachingPeriod, to_status: str, on: dt.date, ending_reason: str, today: dt.date
) -> dict[str, list[str]]:
    """What is wrong with moving ``period`` to ``to_status`` on ``on``; empty when fine."""
    errors: dict[str, list[str]] = {}
    if not may_move(period.status, to_status):
        if period.status == CoachingStatus.ENDED:
            message = _("Päättynyttä valmennusjaksoa ei voi jatkaa. Aloita uusi jakso.")
        else:
            labels = dict(CoachingStatus.choices)
            message = _(
                "Valmennusjakso ei voi siirtyä tilasta ”%(current)s” tilaan ”%(target)s”."
            ) % {
                "current": labels.get(period.status, period.status),
                "target": labels.get(to_status, to_status),
            }
        errors["to_status"] = [message]
    if on > today:
        errors["effective_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    elif on < period.started_on:
        errors["effective_on"] = [_("Päivämäärä ei voi olla ennen valmennuksen alkua.")]
    if to_status == CoachingStatus.ENDED and ending_reason not in EndingReason.values:
        errors["ending_reason"] = [_("Valitse päättymisen syy.")]
    return errors


def period_transition(
    *,
    actor: StaffMember,
    period_id: uuid.UUID,
    to_status: str,
    on: dt.date | None = None,
    ending_reason: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> CoachingEvent:
    """Move the period to ``to_status`` by writing an immutable event; ending needs a reason."""
    at = at or timezone.now()
    purpose = "coaching period status"
    on = on or timezone.localdate(at)
    period, decision = period_for_write(actor=actor, period_id=period_id, at=at, purpose=purpose)
    with transaction.atomic():
        period = CoachingPeriod.objects.select_for_update().get(pk=period.pk)
        errors = transition_errors(period, to_status, on, ending_reason, timezone.localdate(at))
        if errors:
            raise ValidationError(errors)
        event = _move(
            period,
            actor=actor,
            to_status=to_status,
            on=on,
            at=at,
            ending_reason=ending_reason,
            note=note,
        )
        _log(actor, period, Action.UPDATE, purpose, decision, at)
    return event


def period_next_statuses(period: CoachingPeriod) -> list[str]:
    return next_statuses(period.status)


def support_contact_add(
    *,
    actor: StaffMember,
    period_id: uuid.UUID,
    contacted_on: dt.date,
    kind: str,
    face_to_face: bool = True,
    note: str = "",
    at: dt.datetime | None = None,
) -> SupportContact:
    """Log a meeting or follow-along support with the client during the period."""
    at = at or timezone.now()
    purpose = "coaching support contact"
    period, decision = period_for_write(actor=actor, period_id=period_id, at=at, purpose=purpose)
    errors: dict[str, list[str]] = {}
    if kind not in SupportContactKind.values:
        errors["kind"] = [_("Valitse yhteydenoton laji.")]
    if contacted_on > timezone.localdate(at):
        errors["contacted_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    elif contacted_on < period.started_on:
        errors["contacted_on"] = [_("Päivämäärä ei voi olla ennen valmennuksen alkua.")]
    if period.status == CoachingStatus.ENDED and period.ended_on and contacted_on > period.ended_on:
        errors["contacted_on"] = [_("Päivämäärä ei voi olla valmennuksen päättymisen jälkeen.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = SupportContact.objects.create(
            client_id=period.client_id,
            owner_organisation_id=period.owner_organisation_id,
            category=period.category,
            created_at=at,
            period=period,
            contacted_on=contacted_on,
            kind=kind,
            face_to_face=face_to_face,
            note=note.strip(),
            author=actor,
        )
        _log(
            actor,
            period,
            Action.CREATE,
            purpose,
            decision,
            at,
            object_type="coaching_support_contact",
            object_id=str(contact.pk),
        )
    return contact
