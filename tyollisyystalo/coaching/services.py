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
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal

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
from tyollisyystalo.coaching.formdefs import form_current
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingFormAnswer,
    CoachingKind,
    CoachingPeriod,
    CoachingStatus,
    EndingReason,
    Intensity,
    Placement,
    SupportContact,
    SupportContactKind,
)
from tyollisyystalo.coaching.states import OPEN_STATUSES, may_move, next_statuses
from tyollisyystalo.employers.models import (
    CoachingTeam,
    ContactKind,
    ContactPerson,
    Employer,
    EmployerContact,
)
from tyollisyystalo.employers.services import ContactData, contact_log
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.shared.formdefs import Value, answers_clean
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys.services import PlacementFacts, placement_ended_invite

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


# --- forms A–E and placements ------------------------------------------------------------------


def _definition_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _version_of(
    period: CoachingPeriod, form: str, thread: uuid.UUID | None
) -> tuple[uuid.UUID, int, CoachingFormAnswer | None]:
    """The thread and number of a new answer: a new thread, or the next version of one."""
    if thread is None:
        return uuid.uuid4(), 1, None
    previous = (
        CoachingFormAnswer.objects.filter(period=period, form=form, thread=thread)
        .order_by("-number")
        .first()
    )
    if previous is None:
        raise ValidationError(_("Muokattavaa vastausta ei löytynyt."), code="not_found")
    return thread, previous.number + 1, previous


def _placement_values(answers: Mapping[str, Value], employer: Employer | None) -> dict[str, object]:
    """The placement's columns from a form C answer (they mirror the latest version)."""
    wage = answers.get("hourly_wage")
    return {
        "employer": employer,
        "employer_name": employer.name if employer is not None else str(answers["employer_name"]),
        "job_title": str(answers["job_title"]),
        "started_on": dt.date.fromisoformat(str(answers["start_date"])),
        "hours_per_week": Decimal(str(answers["hours_per_week"])),
        "contract_type": str(answers["contract_type"]),
        "competitive": bool(answers["competitive"]),
        "hourly_wage": Decimal(str(wage)) if wage not in (None, "") else None,
        "pay_subsidy": bool(answers.get("pay_subsidy", False)),
    }


def _employer_for(
    actor: StaffMember, period: CoachingPeriod, employer_id: int | None
) -> Employer | None:
    """An employer of the period's team register (not merged); ValidationError otherwise."""
    if employer_id is None:
        return None
    employer = Employer.objects.filter(
        pk=employer_id, team__organisations=period.owner_organisation_id, merged_into__isnull=True
    ).first()
    if employer is None:
        raise ValidationError({"employer": [_("Työnantajaa ei löytynyt rekisteristä.")]})
    return employer


def form_answer_save(
    *,
    actor: StaffMember,
    period_id: uuid.UUID,
    form: str,
    answers: Mapping[str, object],
    thread: uuid.UUID | None = None,
    employer_id: int | None = None,
    placement_id: uuid.UUID | None = None,
    language: str = "fi",
    at: dt.datetime | None = None,
) -> CoachingFormAnswer:
    """Store an answer to form A, C, D or E, or a new version of one (same thread, number+1).

    Form C creates a placement and moves the period to employed; form D ends a placement and,
    when no other job goes on, moves the period back to job search; form E ends the period
    (declined). A new version of C or D updates the placement it made; nothing else moves.
    """
    at = at or timezone.now()
    purpose = f"coaching form {form}"
    if form not in {"A", "C", "D", "E"}:
        raise ValidationError(_("Tuntematon lomake."), code="not_found")
    period, decision = period_for_write(actor=actor, period_id=period_id, at=at, purpose=purpose)
    definition = form_current(form)
    today = timezone.localdate(at)
    with transaction.atomic():
        period = CoachingPeriod.objects.select_for_update().get(pk=period.pk)
        thread, number, previous = _version_of(period, form, thread)
        placement: Placement | None = previous.placement if previous is not None else None
        context: dict[str, dt.date | None] = {"period_start": period.started_on}
        if form == "D":
            if placement is None:
                placement = (
                    Placement.objects.filter(pk=placement_id, period=period).first()
                    if placement_id is not None
                    else None
                )
                if placement is None:
                    raise ValidationError(_("Työsuhdetta ei löytynyt."), code="not_found")
                if placement.ended_on is not None:
                    raise ValidationError(_("Työsuhteen päättyminen on jo kirjattu."))
            context["placement_start"] = placement.started_on
        cleaned, errors = answers_clean(definition, answers, language=language, context=context)
        employer: Employer | None = None
        if form == "C":
            try:
                employer = _employer_for(actor, period, employer_id)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            if employer is None and not cleaned.get("employer_name") and "employer" not in errors:
                errors["employer_name"] = [
                    _("Valitse työnantaja rekisteristä tai kirjoita sen nimi.")
                ]
        for field in ("start_date", "end_date", "declined_on"):
            value = cleaned.get(field)
            if isinstance(value, str) and dt.date.fromisoformat(value) > today:
                errors.setdefault(field, []).append(_("Päivämäärä ei voi olla tulevaisuudessa."))
        if previous is None and period.status == CoachingStatus.ENDED:
            errors.setdefault("__all__", []).append(
                _("Päättyneeseen valmennusjaksoon ei voi lisätä uusia lomakkeita.")
            )
        if (
            form == "E"
            and previous is None
            and period.status
            not in {
                CoachingStatus.EMPLOYED,
                CoachingStatus.FOLLOW_ALONG,
                CoachingStatus.JOB_SEARCH,
            }
        ):
            errors.setdefault("__all__", []).append(
                _("Lomake E kirjataan, kun asiakas on ollut työssä valmennuksen aikana.")
            )
        if form == "E" and previous is None and not period.placements.exists():
            errors.setdefault("__all__", []).append(
                _("Lomake E kirjataan, kun asiakas on ollut työssä valmennuksen aikana.")
            )
        _definition_errors(errors)
        answered_on = _answered_on(form, cleaned, today)
        if form == "C":
            values = _placement_values(cleaned, employer)
            if placement is None:
                placement = Placement.objects.create(
                    client_id=period.client_id,
                    owner_organisation_id=period.owner_organisation_id,
                    category=period.category,
                    created_at=at,
                    period=period,
                    **values,
                )
                if period.status != CoachingStatus.EMPLOYED:
                    _move(
                        period,
                        actor=actor,
                        to_status=CoachingStatus.EMPLOYED,
                        on=answered_on,
                        at=at,
                    )
            else:
                for name, column in values.items():
                    setattr(placement, name, column)
                placement.save()
        elif form == "D":
            assert placement is not None
            placement.ended_on = dt.date.fromisoformat(str(cleaned["end_date"]))
            placement.ended_by = str(cleaned["ended_by"])
            placement.save(update_fields=["ended_on", "ended_by"])
            if previous is None:
                placement_ended_invite(placement=_placement_facts(placement), at=at)
            still_working = period.placements.filter(ended_on__isnull=True).exists()
            if (
                previous is None
                and not still_working
                and period.status
                in {
                    CoachingStatus.EMPLOYED,
                    CoachingStatus.FOLLOW_ALONG,
                }
            ):
                _move(
                    period, actor=actor, to_status=CoachingStatus.JOB_SEARCH, on=answered_on, at=at
                )
        elif form == "E" and previous is None:
            _move(
                period,
                actor=actor,
                to_status=CoachingStatus.ENDED,
                on=answered_on,
                at=at,
                ending_reason=EndingReason.DECLINED,
            )
        answer = CoachingFormAnswer.objects.create(
            client_id=period.client_id,
            owner_organisation_id=period.owner_organisation_id,
            category=period.category,
            created_at=at,
            period=period,
            form=form,
            definition_version=definition.version,
            thread=thread,
            number=number,
            answered_on=answered_on,
            answers_json=json.dumps(cleaned, ensure_ascii=False, sort_keys=True),
            author=actor,
            placement=placement,
        )
        _log(
            actor,
            period,
            Action.CREATE if previous is None else Action.UPDATE,
            purpose,
            decision,
            at,
            object_type="coaching_form_answer",
            object_id=str(answer.pk),
        )
    return answer


