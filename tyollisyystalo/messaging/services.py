"""Starting threads, writing messages and reading them, by a professional or by the client.

Every staff action is decided by the gatekeeper (category *notes* of the thread's organisation)
and written to the access log; a refusal is a 404 logged as denied. The client acts on their own
threads only. Notices by e-mail and in the app say that a message came, never what it says.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tyollisyystalo.access.gatekeeper import access_context_load, decide_read, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import OPEN, Case
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity, TeamMembership
from tyollisyystalo.documents.models import Document
from tyollisyystalo.documents.services import document_store, file_read
from tyollisyystalo.messaging.models import (
    BODY_MAX,
    SUBJECT_MAX,
    Message,
    MessageRead,
    Thread,
    ThreadMember,
)
from tyollisyystalo.messaging.rules import Member, deputy_to_add
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.shared.text import no_nul
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.NOTES
PURPOSE = "messages"


def _text(value: str, limit: int, field: str, empty: str) -> str:
    try:
        no_nul(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    value = value.strip()
    if not value:
        raise ValidationError({field: [empty]})
    if len(value) > limit:
        raise ValidationError(
            {field: [_("Enintään %(n)s merkkiä (nyt %(m)s).") % {"n": limit, "m": len(value)}]}
        )
    return value


def _subject(value: str) -> str:
    return _text(value, SUBJECT_MAX, "subject", _("Kirjoita viestille aihe."))


def _body(value: str) -> str:
    return _text(value, BODY_MAX, "body", _("Kirjoita viesti."))


# Who the client may write to -----------------------------------------------------------------


def client_recipients(client_id: uuid.UUID, *, at: dt.datetime | None = None) -> list[StaffMember]:
    """The professionals working with the client now: the coordinators and deputies of their
    open paths and the members of their team."""
    at = at or timezone.now()
    paths = Case.objects.filter(client_id=client_id, status__in=OPEN)
    ids = {pk for pair in paths.values_list("coordinator_id", "deputy_id") for pk in pair if pk}
    ids |= set(
        TeamMembership.objects.filter(
            client_id=client_id, started_at__isnull=False, started_at__lte=at, ended_at__isnull=True
        ).values_list("staff_member_id", flat=True)
    )
    return list(
        StaffMember.objects.filter(pk__in=ids, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")
    )


# Notices ---------------------------------------------------------------------------------------


def _client_account(client_id: uuid.UUID) -> ClientAccount | None:
    return ClientAccount.objects.select_related("user").filter(client_id=client_id).first()


def _tell_client(thread: Thread, at: dt.datetime) -> None:
    account = _client_account(thread.client_id)
    if account is not None:
        notification_send(
            recipients=[account.user],
            kind=NotificationKind.MESSAGE,
            url=reverse("messaging:own_thread", kwargs={"thread_id": thread.pk}),
            at=at,
        )
    identity = ClientIdentity.objects.filter(client_id=thread.client_id).first()
    if identity is not None and identity.email:
        _mail([identity.email], reverse("messaging:own_index"))


def _tell_staff(thread: Thread, people: list[StaffMember], at: dt.datetime) -> None:
    url = reverse("messaging:thread", kwargs={"thread_id": thread.pk})
    notification_send(
        recipients=[p.user for p in people], kind=NotificationKind.MESSAGE, url=url, at=at
    )
    _mail([p.user.email for p in people if p.user.email], url)


def _mail(addresses: list[str], path: str) -> None:
    """A notice with no content: that a message came, and where to log in to read it."""
    if not addresses:
        return
    with override("fi"):
        messages = [
            EmailMessage(
                subject=_("Sinulle on uusi viesti Työllisyystalossa"),
                body="\n".join(
                    [
                        _("Sinulle on tullut uusi viesti. Kirjaudu sisään lukeaksesi sen:"),
                        settings.SITE_URL + path,
                        "",
                        _("Viestin sisältöä ei lähetetä sähköpostilla."),
                    ]
                ),
                to=[address],
            )
            for address in addresses
        ]
    get_connection().send_messages(messages)


# Staff -------------------------------------------------------------------------------------------


def _staff_decision(
    actor: StaffMember, client_id: uuid.UUID, owner: int, at: dt.datetime, *, write: bool
) -> None:
    """Raise the logged 404 unless the gatekeeper lets the actor read (and write) the notes."""
    ctx = access_context_load(client_id, at=at)
    decide = decide_write if write else decide_read
    if not decide(actor, ctx, owner_organisation_id=owner, category=CATEGORY).allowed:
        raise deny_and_log(
            staff=actor,
            client_id=client_id,
            action=Action.CREATE if write else Action.READ,
            at=at,
            purpose=PURPOSE,
        )


def staff_may_write(actor: StaffMember, client_id: uuid.UUID) -> None:
    """The logged 404 unless the actor may write notes of their organisation about the client."""
    _staff_decision(actor, client_id, actor.organisation_id, timezone.now(), write=True)


def staff_thread_member(actor: StaffMember, thread: Thread) -> bool:
    return ThreadMember.objects.filter(thread=thread, staff_member=actor).exists()


def _attachment(
    thread: Thread, upload: UploadedFile | None, author: StaffMember | None, at: dt.datetime
) -> Document | None:
    """A message's file kept as a document in the thread's notes (the same size, kind and
    malware checks as every upload); opened only through the thread."""
    if upload is None:
        return None
    return document_store(
        client_id=thread.client_id,
        owner_organisation_id=thread.owner_organisation_id,
        category=CATEGORY,
        data=file_read(upload),
        filename=upload.name or "",
        title=upload.name or "",
        uploaded_by=author,
        shared_with_client=True,
        attachment=True,
        at=at,
    )


def _thread_create(
    client_id: uuid.UUID,
    professional: StaffMember,
    subject: str,
    body: str,
    *,
    by_client: bool,
    upload: UploadedFile | None,
    at: dt.datetime,
) -> tuple[Thread, Message]:
    """A thread of the professional's organisation (on the client's open path there, if any)
    with the professional in it and its first message."""
    case = (
        Case.objects.filter(
            client_id=client_id, owner_organisation=professional.organisation_id, status__in=OPEN
        )
        .order_by("-referred_on")
        .select_related("deputy__user")
        .first()
    )
    thread = Thread.objects.create(
        client_id=client_id,
        owner_organisation_id=professional.organisation_id,
        category=CATEGORY,
        case=case,
        subject=subject,
        started_by_client=by_client,
        created_at=at,
        last_message_at=at,
    )
    ThreadMember.objects.create(thread=thread, staff_member=professional, added_at=at)
    author = None if by_client else professional
    message = Message.objects.create(
        thread=thread,
        author=author,
        body=body,
        attachment=_attachment(thread, upload, author, at),
        sent_at=at,
    )
    return thread, message


def thread_start_by_staff(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    subject: str,
    body: str,
    upload: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> Thread:
    """A professional writes to the client: a new thread of the actor's organisation."""
    at = at or timezone.now()
    _staff_decision(actor, client_id, actor.organisation_id, at, write=True)
    subject, body = _subject(subject), _body(body)
    with transaction.atomic():
        thread, message = _thread_create(
            client_id, actor, subject, body, by_client=False, upload=upload, at=at
        )
        _log_write(actor, thread, message, at, "message thread started")
        _tell_client(thread, at)
    return thread


