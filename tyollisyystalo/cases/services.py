"""Writes on the service path: open, move through the statuses, outcome, reviews, team.

Every service checks everything before it writes, runs in one transaction, writes an immutable
event and the access log, and returns the changed object. Denied requests are logged outside
the transaction, so the refusal stays on record.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import (
    OPEN,
    Case,
    CaseDeadline,
    CaseEvent,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    EntryRoute,
    EventKind,
)
from tyollisyystalo.cases.schedules import review_schedule
from tyollisyystalo.cases.states import IllegalTransition, Status, transition_check
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability
from tyollisyystalo.surveys.services import path_closed_invite

CATEGORY = DataCategory.PLAN
OBJECT_TYPE = "case"


def path_log(
    actor: StaffMember,
    case: Case,
    purpose: str,
    at: dt.datetime,
    basis: Basis = Basis.TEAM,
    action: Action = Action.UPDATE,
) -> None:
    access_log_event(
        actor=actor,
        client_id=case.client_id,
        action=action,
        purpose=purpose,
        categories=[CATEGORY],
        object_type=OBJECT_TYPE,
        object_id=str(case.pk),
        basis=basis,
        at=at,
    )


def case_for_write(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    at: dt.datetime,
    purpose: str,
    category: str = CATEGORY,
) -> tuple[Case, Basis]:
    """The path, when the actor may write ``category`` records of its organisation for the
    client; a ValidationError when there is no such path, a logged 404 when denied."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise ValidationError(_("Palvelupolkua ei löytynyt."))
    ctx = access_context_load(case.client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=case.owner_organisation_id, category=category
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=case.client_id, action=Action.UPDATE, at=at, purpose=purpose
        )
    return case, decision.basis


def _case_for_update(case_id: uuid.UUID) -> Case:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise ValidationError(_("Palvelupolkua ei löytynyt."))
    return case


def _check_staff(
    errors: dict[str, list[str]], field: str, person: StaffMember | None, organisation_id: int
) -> None:
    if person is None:
        return
    if not person.is_active:
        errors[field] = [_("Työntekijä ei ole enää palveluksessa.")]
    elif person.organisation_id != organisation_id:
        errors[field] = [_("Valitse oman organisaatiosi työntekijä.")]
    elif not person.can(Capability.CASE_MANAGE):
        errors[field] = [_("Työntekijän rooli ei salli palvelupolun vastuuta.")]


def _join_team(
    case: Case, person: StaffMember, actor: StaffMember, at: dt.datetime, *, coordinator: bool
) -> None:
    membership = TeamMembership.objects.filter(
        client_id=case.client_id, staff_member=person, ended_at__isnull=True
    ).first()
    if membership is None:
        TeamMembership.objects.create(
            client_id=case.client_id,
            staff_member=person,
            case=case,
            role_in_case=_("Vastuuhenkilö") if coordinator else _("Varahenkilö"),
            is_coordinator=coordinator,
            invited_at=at,
            started_at=at,
            added_by=actor,
        )
        return
    changed = []
    if membership.started_at is None:  # an open invitation becomes membership at once
        membership.started_at = at
        changed.append("started_at")
    if membership.case_id is None:
        membership.case = case
        changed.append("case")
    if coordinator and not membership.is_coordinator:
        membership.is_coordinator = True
        changed.append("is_coordinator")
    if changed:
        membership.save(update_fields=changed)


def _coordination_settle(case: Case) -> None:
    """The path's coordinator is the client's responsible person (*vastuuhenkilö*) in the
    path's organisation: others of that organisation stay in the team without the title,
    unless they coordinate another open path of the client."""
    coordinating = Case.objects.filter(client_id=case.client_id, status__in=OPEN).values(
        "coordinator_id"
    )
    TeamMembership.objects.filter(
        client_id=case.client_id,
        ended_at__isnull=True,
        is_coordinator=True,
        staff_member__organisation_id=case.owner_organisation_id,
    ).exclude(staff_member_id__in=coordinating).update(is_coordinator=False)


