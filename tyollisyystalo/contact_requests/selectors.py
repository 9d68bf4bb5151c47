"""Reading contact requests: every shown request is logged, denied reads too."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability, roles_with
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.contact_requests.gatekeeper import may_handle, queue_filter
from tyollisyystalo.contact_requests.models import (
    OPEN_STATUSES,
    ContactRequest,
    ContactRequestEvent,
    Status,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.models import StaffMember

QUEUE_PAGE = 50


def handler_roles() -> list[str]:
    return roles_with(Capability.CONTACT_REQUEST_HANDLE)


def municipalities_with_handlers() -> QuerySet[Municipality]:
    """Municipalities whose requests someone would receive: the only ones the form offers."""
    return Municipality.objects.filter(
        organisations__is_active=True,
        organisations__staff__is_active=True,
        organisations__staff__role__in=handler_roles(),
    ).distinct()


def served_municipalities(staff: StaffMember) -> list[Municipality]:
    return list(
        Municipality.objects.filter(organisations=staff.organisation_id).order_by("name_fi")
    )


def _read_events(items: list[ContactRequest], purpose: str) -> list[LogEvent]:
    return [
        LogEvent(
            action=Action.READ,
            outcome=Outcome.ALLOWED,
            client_id=item.client_id,
            categories=[DataCategory.IDENTITY]
            + ([DataCategory.ASSESSMENTS] if item.self_assessment else [])
            + ([DataCategory.NOTES] if item.message else []),
            basis=Basis.DUTY,
            object_type="contact_request",
            object_id=str(item.id),
            purpose=purpose,
        )
        for item in items
    ]


def deny_and_log(
    *, staff: StaffMember, request_id: uuid.UUID, action: Action, at: dt.datetime
) -> Http404:
    """Log a denied attempt and return the 404 to raise: missing and forbidden look alike."""
    access_log_append(
        actor=staff,
        events=[
            LogEvent(
                action=action,
                outcome=Outcome.DENIED,
                client_id=None,
                object_type="contact_request",
                object_id=str(request_id),
                purpose="contact request",
            )
        ],
        at=at,
    )
    return Http404(_("Yhteydenottopyyntöä ei löytynyt."))


@dataclass(frozen=True)
class Queue:
    items: list[ContactRequest]
    total: int
    counts: dict[str, int]


def contact_request_queue(
    *,
    staff: StaffMember,
    status: str = "",
    municipality_id: int | None = None,
    limit: int = QUEUE_PAGE,
    at: dt.datetime | None = None,
) -> Queue:
    """The requests of the municipalities the staff member's organisation serves, oldest first.

    ``status`` "" means the open ones (new and contacted). Shown names are logged as read.
    """
    base = ContactRequest.objects.filter(queue_filter(staff))
    if municipality_id is not None:
        base = base.filter(municipality_id=municipality_id)
    counts = {row["status"]: row["n"] for row in base.values("status").annotate(n=Count("id"))}
    wanted = base.filter(status__in=OPEN_STATUSES) if not status else base.filter(status=status)
    ordering = ["received_at"] if not status or status in OPEN_STATUSES else ["-handled_at"]
    total = sum(counts.get(s, 0) for s in (OPEN_STATUSES if not status else (status,)))
    items = list(
        wanted.select_related("municipality", "handled_by__user").order_by(*ordering)[:limit]
    )
    access_log_append(actor=staff, events=_read_events(items, "contact request queue"), at=at)
    return Queue(items=items, total=total, counts=counts)


@dataclass(frozen=True)
class RequestDetail:
    item: ContactRequest
    events: list[ContactRequestEvent]


def contact_request_get(
    *, staff: StaffMember, request_id: uuid.UUID, at: dt.datetime | None = None
) -> RequestDetail:
    at = at or timezone.now()
    item = (
        ContactRequest.objects.select_related("municipality", "handled_by__user")
        .filter(pk=request_id)
        .first()
    )
    if item is None or not may_handle(staff, item):
        raise deny_and_log(staff=staff, request_id=request_id, action=Action.READ, at=at)
    events = list(item.events.select_related("actor__user"))
    access_log_append(actor=staff, events=_read_events([item], "contact request"), at=at)
    return RequestDetail(item=item, events=events)


def new_request_count(staff: StaffMember) -> int:
    """For the navigation badge: how many new requests wait (no personal data, not logged)."""
    if not staff.can(Capability.CONTACT_REQUEST_HANDLE):
        return 0
    return ContactRequest.objects.filter(queue_filter(staff) & Q(status=Status.NEW)).count()