def message_reply_by_staff(
    *,
    actor: StaffMember,
    thread_id: uuid.UUID,
    body: str,
    upload: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> Message:
    at = at or timezone.now()
    thread = _thread_for_staff(actor, thread_id, at, write=True)
    body = _body(body)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread,
            author=actor,
            body=body,
            attachment=_attachment(thread, upload, actor, at),
            sent_at=at,
        )
        Thread.objects.filter(pk=thread.pk).update(last_message_at=at)
        _log_write(actor, thread, message, at, "message sent")
        _tell_client(thread, at)
        others = [
            m.staff_member
            for m in ThreadMember.objects.filter(thread=thread, staff_member__is_active=True)
            .exclude(staff_member=actor)
            .select_related("staff_member__user")
        ]
        if others:
            _tell_staff(thread, others, at)
    return message


def _thread_for_staff(
    actor: StaffMember, thread_id: uuid.UUID, at: dt.datetime, *, write: bool
) -> Thread:
    """The thread when the actor is in it and the gatekeeper allows; else the logged 404."""
    thread = Thread.objects.filter(pk=thread_id).select_related("case__deputy__user").first()
    if thread is None:
        raise _missing()
    if not staff_thread_member(actor, thread):
        raise deny_and_log(
            staff=actor,
            client_id=thread.client_id,
            action=Action.CREATE if write else Action.READ,
            at=at,
            purpose=PURPOSE,
        )
    _staff_decision(actor, thread.client_id, thread.owner_organisation_id, at, write=write)
    return thread


