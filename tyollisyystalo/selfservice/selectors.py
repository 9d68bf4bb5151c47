"""What a client sees of their own data. Always narrowed to the logged-in client's own id."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import Case, CaseDeadline
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.models import ClientEntry, ClientIdentity, RelationshipStart
from tyollisyystalo.coaching.models import CoachingPeriod
from tyollisyystalo.consents.models import Consent
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.instruments.registry import instruments_current
from tyollisyystalo.instruments.selectors import History
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.surveys.selectors import (
    OpenSurvey,
    open_surveys_of_client,
    survey_invitations_of_client,
)
from tyollisyystalo.worktrials.models import WorkTrialFeedback

ACCESS_LOG_LIMIT = 200
# Instruments a client answers themselves (the others are professionals' assessments).
CLIENT_RESPONDENTS = {"client", "either"}


@dataclass
class PlanView:
    plan: Plan
    version: PlanVersion


@dataclass
class Overview:
    identity: ClientIdentity
    cases: list[Case]
    next_reviews: list[CaseDeadline]
    plans: list[PlanView]
    referrals: list[Referral]
    consents: list[Consent]
    histories: list[History]
    access_log: list[AccessLogEntry] = field(default_factory=list)
    services: dict[str, Service] = field(default_factory=dict)
    # Relationships organisations started while the client was another's client, and why.
    relationship_starts: list[RelationshipStart] = field(default_factory=list)
    # Job coaching periods with their jobs (placements prefetched).
    coaching: list[CoachingPeriod] = field(default_factory=list)
    # Surveys waiting for the client's answer.
    surveys: list[OpenSurvey] = field(default_factory=list)


def client_instruments() -> list[Any]:
    return [i for i in instruments_current() if i.respondent in CLIENT_RESPONDENTS]


def own_overview(*, client_id: uuid.UUID, at: dt.datetime | None = None) -> Overview:
    """The client's paths, next reviews, plans, referrals, consents, answers and access log."""
    at = at or timezone.now()
    identity = ClientIdentity.objects.get(client_id=client_id)
    cases = list(
        Case.objects.filter(client_id=client_id)
        .select_related("coordinator__user", "owner_organisation")
        .order_by("-referred_on")
    )
    next_reviews = list(
        CaseDeadline.objects.filter(
            case__client_id=client_id,
            case__status__in=["referred", "intake", "active"],
            done_on__isnull=True,
            cancelled_at__isnull=True,
            kind__in=["interim_review", "final_review", "plan_review"],
        )
        .select_related("case__owner_organisation")
        .order_by("due_on")[:3]
    )
    plans = list(Plan.objects.filter(client_id=client_id).select_related("owner_organisation"))
    current = {(p.pk, p.current_number) for p in plans}
    versions = {
        (v.plan_id, v.number): v
        for v in PlanVersion.objects.filter(plan__client_id=client_id)
        if (v.plan_id, v.number) in current
    }
    service_ids = {
        a.service_id for v in versions.values() for a in v.content.actions if a.service_id
    }
    instruments = client_instruments()
    keys = [i.key for i in instruments]
    responses = list(
        InstrumentResponse.objects.filter(client_id=client_id, instrument_key__in=keys).order_by(
            "answered_on", "created_at"
        )
    )
    histories = []
    for instrument in instruments:
        mine = [r for r in responses if r.instrument_key == instrument.key]
        if mine:
            histories.append(History(instrument, mine))
    return Overview(
        identity=identity,
        cases=cases,
        next_reviews=next_reviews,
        plans=[PlanView(p, versions[(p.pk, p.current_number)]) for p in plans],
        referrals=list(
            Referral.objects.filter(client_id=client_id)
            .exclude(status="cancelled")
            .select_related("receiving_organisation", "service")
        ),
        consents=list(
            Consent.objects.filter(client_id=client_id).prefetch_related(
                "versions__disclosing_organisations",
                "versions__receiving_organisations",
                "versions__categories",
            )
        ),
        histories=histories,
        access_log=list(
            AccessLogEntry.objects.filter(client_id=client_id)
            .exclude(actor_organisation_id__isnull=True)
            .order_by("-at", "-id")[:ACCESS_LOG_LIMIT]
        ),
        services={str(s.pk): s for s in Service.objects.filter(pk__in=service_ids)},
        relationship_starts=list(
            RelationshipStart.objects.filter(client_id=client_id).select_related("organisation")
        ),
        coaching=list(
            CoachingPeriod.objects.filter(client_id=client_id)
            .select_related("coach__user", "owner_organisation")
            .prefetch_related("placements")
            .order_by("-started_on")
        ),
        surveys=open_surveys_of_client(client_id=client_id, at=at),
    )