def _placement_facts(placement: Placement) -> PlacementFacts:
    """What the employer survey needs: whose placement, and an address the employer allowed."""
    email = ""
    if placement.employer_id is not None:
        person = (
            ContactPerson.objects.filter(
                employer_id=placement.employer_id, may_email=True, erased_at__isnull=True
            )
            .exclude(email="")
            .order_by("created_at", "pk")
            .first()
        )
        email = person.email if person is not None else ""
    return PlacementFacts(
        placement_id=placement.pk,
        client_id=placement.client_id,
        organisation_id=placement.owner_organisation_id,
        category=placement.category,
        employer_email=email,
    )


def _answered_on(form: str, cleaned: Mapping[str, Value], today: dt.date) -> dt.date:
    field = {"C": "start_date", "D": "end_date", "E": "declined_on"}.get(form)
    value = cleaned.get(field) if field else None
    return dt.date.fromisoformat(value) if isinstance(value, str) else today


def employer_meeting_log(
    *,
    actor: StaffMember,
    period_id: uuid.UUID,
    employer_id: int,
    answers: Mapping[str, object],
    about_client: bool,
    contact_person_id: int | None = None,
    language: str = "fi",
    at: dt.datetime | None = None,
) -> EmployerContact:
    """Form B: a meeting with an employer, written to the coach's team register as a contact
    of kind meeting with the answers; linked to the period's client only when it was about
    them (ADR 0023, decisions 4 and 5)."""
    at = at or timezone.now()
    purpose = "coaching form B"
    period, decision = period_for_write(actor=actor, period_id=period_id, at=at, purpose=purpose)
    definition = form_current("B")
    cleaned, errors = answers_clean(definition, answers, language=language)
    try:
        employer = _employer_for(actor, period, employer_id)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        employer = None
    person = None
    if contact_person_id is not None and employer is not None:
        person = ContactPerson.objects.filter(pk=contact_person_id, employer=employer).first()
        if person is None:
            errors["contact_person"] = [_("Yhteyshenkilö ei ole tämän työnantajan.")]
    _definition_errors(errors)
    assert employer is not None
    next_on = cleaned.get("next_step_on")
    data = ContactData(
        contacted_on=dt.date.fromisoformat(str(cleaned["met_on"])),
        kind=ContactKind.MEETING,
        face_to_face=bool(cleaned.get("face_to_face", False)),
        contact_person=person,
        notes=str(cleaned.get("notes", "")),
        next_step=str(cleaned.get("next_step", ""))[:300],
        next_step_on=dt.date.fromisoformat(next_on) if isinstance(next_on, str) else None,
        client_id=period.client_id if about_client else None,
        form_code=definition.key,
        form_version=definition.version,
        form_answers=json.dumps(cleaned, ensure_ascii=False, sort_keys=True),
    )
    with transaction.atomic():
        contact = contact_log(staff=actor, employer=employer, data=data)
        if about_client:
            _log(
                actor,
                period,
                Action.CREATE,
                purpose,
                decision,
                at,
                object_type="employer_contact",
                object_id=str(contact.pk),
            )
    return contact