def _missing() -> Http404:
    return Http404(_("Viestiketjua ei löytynyt."))


def _log_write(
    actor: StaffMember, thread: Thread, message: Message, at: dt.datetime, purpose: str
) -> None:
    access_log_event(
        actor=actor,
        client_id=thread.client_id,
        action=Action.CREATE,
        purpose=purpose,
        categories=[CATEGORY],
        object_type="message",
        object_id=str(message.pk),
        at=at,
    )


def messages_read_by_staff(*, actor: StaffMember, thread: Thread, at: dt.datetime) -> None:
    """Receipts for the client's messages the actor opens for the first time."""
    seen = set(
        MessageRead.objects.filter(message__thread=thread, staff_member=actor).values_list(
            "message_id", flat=True
        )
    )
    MessageRead.objects.bulk_create(
        MessageRead(message_id=pk, staff_member=actor, read_at=at)
        for pk in Message.objects.filter(thread=thread, author__isnull=True)
        .exclude(pk__in=seen)
        .values_list("pk", flat=True)
    )


def staff_away_set(*, actor: StaffMember, until: dt.date | None) -> None:
    if until is not None and until < timezone.localdate():
        raise ValidationError({"away_until": [_("Päivä ei voi olla menneisyydessä.")]})
    StaffMember.objects.filter(pk=actor.pk).update(away_until=until)


# The client ----------------------------------------------------------------------------------


def _route(thread: Thread, at: dt.datetime) -> list[StaffMember]:
    """Everyone to hear of the client's message; the path's deputy joins when someone is away."""
    members = list(
        ThreadMember.objects.filter(thread=thread).select_related(
            "staff_member__user", "staff_member__organisation"
        )
    )
    people = [m.staff_member for m in members]
    deputy = thread.case.deputy if thread.case_id and thread.case else None
    add = deputy_to_add(
        (Member(p.pk, p.organisation_id, p.away_until) for p in people),
        deputy_id=deputy.pk if deputy else None,
        deputy_organisation_id=deputy.organisation_id if deputy else None,
        thread_organisation_id=thread.owner_organisation_id,
        today=timezone.localdate(at),
    )
    if add is not None and deputy is not None and deputy.is_active:
        ThreadMember.objects.create(thread=thread, staff_member=deputy, as_deputy=True, added_at=at)
        people.append(deputy)
    return [p for p in people if p.is_active]


def thread_start_by_client(
    *,
    client_id: uuid.UUID,
    recipient_id: int,
    subject: str,
    body: str,
    upload: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> Thread:
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    recipient = next((p for p in client_recipients(client_id, at=at) if p.pk == recipient_id), None)
    if recipient is None:
        errors["recipient"] = [_("Valitse vastaanottaja listalta.")]
    try:
        subject = _subject(subject)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        body = _body(body)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or recipient is None:
        raise ValidationError(errors)
    with transaction.atomic():
        thread, _message = _thread_create(
            client_id, recipient, subject, body, by_client=True, upload=upload, at=at
        )
        _tell_staff(thread, _route(thread, at), at)
    return thread


def message_reply_by_client(
    *,
    client_id: uuid.UUID,
    thread_id: uuid.UUID,
    body: str,
    upload: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> Message:
    at = at or timezone.now()
    thread = (
        Thread.objects.filter(pk=thread_id, client_id=client_id)
        .select_related("case__deputy__user")
        .first()
    )
    if thread is None:
        raise _missing()
    body = _body(body)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread,
            author=None,
            body=body,
            attachment=_attachment(thread, upload, None, at),
            sent_at=at,
        )
        Thread.objects.filter(pk=thread.pk).update(last_message_at=at)
        _tell_staff(thread, _route(thread, at), at)
    return message


def messages_read_by_client(*, thread: Thread, at: dt.datetime) -> None:
    Message.objects.filter(
        thread=thread, author__isnull=False, read_by_client_at__isnull=True
    ).update(read_by_client_at=at)
