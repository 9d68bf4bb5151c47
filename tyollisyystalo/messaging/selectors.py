"""Reading threads: a professional's inbox and thread (decided and logged), the client's own."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.access.gatekeeper import identity_decisions
from tyollisyystalo.access.log import deny_and_log, identity_read, read_of, reads_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_list_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.messaging.models import Message, MessageRead, Thread, ThreadMember
from tyollisyystalo.messaging.services import CATEGORY, PURPOSE
from tyollisyystalo.staff.models import StaffMember

INBOX_SIZE = 50


@dataclass(frozen=True)
class InboxRow:
    thread_id: uuid.UUID
    name: str  # empty when the gatekeeper does not show it
    last_message_at: dt.datetime
    unread: int
    as_deputy: bool


def staff_inbox(staff: StaffMember, *, at: dt.datetime | None = None) -> list[InboxRow]:
    """The threads the staff member is in, newest first; names decided and logged in bulk."""
    at = at or timezone.now()
    mine = ThreadMember.objects.filter(staff_member=staff)
    threads = list(
        Thread.objects.filter(Exists(mine.filter(thread=OuterRef("pk"))))
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__author__isnull=True)
                & ~Exists(
                    MessageRead.objects.filter(message=OuterRef("messages"), staff_member=staff)
                ),
            ),
        )
        .order_by("-last_message_at")[:INBOX_SIZE]
    )
    deputy_of = set(mine.filter(as_deputy=True).values_list("thread_id", flat=True))
    decisions = identity_decisions(staff, {t.client_id for t in threads}, at=at)
    visible = [cid for cid, d in decisions.items() if d.allowed]
    access_log_list_reads(
        actor=staff,
        bases={cid: (decisions[cid].basis, decisions[cid].consent_id) for cid in visible},
        categories=[DataCategory.IDENTITY],
        object_type="message_inbox",
        object_id=str(staff.pk),
        purpose=PURPOSE,
        at=at,
    )
    names = names_of(visible)
    return [
        InboxRow(
            thread_id=t.pk,
            name=names[t.client_id].full_name if t.client_id in names else "",
            last_message_at=t.last_message_at,
            unread=t.unread,
            as_deputy=t.pk in deputy_of,
        )
        for t in threads
    ]


@dataclass(frozen=True)
class ThreadView:
    thread: Thread
    messages: list[Message]
    members: list[ThreadMember]
    identity: ClientIdentity | None


def staff_thread(
    staff: StaffMember, thread_id: uuid.UUID, *, at: dt.datetime | None = None
) -> ThreadView:
    """A thread the staff member is in and the gatekeeper lets them read; the read logged.
    Anything else is a 404, logged as denied."""
    at = at or timezone.now()
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        raise Http404(_("Viestiketjua ei löytynyt."))
    if not ThreadMember.objects.filter(thread=thread, staff_member=staff).exists():
        raise deny_and_log(
            staff=staff, client_id=thread.client_id, action=Action.READ, at=at, purpose=PURPOSE
        )
    access = client_access_decide(staff=staff, client_id=thread.client_id, purpose=PURPOSE, at=at)
    if not access.may_read(thread.owner_organisation_id, CATEGORY):
        raise deny_and_log(
            staff=staff, client_id=thread.client_id, action=Action.READ, at=at, purpose=PURPOSE
        )
    reads = [
        read_of(
            access,
            owner=thread.owner_organisation_id,
            category=CATEGORY,
            object_type="message_thread",
            object_id=str(thread.pk),
        )
    ]
    identity = None
    if access.identity.allowed:
        identity = ClientIdentity.objects.filter(client_id=thread.client_id).first()
        reads.append(identity_read(access, object_type="message_thread"))
    reads_log(access, reads)
    return ThreadView(thread, _messages(thread), _members(thread), identity)


def _messages(thread: Thread) -> list[Message]:
    return list(
        Message.objects.filter(thread=thread)
        .select_related("author__user", "attachment")
        .prefetch_related("reads__staff_member__user")
        .order_by("sent_at", "id")
    )


def _members(thread: Thread) -> list[ThreadMember]:
    return list(
        ThreadMember.objects.filter(thread=thread)
        .select_related("staff_member__user", "staff_member__organisation")
        .order_by("added_at", "id")
    )


@dataclass(frozen=True)
class OwnThreadRow:
    thread: Thread
    unread: int
    with_whom: str


def own_threads(client_id: uuid.UUID) -> list[OwnThreadRow]:
    """The client's own threads, newest first, with how many professionals' messages are new."""
    threads = list(
        Thread.objects.filter(client_id=client_id)
        .select_related("owner_organisation")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__author__isnull=False, messages__read_by_client_at__isnull=True),
            )
        )
        .order_by("-last_message_at")
    )
    members: dict[uuid.UUID, list[str]] = {}
    for m in ThreadMember.objects.filter(thread__in=threads).select_related("staff_member__user"):
        members.setdefault(m.thread_id, []).append(m.staff_member.display_name)
    return [OwnThreadRow(t, t.unread, ", ".join(members.get(t.pk, []))) for t in threads]


def own_thread(client_id: uuid.UUID, thread_id: uuid.UUID) -> ThreadView:
    thread = (
        Thread.objects.filter(pk=thread_id, client_id=client_id)
        .select_related("owner_organisation")
        .first()
    )
    if thread is None:
        raise Http404(_("Viestiketjua ei löytynyt."))
    return ThreadView(thread, _messages(thread), _members(thread), None)
