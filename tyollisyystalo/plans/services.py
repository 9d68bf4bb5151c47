"""Writes of plans: create, revise (with conflict detection), acknowledge, review.

A revision names the version it was based on. When someone else saved a newer version in the
meantime, ``PlanConflict`` is raised and nothing is written: the caller keeps the user's input
and shows what changed, so no edit is lost silently.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import CaseDeadline, DeadlineKind
from tyollisyystalo.cases.schedules import Due, mapping_period_end, plan_review_due
from tyollisyystalo.cases.services import case_for_write
from tyollisyystalo.catalogue.selectors import services_published
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.plans.content import Content, ContentErrors, content_from_json, plan_diff
from tyollisyystalo.plans.models import (
    AcknowledgementMethod,
    AcknowledgementParty,
    Plan,
    PlanAcknowledgement,
    PlanType,
    PlanVersion,
)
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

CATEGORY = DataCategory.PLAN


class PlanConflict(Exception):
    """Someone saved a newer version after the one the edit was based on."""

    def __init__(self, plan: Plan, base_number: int) -> None:
        super().__init__(plan.pk, base_number)
        self.plan = plan
        self.base_number = base_number
        self.current_number = plan.current_number


def _content(raw: Mapping[str, Any]) -> Content:
    try:
        return content_from_json(raw)
    except ContentErrors as exc:
        raise ValidationError({key: [_(message)] for key, message in exc.errors.items()}) from exc


def _services_check(content: Content, previous: Content | None = None) -> None:
    """An action's service is a published one of the catalogue (the editor's picker offers
    only those); one that the previous version already named may since have been withdrawn."""
    kept = (
        {uuid.UUID(a.service_id) for a in previous.actions if a.service_id} if previous else set()
    )
    named = {uuid.UUID(a.service_id) for a in content.actions if a.service_id} - kept
    offered = set(services_published().filter(pk__in=named).values_list("pk", flat=True))
    errors = {
        f"actions.{n}.service_id": [_("Valitse palvelu luettelosta.")]
        for n, action in enumerate(content.actions)
        if action.service_id and uuid.UUID(action.service_id) in named - offered
    }
    if errors:
        raise ValidationError(errors)


def _log(actor: StaffMember, plan: Plan, basis: Basis, purpose: str, at: dt.datetime) -> None:
    access_log_event(
        actor=actor,
        client_id=plan.client_id,
        action=Action.UPDATE,
        purpose=purpose,
        categories=[CATEGORY],
        object_type="plan",
        object_id=str(plan.pk),
        basis=basis,
        at=at,
    )


def _plan_for_write(actor: StaffMember, plan_id: uuid.UUID, at: dt.datetime) -> tuple[Plan, Basis]:
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise ValidationError(_("Suunnitelmaa ei löytynyt."))
    ctx = access_context_load(plan.client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=plan.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=plan.client_id, action=Action.UPDATE, at=at, purpose="plan"
        )
    return plan, decision.basis


def _deadline_add(plan: Plan, due: Due | None) -> None:
    if due is None:
        return
    CaseDeadline.objects.create(
        case_id=plan.case_id,
        kind=due.kind,
        months=due.months,
        due_on=due.due_on,
        legal_source=due.source,
        plan_id=plan.pk,
    )


def plan_create(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    plan_type: str,
    started_on: dt.date,
    content: Mapping[str, Any],
    language: str = "fi",
    mapping_started_on: dt.date | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Plan:
    """The first version of a plan on an open path; statutory review deadlines are dated."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="plan")
    errors: dict[str, list[str]] = {}
    if plan_type not in PlanType.values:
        errors["plan_type"] = [_("Valitse suunnitelman laji.")]
    if started_on > timezone.localdate(at):
        errors["started_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if mapping_started_on is not None and plan_type != PlanType.MULTISECTOR:
        errors["mapping_started_on"] = [_("Kartoitusjakso koskee vain TYP-suunnitelmaa.")]
    if not case.is_open:
        errors["plan_type"] = [_("Päättyneelle palvelupolulle ei voi laatia suunnitelmaa.")]
    checked = _content(content)
    _services_check(checked)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                client_id=case.client_id,
                owner_organisation_id=case.owner_organisation_id,
                category=CATEGORY,
                created_at=at,
                case=case,
                plan_type=plan_type,
                language=language,
                started_on=started_on,
                mapping_started_on=mapping_started_on,
            )
            PlanVersion.objects.create(
                plan=plan,
                number=1,
                content_json=json.dumps(checked.as_json(), ensure_ascii=False),
                note=note.strip(),
                created_by=actor,
                created_at=at,
            )
            _deadline_add(plan, plan_review_due(plan_type, plan_start=started_on, last_review=None))
            if mapping_started_on is not None:
                _deadline_add(plan, mapping_period_end(mapping_started_on))
            _log(actor, plan, basis, "plan created", at)
    except IntegrityError as exc:
        raise ValidationError(
            {"plan_type": [_("Palvelupolulla on jo tämän lajin suunnitelma. Päivitä sitä.")]}
        ) from exc
    return plan