def _own_messages(client_id: uuid.UUID) -> list[dict[str, Any]]:
    from tyollisyystalo.messaging.models import Message, Thread

    threads = Thread.objects.filter(client_id=client_id).select_related("owner_organisation")
    by_thread: dict[uuid.UUID, list[Message]] = {}
    for message in (
        Message.objects.filter(thread__client_id=client_id)
        .select_related("author__user")
        .order_by("sent_at")
    ):
        by_thread.setdefault(message.thread_id, []).append(message)
    return [
        {
            "organisation": str(t.owner_organisation),
            "subject": t.subject,
            "messages": [
                {
                    "from": "client" if m.author is None else m.author.display_name,
                    "sent_at": m.sent_at.isoformat(),
                    "text": m.body,
                }
                for m in by_thread.get(t.pk, [])
            ],
        }
        for t in threads
    ]


def _own_plan_answers(plan: Plan) -> dict[str, Any]:
    """Who acknowledged each version of the plan, how, and the parties' comments."""
    from tyollisyystalo.plans.models import PlanAcknowledgement, PlanComment

    return {
        "acknowledgements": [
            {
                "version": a.version.number,
                "party": a.party,
                "organisation": a.organisation_name,
                "person": a.person_name,
                "method": a.method,
                "given_by_party": a.given_by_party,
                "carried_from_version": a.carried_from_number,
                "on": a.acknowledged_on.isoformat(),
            }
            for a in PlanAcknowledgement.objects.filter(version__plan=plan).select_related(
                "version"
            )
        ],
        "comments": [
            {
                "version": c.version.number,
                "party": c.party,
                "organisation": str(c.organisation or ""),
                "written_at": c.created_at.isoformat(),
                "text": c.body,
            }
            for c in PlanComment.objects.filter(version__plan=plan).select_related(
                "version", "organisation"
            )
        ],
    }


def _own_documents(client_id: uuid.UUID) -> list[dict[str, Any]]:
    from tyollisyystalo.documents.models import Document

    return [
        {
            "title": d.title,
            "organisation": str(d.owner_organisation),
            "added": d.created_at.isoformat(),
            "file_name": d.filename,
        }
        for d in Document.objects.filter(client_id=client_id, shared_with_client=True)
        .select_related("owner_organisation")
        .order_by("created_at")
    ]


def _own_appointments(client_id: uuid.UUID) -> list[dict[str, Any]]:
    from tyollisyystalo.appointments.models import Appointment

    return [
        {
            "kind": a.kind,
            "starts_at": a.starts_at.isoformat(),
            "ends_at": a.ends_at.isoformat(),
            "place": a.place,
            "remote_url": a.remote_url,
            "purpose": a.purpose,
            "others": a.others,
            "status": a.status,
            "cancel_reason": a.cancel_reason,
            "organisation": str(a.owner_organisation),
            "move_requests": [
                {"preferred": r.preferred, "requested_at": r.requested_at.isoformat()}
                for r in a.move_requests.all()
            ],
        }
        for a in Appointment.objects.filter(client_id=client_id)
        .select_related("owner_organisation")
        .prefetch_related("move_requests")
        .order_by("starts_at")
    ]


