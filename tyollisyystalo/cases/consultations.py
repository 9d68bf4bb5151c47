"""Team consultations: a meeting with clients' paths on the agenda, attendance, decisions and
follow-up tasks with a named person and a due date (DOMAIN.md §4 step 4, seed 002 step 04)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import access_contexts_load, decide_read
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Basis
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.cases.models import Consultation, ConsultationItem, FollowUpTask
from tyollisyystalo.cases.services import CATEGORY, case_for_write, path_log
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability


def consultation_create(
    *, actor: StaffMember, held_on: dt.date, title: str, at: dt.datetime | None = None
) -> Consultation:
    """A consultation of the actor's organisation, with the actor in the chair."""
    require_capability(actor, Capability.CASE_MANAGE)
    at = at or timezone.now()
    if not title.strip():
        raise ValidationError({"title": [_("Anna konsultaatiolle aihe.")]})
    consultation = Consultation.objects.create(
        organisation_id=actor.organisation_id,
        held_on=held_on,
        title=title.strip(),
        facilitator=actor,
        created_at=at,
    )
    consultation.attendees.add(actor)
    return consultation


def _own(actor: StaffMember, consultation_id: int) -> Consultation:
    consultation = Consultation.objects.filter(
        pk=consultation_id, organisation_id=actor.organisation_id
    ).first()
    if consultation is None:
        raise Http404(_("Konsultaatiota ei löytynyt."))
    return consultation


def consultation_item_add(
    *,
    actor: StaffMember,
    consultation_id: int,
    case_id: uuid.UUID,
    question: str = "",
    at: dt.datetime | None = None,
) -> ConsultationItem:
    """Bring a path of the organisation to the consultation's agenda."""
    require_capability(actor, Capability.CASE_MANAGE)
    at = at or timezone.now()
    consultation = _own(actor, consultation_id)
    case, basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="consultation")
    if case.owner_organisation_id != consultation.organisation_id or not case.is_open:
        raise ValidationError(_("Konsultaatioon voi tuoda oman organisaation avoimen polun."))
    try:
        with transaction.atomic():
            item = ConsultationItem.objects.create(
                consultation=consultation, case=case, question=question.strip()
            )
            path_log(actor, case, "consultation item added", at, basis)
    except IntegrityError as exc:
        raise ValidationError(_("Polku on jo tämän konsultaation asialistalla.")) from exc
    return item


def consultation_attendance_set(
    *, actor: StaffMember, consultation_id: int, attendees: Iterable[StaffMember]
) -> Consultation:
    """Record who took part (any organisation's professionals)."""
    require_capability(actor, Capability.CASE_MANAGE)
    consultation = _own(actor, consultation_id)
    people = [p for p in attendees if p.is_active]
    consultation.attendees.set(people)
    return consultation


def _item_for_write(
    actor: StaffMember, item_id: int, at: dt.datetime
) -> tuple[ConsultationItem, Basis]:
    item = ConsultationItem.objects.select_related("case").filter(pk=item_id).first()
    if item is None:
        raise ValidationError(_("Asialistan kohtaa ei löytynyt."))
    _case, basis = case_for_write(actor=actor, case_id=item.case_id, at=at, purpose="consultation")
    return item, basis


def consultation_decision_record(
    *, actor: StaffMember, item_id: int, decisions: str, at: dt.datetime | None = None
) -> ConsultationItem:
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    item, basis = _item_for_write(actor, item_id, at)
    if not decisions.strip():
        raise ValidationError({"decisions": [_("Kirjaa, mitä sovittiin.")]})
    with transaction.atomic():
        item.decisions = decisions.strip()
        item.save(update_fields=["decisions"])
        path_log(actor, item.case, "consultation decisions", at, basis)
    return item