def plan_revise(
    *,
    actor: StaffMember,
    plan_id: uuid.UUID,
    base_number: int,
    content: Mapping[str, Any],
    note: str = "",
    at: dt.datetime | None = None,
) -> PlanVersion:
    """Save a new version; ``PlanConflict`` when ``base_number`` is no longer the newest."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    plan, basis = _plan_for_write(actor, plan_id, at)
    checked = _content(content)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        if plan.current_number != base_number:
            raise PlanConflict(plan, base_number)
        current = PlanVersion.objects.get(plan=plan, number=plan.current_number)
        _services_check(checked, current.content)
        if not plan_diff(current.content, checked):
            raise ValidationError(_("Suunnitelmaan ei tehty muutoksia."))
        plan.current_number += 1
        plan.save(update_fields=["current_number"])
        version = PlanVersion.objects.create(
            plan=plan,
            number=plan.current_number,
            content_json=json.dumps(checked.as_json(), ensure_ascii=False),
            note=note.strip(),
            created_by=actor,
            created_at=at,
        )
        _log(actor, plan, basis, f"plan version {version.number}", at)
    return version


def plan_acknowledge(
    *,
    actor: StaffMember,
    plan_id: uuid.UUID,
    number: int,
    party: str,
    method: str,
    acknowledged_on: dt.date,
    organisation_name: str = "",
    person_name: str = "",
    at: dt.datetime | None = None,
) -> PlanAcknowledgement:
    """Record that a party acknowledged (or signed) one version of the plan."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    plan, basis = _plan_for_write(actor, plan_id, at)
    errors: dict[str, list[str]] = {}
    if party not in AcknowledgementParty.values:
        errors["party"] = [_("Valitse osapuoli.")]
    if party == AcknowledgementParty.ORGANISATION and not organisation_name.strip():
        errors["organisation_name"] = [_("Kirjoita organisaation nimi.")]
    if method not in AcknowledgementMethod.values:
        errors["method"] = [_("Valitse hyväksynnän tapa.")]
    if acknowledged_on > timezone.localdate(at):
        errors["acknowledged_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    version = PlanVersion.objects.filter(plan=plan, number=number).first()
    if version is None:
        errors["number"] = [_("Versiota ei löytynyt.")]
    if errors:
        raise ValidationError(errors)
    assert version is not None
    try:
        with transaction.atomic():
            acknowledgement = PlanAcknowledgement.objects.create(
                version=version,
                party=party,
                organisation_name=organisation_name.strip() if party != "client" else "",
                person_name=person_name.strip(),
                method=method,
                acknowledged_on=acknowledged_on,
                recorded_by=actor,
                recorded_at=at,
            )
            if party == AcknowledgementParty.CLIENT:
                # The multi-sector plan is drafted within the mapping period: agreed, it is done.
                CaseDeadline.objects.filter(
                    plan_id=plan.pk,
                    kind=DeadlineKind.TYP_MAPPING,
                    done_on__isnull=True,
                    cancelled_at__isnull=True,
                ).update(done_on=acknowledged_on, done_by=actor)
            _log(actor, plan, basis, f"plan version {number} acknowledged", at)
    except IntegrityError as exc:
        raise ValidationError(_("Tämä osapuoli on jo hyväksynyt tämän version.")) from exc
    return acknowledgement


def plan_review_record(
    *,
    actor: StaffMember,
    plan_id: uuid.UUID,
    reviewed_on: dt.date,
    at: dt.datetime | None = None,
) -> Plan:
    """The plan was reviewed with the client: the next statutory review is dated from today."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    plan, basis = _plan_for_write(actor, plan_id, at)
    if reviewed_on > timezone.localdate(at) or reviewed_on < plan.started_on:
        raise ValidationError(
            {
                "reviewed_on": [
                    _("Tarkistuspäivä on suunnitelman laatimisen ja tämän päivän väliltä.")
                ]
            }
        )
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        plan.last_reviewed_on = reviewed_on
        plan.save(update_fields=["last_reviewed_on"])
        CaseDeadline.objects.filter(
            plan_id=plan.pk,
            kind=DeadlineKind.PLAN_REVIEW,
            done_on__isnull=True,
            cancelled_at__isnull=True,
        ).update(done_on=reviewed_on, done_by=actor)
        _deadline_add(
            plan,
            plan_review_due(plan.plan_type, plan_start=plan.started_on, last_review=reviewed_on),
        )
        _log(actor, plan, basis, "plan reviewed", at)
    return plan
