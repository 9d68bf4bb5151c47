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

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_context_load, decide_read, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append, access_log_event
from tyollisyystalo.cases.models import CaseDeadline, DeadlineKind
from tyollisyystalo.cases.schedules import Due, mapping_period_end, plan_review_due
from tyollisyystalo.cases.services import case_for_write
from tyollisyystalo.catalogue.selectors import services_published
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.plans.content import Content, ContentErrors, content_from_json, plan_diff
from tyollisyystalo.plans.models import (
    AcknowledgementMethod,
    AcknowledgementParty,
    Plan,
    PlanAcknowledgement,
    PlanComment,
    PlanParty,
    PlanType,
    PlanVersion,
)
from tyollisyystalo.plans.parties import CLIENT, parties_asked_again, plan_parties
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

CATEGORY = DataCategory.PLAN
COMMENT_MAX = 2000


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


def _organisations_check(content: Content) -> None:
    """An action's organisation is one that exists (the editor offers the client's team's)."""
    named = {int(a.organisation_id) for a in content.actions if a.organisation_id}
    known = set(Organisation.objects.filter(pk__in=named).values_list("pk", flat=True))
    errors = {
        f"actions.{n}.organisation_id": [_("Valitse organisaatio luettelosta.")]
        for n, action in enumerate(content.actions)
        if action.organisation_id and int(action.organisation_id) not in known
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
    _organisations_check(checked)
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
            version = PlanVersion.objects.create(
                plan=plan,
                number=1,
                content_json=json.dumps(checked.as_json(), ensure_ascii=False),
                note=note.strip(),
                created_by=actor,
                created_at=at,
            )
            _deadline_add(plan, plan_review_due(plan_type, plan_start=started_on, last_review=None))
            _parties_ask(plan, version, None, at)
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
        _organisations_check(checked)
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
        _parties_ask(plan, version, current, at)
        _log(actor, plan, basis, f"plan version {version.number}", at)
    return version


def own_plan_url(plan_id: uuid.UUID) -> str:
    return reverse("acknowledgements:own_plan", kwargs={"plan_id": plan_id})


def _party_users(plan: Plan, organisation_ids: set[int], client: bool) -> list[Any]:
    """The users a version asks: the client's own login (if any), and each asked
    organisation's staff in the client's team."""
    users: list[Any] = []
    if client:
        account = ClientAccount.objects.select_related("user").filter(client_id=plan.client_id)
        users += [a.user for a in account]
    if organisation_ids:
        now = timezone.now()
        users += [
            m.staff_member.user
            for m in TeamMembership.objects.filter(
                client_id=plan.client_id,
                staff_member__organisation_id__in=organisation_ids,
                started_at__lte=now,
            )
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
            .select_related("staff_member__user")
        ]
    return users


def _parties_ask(
    plan: Plan, version: PlanVersion, previous: PlanVersion | None, at: dt.datetime
) -> None:
    """Record the version's parties; carry forward the acknowledgements of the parties whose
    part did not change, and tell the others that the version waits for them."""
    owner = plan.owner_organisation_id
    parties = plan_parties(version.content, owner)
    asked = parties_asked_again(previous.content if previous else None, version.content, owner)
    known = set(
        Organisation.objects.filter(pk__in=[int(p) for p in parties if p != CLIENT]).values_list(
            "pk", flat=True
        )
    )
    PlanParty.objects.bulk_create(
        PlanParty(
            version=version,
            organisation_id=None if p == CLIENT else int(p),
            asked=p in asked,
        )
        for p in sorted(parties)
        if p == CLIENT or int(p) in known
    )
    if previous is not None:
        for ack in PlanAcknowledgement.objects.filter(version=previous):
            key = CLIENT if ack.party == AcknowledgementParty.CLIENT else str(ack.organisation_id)
            if key in parties and key not in asked:
                PlanAcknowledgement.objects.create(
                    version=version,
                    party=ack.party,
                    organisation_id=ack.organisation_id,
                    organisation_name=ack.organisation_name,
                    person_name=ack.person_name,
                    method=ack.method,
                    acknowledged_on=ack.acknowledged_on,
                    given_by_party=ack.given_by_party,
                    carried_from_number=ack.carried_from_number or previous.number,
                    recorded_by=ack.recorded_by,
                    recorded_at=at,
                )
    asked_organisations = {int(p) for p in asked if p != CLIENT} & known
    notification_send(
        recipients=_party_users(plan, set(), CLIENT in asked),
        kind=NotificationKind.ACKNOWLEDGEMENT_REQUESTED,
        url=own_plan_url(plan.pk),
        at=at,
    )
    notification_send(
        recipients=_party_users(plan, asked_organisations, False),
        kind=NotificationKind.ACKNOWLEDGEMENT_REQUESTED,
        url=plan.get_absolute_url(),
        at=at,
    )


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
    organisation_id: int | None = None,
    at: dt.datetime | None = None,
) -> PlanAcknowledgement:
    """The coordinator records that a party acknowledged (or signed) one version on paper or
    in a meeting; marked as recorded, not given in the service. ``organisation_id`` names an
    organisation that is a party of the version (its name is then taken from the register)."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    plan, basis = _plan_for_write(actor, plan_id, at)
    errors: dict[str, list[str]] = {}
    if party not in AcknowledgementParty.values:
        errors["party"] = [_("Valitse osapuoli.")]
    version = PlanVersion.objects.filter(plan=plan, number=number).first()
    organisation = None
    if party == AcknowledgementParty.ORGANISATION and organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None or (
            version is not None
            and str(organisation.pk)
            not in plan_parties(version.content, plan.owner_organisation_id)
        ):
            errors["party"] = [_("Valitse osapuoli tämän version osapuolista.")]
        else:
            organisation_name = str(organisation)
    if party == AcknowledgementParty.ORGANISATION and not organisation_name.strip():
        errors["organisation_name"] = [_("Kirjoita organisaation nimi.")]
    if method not in AcknowledgementMethod.values:
        errors["method"] = [_("Valitse hyväksynnän tapa.")]
    if acknowledged_on > timezone.localdate(at):
        errors["acknowledged_on"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
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
                organisation=organisation,
                organisation_name=organisation_name.strip() if party != "client" else "",
                person_name=person_name.strip(),
                method=method,
                acknowledged_on=acknowledged_on,
                recorded_by=actor,
                recorded_at=at,
            )
            if party == AcknowledgementParty.CLIENT:
                _mapping_done(plan, acknowledged_on, actor)
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


class Response:
    """What a party answers to a version: it acknowledges it, or wants changes (a comment)."""

    ACKNOWLEDGE = "acknowledge"
    CHANGES = "changes"


def _comment_clean(comment: str, required: bool) -> str:
    text = comment.strip()
    if required and not text:
        raise ValidationError({"comment": [_("Kirjoita, mitä haluat muuttaa.")]})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "comment": [
                    _("Kommentti on liian pitkä (enintään %(n)s merkkiä).") % {"n": COMMENT_MAX}
                ]
            }
        )
    return text


def _current_version(plan: Plan, number: int) -> PlanVersion:
    if number != plan.current_number:
        raise ValidationError(_("Suunnitelmasta on jo uudempi versio. Lue se ja vastaa siihen."))
    return PlanVersion.objects.get(plan=plan, number=number)


def _coordinator_tell(plan: Plan, at: dt.datetime) -> None:
    coordinator = plan.case.coordinator
    notification_send(
        recipients=[coordinator.user] if coordinator else [],
        kind=NotificationKind.ACKNOWLEDGEMENT,
        url=plan.get_absolute_url(),
        at=at,
    )


def _mapping_done(plan: Plan, on: dt.date, by: StaffMember | None) -> None:
    """The multi-sector plan is drafted within the mapping period: agreed, it is done."""
    CaseDeadline.objects.filter(
        plan_id=plan.pk,
        kind=DeadlineKind.TYP_MAPPING,
        done_on__isnull=True,
        cancelled_at__isnull=True,
    ).update(done_on=on, done_by=by or plan.case.coordinator)


def plan_respond_by_client(
    *,
    user: AbstractBaseUser,
    client_id: uuid.UUID,
    plan_id: uuid.UUID,
    number: int,
    response: str,
    comment: str = "",
    at: dt.datetime | None = None,
) -> PlanAcknowledgement | PlanComment:
    """The client acknowledges their own plan's current version, or asks for changes, on their
    own pages. ``Plan.DoesNotExist`` for a plan that is not theirs."""
    at = at or timezone.now()
    text = _comment_clean(comment, required=response == Response.CHANGES)
    if response not in (Response.ACKNOWLEDGE, Response.CHANGES):
        raise ValidationError(_("Valitse, hyväksytkö suunnitelman vai haluatko muutoksia."))
    with transaction.atomic():
        plan = (
            Plan.objects.select_for_update()
            .select_related("case__coordinator__user")
            .get(pk=plan_id, client_id=client_id)
        )
        version = _current_version(plan, number)
        record: PlanAcknowledgement | PlanComment
        if response == Response.ACKNOWLEDGE:
            if PlanAcknowledgement.objects.filter(
                version=version, party=AcknowledgementParty.CLIENT
            ).exists():
                raise ValidationError(_("Olet jo hyväksynyt tämän suunnitelman version."))
            record = PlanAcknowledgement.objects.create(
                version=version,
                party=AcknowledgementParty.CLIENT,
                method=AcknowledgementMethod.ELECTRONIC,
                acknowledged_on=timezone.localdate(at),
                given_by_party=True,
                recorded_at=at,
            )
            _mapping_done(plan, timezone.localdate(at), None)
        if text:
            record = PlanComment.objects.create(
                version=version,
                party=AcknowledgementParty.CLIENT,
                author_user_id=user.pk,
                body=text,
                created_at=at,
            )
        access_log_append(
            actor=user,
            events=[
                LogEvent(
                    action=Action.UPDATE,
                    outcome=Outcome.ALLOWED,
                    client_id=plan.client_id,
                    categories=[CATEGORY],
                    object_type="plan",
                    object_id=f"{plan.pk}/{number}",
                    purpose=f"plan {response} by client",
                )
            ],
            at=at,
        )
        _coordinator_tell(plan, at)
    return record


def plan_respond_for_organisation(
    *,
    actor: StaffMember,
    plan_id: uuid.UUID,
    number: int,
    response: str,
    comment: str = "",
    at: dt.datetime | None = None,
) -> PlanAcknowledgement | PlanComment:
    """A professional acknowledges the current version for their organisation (a party of it),
    or asks for changes. The plan must be one the gatekeeper lets them read: otherwise a logged
    404, nothing written."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    plan = Plan.objects.select_related("case__coordinator__user").filter(pk=plan_id).first()
    if plan is None:
        raise ValidationError(_("Suunnitelmaa ei löytynyt."))
    ctx = access_context_load(plan.client_id, at=at)
    decision = decide_read(
        actor, ctx, owner_organisation_id=plan.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=plan.client_id, action=Action.UPDATE, at=at, purpose="plan"
        )
    text = _comment_clean(comment, required=response == Response.CHANGES)
    if response not in (Response.ACKNOWLEDGE, Response.CHANGES):
        raise ValidationError(_("Valitse, kuittaatko suunnitelman vai pyydätkö muutoksia."))
    with transaction.atomic():
        plan = (
            Plan.objects.select_for_update()
            .select_related("case__coordinator__user")
            .get(pk=plan_id)
        )
        version = _current_version(plan, number)
        organisation = actor.organisation
        if str(organisation.pk) not in plan_parties(version.content, plan.owner_organisation_id):
            raise ValidationError(_("Organisaatiosi ei ole tämän suunnitelman osapuoli."))
        record: PlanAcknowledgement | PlanComment
        if response == Response.ACKNOWLEDGE:
            if PlanAcknowledgement.objects.filter(
                Q(organisation=organisation)
                | Q(party=AcknowledgementParty.ORGANISATION, organisation_name=str(organisation)),
                version=version,
            ).exists():
                raise ValidationError(_("Organisaatiosi on jo kuitannut tämän version."))
            record = PlanAcknowledgement.objects.create(
                version=version,
                party=AcknowledgementParty.ORGANISATION,
                organisation=organisation,
                organisation_name=str(organisation),
                person_name=actor.display_name,
                method=AcknowledgementMethod.ELECTRONIC,
                acknowledged_on=timezone.localdate(at),
                given_by_party=True,
                recorded_by=actor,
                recorded_at=at,
            )
        if text:
            record = PlanComment.objects.create(
                version=version,
                party=AcknowledgementParty.ORGANISATION,
                organisation=organisation,
                author=actor,
                author_user=actor.user,
                body=text,
                created_at=at,
            )
        access_log_event(
            actor=actor,
            client_id=plan.client_id,
            action=Action.UPDATE,
            purpose=f"plan {response} for organisation",
            categories=[CATEGORY],
            object_type="plan",
            object_id=f"{plan.pk}/{number}",
            basis=decision.basis,
            consent_id=decision.consent_id,
            at=at,
        )
        _coordinator_tell(plan, at)
    return record