def followup_task_add(
    *,
    actor: StaffMember,
    item_id: int,
    description: str,
    responsible: StaffMember,
    due_on: dt.date,
    at: dt.datetime | None = None,
) -> FollowUpTask:
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    item, basis = _item_for_write(actor, item_id, at)
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = [_("Kirjoita, mitä tehdään.")]
    if not responsible.is_active:
        errors["responsible"] = [_("Työntekijä ei ole enää palveluksessa.")]
    if due_on < timezone.localdate(at):
        errors["due_on"] = [_("Määräpäivä ei voi olla menneisyydessä.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = FollowUpTask.objects.create(
            item=item, description=description.strip(), responsible=responsible, due_on=due_on
        )
        path_log(actor, item.case, "follow-up task added", at, basis)
    return task


def followup_task_done(
    *, actor: StaffMember, task_id: int, at: dt.datetime | None = None
) -> FollowUpTask:
    """The responsible person marks their task done."""
    at = at or timezone.now()
    with transaction.atomic():
        task = (
            FollowUpTask.objects.select_for_update()
            .filter(pk=task_id, responsible=actor, done_at__isnull=True)
            .first()
        )
        if task is None:
            raise ValidationError(_("Tehtävää ei löytynyt tai se on jo tehty."))
        task.done_at = at
        task.save(update_fields=["done_at"])
    return task


@dataclass
class ItemView:
    item: ConsultationItem
    identity: ClientIdentity | None
    visible: bool


@dataclass
class ConsultationPage:
    consultation: Consultation
    items: list[ItemView]
    hidden: int = 0
    candidates: list[StaffMember] = field(default_factory=list)


def consultation_get(
    *, staff: StaffMember, consultation_id: int, at: dt.datetime | None = None
) -> ConsultationPage:
    """The consultation of the staff member's organisation; each agenda item only where the
    gatekeeper lets them read the path, logged per client."""
    at = at or timezone.now()
    consultation = _own(staff, consultation_id)
    items = list(
        consultation.items.select_related("case").prefetch_related("tasks__responsible__user")
    )
    contexts = access_contexts_load({i.case.client_id for i in items}, at=at)
    views: list[ItemView] = []
    bases = {}
    for item in items:
        ctx = contexts[item.case.client_id]
        decision = decide_read(
            staff, ctx, owner_organisation_id=item.case.owner_organisation_id, category=CATEGORY
        )
        if decision.allowed:
            bases[item.case.client_id] = (decision.basis, decision.consent_id)
        views.append(ItemView(item, None, decision.allowed))
    identities = names_of(bases)
    for view in views:
        view.identity = identities.get(view.item.case.client_id) if view.visible else None
    access_log_list_reads(
        actor=staff,
        bases=bases,
        categories=[DataCategory.IDENTITY, CATEGORY],
        object_type="consultation",
        object_id=str(consultation.pk),
        purpose="team consultation",
        at=at,
    )
    shown = [v for v in views if v.visible]
    return ConsultationPage(
        consultation=consultation,
        items=shown,
        hidden=len(views) - len(shown),
        candidates=list(
            StaffMember.objects.filter(
                Q(
                    team_memberships__client_id__in=[v.item.case.client_id for v in shown],
                    team_memberships__ended_at__isnull=True,
                )
                | Q(pk__in=consultation.attendees.values("pk")),
                is_active=True,
            )
            .distinct()
            .select_related("user", "organisation")
            .order_by("organisation__name_fi", "user__last_name")
        ),
    )


def consultations_upcoming(
    staff: StaffMember, *, today: dt.date | None = None
) -> list[Consultation]:
    """The organisation's consultations from today on (no client data), for the path page."""
    today = today or timezone.localdate()
    return list(
        Consultation.objects.filter(
            organisation_id=staff.organisation_id, held_on__gte=today
        ).order_by("held_on")[:10]
    )


def consultations_list(staff: StaffMember) -> list[Consultation]:
    return list(
        Consultation.objects.filter(organisation_id=staff.organisation_id).select_related(
            "facilitator__user"
        )[:100]
    )


@dataclass(frozen=True)
class TaskView:
    task: FollowUpTask
    visible: bool  # the description and the path only where the gatekeeper allows


def tasks_open(*, staff: StaffMember, at: dt.datetime | None = None) -> list[TaskView]:
    """The staff member's open follow-up tasks for the worklist, in a fixed number of queries.

    A task's text is client data of the path: shown only where the gatekeeper lets the
    responsible person read the path (a person of another organisation needs consent).
    """
    at = at or timezone.now()
    tasks = list(
        FollowUpTask.objects.filter(responsible=staff, done_at__isnull=True)
        .select_related("item__case", "item__consultation")
        .order_by("due_on", "id")[:50]
    )
    contexts = access_contexts_load({t.item.case.client_id for t in tasks}, at=at)
    views = []
    for task in tasks:
        case = task.item.case
        decision = decide_read(
            staff,
            contexts[case.client_id],
            owner_organisation_id=case.owner_organisation_id,
            category=CATEGORY,
        )
        views.append(TaskView(task, decision.allowed))
    return views