def own_export(*, client_id: uuid.UUID) -> dict[str, Any]:
    """Everything the registry holds about the client, as JSON-ready data (GDPR art. 15, 20)."""
    identity = ClientIdentity.objects.select_related("municipality").get(client_id=client_id)
    overview = own_overview(client_id=client_id)

    def day(value: dt.date | dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().isoformat(),
        "messages": _own_messages(client_id),
        "documents_shared_with_you": _own_documents(client_id),
        "appointments": _own_appointments(client_id),
        "identity": {
            "first_names": identity.first_names,
            "last_name": identity.last_name,
            "henkilotunnus": identity.hetu,
            "birth_date": day(identity.birth_date),
            "phone": identity.phone,
            "email": identity.email,
            "address": identity.address,
            "municipality": str(identity.municipality or ""),
            "language": identity.language,
        },
        "service_paths": [
            {
                "organisation": str(c.owner_organisation),
                "status": c.status,
                "entry_route": c.entry_route,
                "referred_on": day(c.referred_on),
                "started_on": day(c.started_on),
                "closed_on": day(c.closed_on),
                "outcome": c.outcome,
                "coordinator": c.coordinator.display_name,
                "events": [
                    {
                        "kind": e.kind,
                        "on": day(e.effective_on),
                        "from": e.from_status,
                        "to": e.to_status,
                        "reason": e.reason,
                    }
                    for e in c.events.all()
                ],
                "deadlines": [
                    {"kind": d.kind, "due_on": day(d.due_on), "done_on": day(d.done_on)}
                    for d in c.deadlines.all()
                ],
            }
            for c in overview.cases
        ],
        "plans": [
            {
                "type": view.plan.plan_type,
                "organisation": str(view.plan.owner_organisation),
                "version": view.version.number,
                "content": view.version.content.as_json(),
                **_own_plan_answers(view.plan),
            }
            for view in overview.plans
        ],
        "referrals": [
            {
                "to": str(r.receiving_organisation),
                "service": r.service.name if r.service else None,
                "status": r.status,
                "reason": r.reason,
                "result": r.result,
                "sent_at": day(r.created_at),
            }
            for r in overview.referrals
        ],
        "relationship_starts": [
            {
                "organisation": str(r.organisation),
                "started_at": day(r.started_at),
                "basis": r.basis,
                "reason": r.reason,
            }
            for r in overview.relationship_starts
        ],
        "coaching": [
            {
                "organisation": str(p.owner_organisation),
                "coach": p.coach.display_name,
                "kind": p.kind,
                "intensity": p.intensity,
                "status": p.status,
                "started_on": day(p.started_on),
                "ended_on": day(p.ended_on),
                "ending_reason": p.ending_reason,
                "events": [
                    {"on": day(e.effective_on), "from": e.from_status, "to": e.to_status}
                    for e in p.events.all()
                ],
                "forms": [
                    {
                        "form": a.form,
                        "version": a.number,
                        "answered_on": day(a.answered_on),
                        "answers": json.loads(a.answers_json or "{}"),
                    }
                    for a in p.form_answers.all()
                ],
                "jobs": [
                    {
                        "employer": j.employer_name,
                        "job_title": j.job_title,
                        "started_on": day(j.started_on),
                        "ended_on": day(j.ended_on),
                        "hours_per_week": str(j.hours_per_week),
                    }
                    for j in p.placements.all()
                ],
                "support_contacts": [
                    {"on": day(c.contacted_on), "kind": c.kind, "note": c.note}
                    for c in p.support_contacts.all()
                ],
            }
            for p in overview.coaching
        ],
        "consents": [
            {
                "status": str(c.status),
                "purpose": c.current_version.purpose,
                "valid_from": day(c.current_version.valid_from),
                "valid_until": day(c.current_version.valid_until),
                "withdrawn_at": day(c.withdrawn_at),
            }
            for c in overview.consents
        ],
        "instrument_answers": [
            {
                "instrument": r.instrument_key,
                "version": r.instrument_version,
                "answered_on": day(r.answered_on),
                "answers": {k: str(v) for k, v in r.answers.items()},
                "result": r.result,
            }
            for r in InstrumentResponse.objects.filter(client_id=client_id)
        ],
        "entries": [
            {
                "organisation": str(e.owner_organisation),
                "category": e.category,
                "date": day(e.entry_date),
                "title": e.title,
                "text": e.body,
                "icf": e.icf_codes,
            }
            for e in ClientEntry.objects.filter(client_id=client_id).select_related(
                "owner_organisation"
            )
        ],
        "worktrial_feedback": [
            {
                "host": f.link.host_name,
                "date": day(f.created_at),
                "ratings": dict(f.ratings),
                "strengths": f.strengths,
                "adjustments": f.adjustments,
                "text": f.free_text,
            }
            for f in WorkTrialFeedback.objects.filter(client_id=client_id).select_related("link")
        ],
        # Who was asked which survey (the anonymous answers are not linked to the client).
        "survey_invitations": survey_invitations_of_client(client_id=client_id),
        "access_log": [
            {
                "at": day(e.at),
                "organisation": e.actor_organisation_name,
                "role": e.actor_role,
                "action": e.action,
                "categories": e.category_list,
                "basis": e.basis,
                "purpose": e.purpose,
            }
            for e in overview.access_log
        ],
    }