def case_open(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    entry_route: str,
    referred_on: dt.date,
    coordinator: StaffMember,
    deputy: StaffMember | None = None,
    referrer_organisation: Organisation | None = None,
    referrer_name: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Open a path in the actor's organisation; the coordinator (and deputy) join the team."""
    require_capability(actor, Capability.CASE_MANAGE)
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    if entry_route not in EntryRoute.values:
        errors["entry_route"] = [_("Valitse, mitä kautta asiakas tuli.")]
    if referred_on > timezone.localdate(at):
        errors["referred_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    _check_staff(errors, "coordinator", coordinator, actor.organisation_id)
    _check_staff(errors, "deputy", deputy, actor.organisation_id)
    if deputy is not None and deputy.pk == coordinator.pk:
        errors["deputy"] = [_("Varahenkilö ei voi olla sama kuin vastuuhenkilö.")]
    if errors:
        raise ValidationError(errors)
    ctx = access_context_load(client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=actor.organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.CREATE, at=at, purpose="case open"
        )
    already = _("Asiakkaalla on jo avoin palvelupolku organisaatiossasi.")
    if Case.objects.filter(
        client_id=client_id,
        owner_organisation_id=actor.organisation_id,
        status__in=OPEN,
    ).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                client_id=client_id,
                owner_organisation_id=actor.organisation_id,
                category=CATEGORY,
                created_at=at,
                entry_route=entry_route,
                referrer_organisation=referrer_organisation,
                referrer_name=referrer_name.strip(),
                coordinator=coordinator,
                deputy=deputy,
                referred_on=referred_on,
            )
            CaseEvent.objects.create(
                case=case,
                kind=EventKind.OPENED,
                at=at,
                effective_on=referred_on,
                actor=actor,
                to_status=CaseStatus.REFERRED,
                reason=reason.strip(),
            )
            _join_team(case, coordinator, actor, at, coordinator=True)
            _coordination_settle(case)
            if deputy is not None:
                _join_team(case, deputy, actor, at, coordinator=False)
            path_log(actor, case, "case opened", at, decision.basis, Action.CREATE)
    except IntegrityError as exc:  # a concurrent open won the race: the constraint holds
        raise ValidationError(already) from exc
    return case


def case_transition(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    to_status: str,
    on: dt.date,
    reason: str = "",
    outcome: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Move the path to the next status. Closing needs an outcome; starting dates the reviews."""
    require_capability(actor, Capability.CASE_MANAGE)
    at = at or timezone.now()
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="case transition")
    with transaction.atomic():
        case = _case_for_update(case_id)
        try:
            target = transition_check(case.status, to_status)
        except IllegalTransition as exc:
            raise ValidationError(
                _(exc.message).format(
                    current=CaseStatus(exc.current.value).label,
                    target=CaseStatus(exc.target.value).label,
                )
            ) from exc
        errors: dict[str, list[str]] = {}
        if on > timezone.localdate(at):
            errors["on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
        if on < (case.started_on or case.referred_on):
            errors["on"] = [_("Päivämäärä ei voi olla ennen palvelupolun alkua.")]
        if target == Status.CLOSED and outcome not in CaseOutcome.values:
            errors["outcome"] = [_("Valitse, miten palvelupolku päättyi.")]
        if target != Status.CLOSED and outcome:
            errors["outcome"] = [_("Lopputulos kirjataan, kun palvelupolku päättyy.")]
        if errors:
            raise ValidationError(errors)
        from_status = case.status
        case.status = target.value
        fields = ["status"]
        if target == Status.INTAKE:
            case.started_on = on
            fields.append("started_on")
            _reviews_schedule(case)
        if target == Status.CLOSED:
            case.closed_on = on
            if not case.outcome or outcome != case.outcome:
                case.outcome, case.outcome_on = outcome, on
            fields += ["closed_on", "outcome", "outcome_on"]
            CaseDeadline.objects.filter(
                case=case, done_on__isnull=True, cancelled_at__isnull=True
            ).update(cancelled_at=at)
            # The client is asked how the path went (surveys; e-mailed when an address is known).
            path_closed_invite(case=case, at=at)
        case.save(update_fields=fields)
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.STATUS,
            at=at,
            effective_on=on,
            actor=actor,
            from_status=from_status,
            to_status=target.value,
            outcome=outcome if target == Status.CLOSED else "",
            reason=reason.strip(),
        )
        path_log(actor, case, f"case {from_status} to {target.value}", at, basis)
    return case


def _reviews_schedule(case: Case) -> None:
    assert case.started_on is not None
    dues = review_schedule(
        case.started_on,
        interim_months=settings.CASE_INTERIM_REVIEW_MONTHS,
        final_months=settings.CASE_FINAL_REVIEW_MONTHS,
    )
    CaseDeadline.objects.bulk_create(
        CaseDeadline(case=case, kind=due.kind, months=due.months, due_on=due.due_on) for due in dues
    )


def case_outcome_record(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    outcome: str,
    on: dt.date,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Record a job or study place on an open path, which continues to the next interim review.

    Other outcomes end the path, so they are recorded by closing it (``case_transition``).
    """
    require_capability(actor, Capability.CASE_MANAGE)
    at = at or timezone.now()
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="case outcome")
    with transaction.atomic():
        case = _case_for_update(case_id)
        errors: dict[str, list[str]] = {}
        if case.status != CaseStatus.ACTIVE:
            errors["outcome"] = [_("Lopputuloksen voi kirjata avoimelle, aktiiviselle polulle.")]
        elif outcome != CaseOutcome.JOB_OR_STUDY:
            errors["outcome"] = [
                _("Vain työ- tai opiskelupaikka kirjataan polun jatkuessa; muut päättävät polun.")
            ]
        if on > timezone.localdate(at):
            errors["on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
        if errors:
            raise ValidationError(errors)
        case.outcome, case.outcome_on = outcome, on
        case.save(update_fields=["outcome", "outcome_on"])
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.OUTCOME,
            at=at,
            effective_on=on,
            actor=actor,
            outcome=outcome,
            reason=reason.strip(),
        )
        path_log(actor, case, "case outcome recorded", at, basis)
    return case


def case_review_record(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    deadline_id: int,
    held_on: dt.date,
    summary: str,
    at: dt.datetime | None = None,
) -> CaseDeadline:
    """Mark a review as held, with a short summary (encrypted)."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="case review")
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate(at):
        errors["held_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if not summary.strip():
        errors["summary"] = [_("Kirjoita lyhyt yhteenveto arvioinnista.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        deadline = (
            CaseDeadline.objects.select_for_update().filter(pk=deadline_id, case_id=case_id).first()
        )
        if deadline is None or not deadline.is_open:
            raise ValidationError(_("Arviointi on jo kirjattu tai sitä ei löytynyt."))
        deadline.done_on = held_on
        deadline.done_by = actor
        deadline.summary = summary.strip()
        deadline.save(update_fields=["done_on", "done_by", "summary"])
        CaseEvent.objects.create(
            case_id=case_id,
            kind=EventKind.REVIEW,
            at=at,
            effective_on=held_on,
            actor=actor,
            reason=str(DeadlineKind(deadline.kind).label),
        )
        path_log(actor, case, f"{deadline.kind} recorded", at, basis)
    return deadline


def case_coordinator_change(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    coordinator: StaffMember,
    deputy: StaffMember | None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Name a new coordinator or deputy; the new ones join the team."""
    require_capability(actor, Capability.CASE_MANAGE)
    at = at or timezone.now()
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="case coordinator")
    errors: dict[str, list[str]] = {}
    _check_staff(errors, "coordinator", coordinator, case.owner_organisation_id)
    _check_staff(errors, "deputy", deputy, case.owner_organisation_id)
    if deputy is not None and deputy.pk == coordinator.pk:
        errors["deputy"] = [_("Varahenkilö ei voi olla sama kuin vastuuhenkilö.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _case_for_update(case_id)
        if not case.is_open:
            raise ValidationError(_("Päättyneen palvelupolun vastuuhenkilöä ei voi vaihtaa."))
        case.coordinator, case.deputy = coordinator, deputy
        case.save(update_fields=["coordinator", "deputy"])
        _join_team(case, coordinator, actor, at, coordinator=True)
        _coordination_settle(case)
        if deputy is not None:
            _join_team(case, deputy, actor, at, coordinator=False)
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.COORDINATOR,
            at=at,
            effective_on=timezone.localdate(at),
            actor=actor,
            reason=reason.strip(),
        )
        path_log(actor, case, "case coordinator changed", at, basis)
    return case
