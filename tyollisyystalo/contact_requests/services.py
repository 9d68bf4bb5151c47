"""Receiving a contact request and handling it in the coordinators' queue."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability, roles_with
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import Client, Language
from tyollisyystalo.clients.services import IdentityInput, client_entry_create, client_register
from tyollisyystalo.contact_requests.gatekeeper import may_handle
from tyollisyystalo.contact_requests.models import (
    CloseReason,
    ContactRequest,
    ContactRequestEvent,
    ContactTime,
    Status,
)
from tyollisyystalo.contact_requests.selectors import deny_and_log
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.portal.instrument import area_questions, instrument_version
from tyollisyystalo.shared.crypto import keyed_hash
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

# The consent text the form shows; bump when its wording changes.
CONSENT_VERSION = "2026-11"
# Crockford-style alphabet without look-alikes (0/O, 1/I/L) for numbers read over the phone.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SOURCE_PURPOSE = "contact-request-source"


class RateLimited(Exception):
    """Too many requests from one source within the window."""


@dataclass(frozen=True)
class ContactInput:
    name: str
    municipality: Municipality
    phone: str = ""
    email: str = ""
    language: str = Language.FI
    other_language: str = ""
    contact_time: str = ContactTime.ANY
    message: str = ""
    self_assessment: dict[str, int] = field(default_factory=dict)
    consent_contact: bool = False
    consent_store: bool = False


def new_receipt() -> str:
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"YP-{chars[:4]}-{chars[4:]}"


def source_hash(address: str) -> str:
    return keyed_hash(address, purpose=SOURCE_PURPOSE)


def _validate(data: ContactInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Kirjoita nimesi.")]
    if not data.phone.strip() and not data.email.strip():
        errors["phone"] = [
            _("Anna puhelinnumero tai sähköpostiosoite, jotta sinuun saadaan yhteys.")
        ]
    if data.language == Language.OTHER and not data.other_language.strip():
        errors["other_language"] = [_("Kerro, millä kielellä haluat asioida.")]
    if not data.consent_contact:
        errors["consent_contact"] = [_("Tarvitsemme luvan ottaa sinuun yhteyttä.")]
    if not data.consent_store:
        errors["consent_store"] = [_("Tarvitsemme luvan tallentaa pyyntösi.")]
    codes = {q.code for q in area_questions()}
    if any(k not in codes or not 0 <= v <= 10 for k, v in data.self_assessment.items()):
        errors["self_assessment"] = [
            _("Itsearvion vastaukset eivät kelpaa. Tee itsearvio uudelleen.")
        ]
    if errors:
        raise ValidationError(errors)


def contact_request_submit(
    *, data: ContactInput, source: str, at: dt.datetime | None = None
) -> ContactRequest:
    """Store a request in its municipality's queue and return it with its receipt number."""
    at = at or timezone.now()
    _validate(data)
    digest = source_hash(source)
    window = at - dt.timedelta(seconds=settings.CONTACT_REQUEST_WINDOW_SECONDS)
    recent = ContactRequest.objects.filter(source_hash=digest, received_at__gte=window).count()
    if recent >= settings.CONTACT_REQUEST_MAX_PER_WINDOW:
        raise RateLimited
    assessment = (
        json.dumps({"version": instrument_version(), "answers": data.self_assessment})
        if data.self_assessment
        else ""
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                item = ContactRequest.objects.create(
                    receipt=new_receipt(),
                    received_at=at,
                    municipality=data.municipality,
                    name=" ".join(data.name.split()),
                    phone=data.phone.strip(),
                    email=data.email.strip(),
                    language=data.language,
                    other_language=data.other_language.strip()
                    if data.language == Language.OTHER
                    else "",
                    contact_time=data.contact_time,
                    message=data.message.strip(),
                    self_assessment=assessment,
                    consent_version=CONSENT_VERSION,
                    source_hash=digest,
                )
                notification_send(
                    recipients=[
                        staff.user
                        for staff in StaffMember.objects.filter(
                            is_active=True,
                            role__in=roles_with(Capability.CONTACT_REQUEST_HANDLE),
                            organisation__is_active=True,
                            organisation__municipalities=data.municipality,
                        ).select_related("user")
                    ],
                    kind=NotificationKind.CONTACT_REQUEST,
                    url=reverse("contact_requests:queue"),
                    at=at,
                )
                return item
        except IntegrityError:
            continue  # a receipt number collided; draw another
    raise RuntimeError("could not allocate a receipt number")


def _locked_for(actor: StaffMember, request_id: uuid.UUID, at: dt.datetime) -> ContactRequest:
    require_capability(actor, Capability.CONTACT_REQUEST_HANDLE)
    item = ContactRequest.objects.select_for_update().filter(pk=request_id).first()
    if item is None or not may_handle(actor, item):
        raise deny_and_log(staff=actor, request_id=request_id, action=Action.UPDATE, at=at)
    if not item.is_open:
        raise ValidationError(
            _("Pyyntö on jo käsitelty (%(status)s).") % {"status": item.get_status_display()}
        )
    return item


def _transition(
    *,
    actor: StaffMember,
    item: ContactRequest,
    to: Status,
    at: dt.datetime,
    note: str = "",
    close_reason: str = "",
    client: Client | None = None,
) -> None:
    ContactRequestEvent.objects.create(
        request=item, at=at, actor=actor, from_status=item.status, to_status=to, note=note.strip()
    )
    item.status = to
    item.handled_at = at
    item.handled_by = actor
    item.close_reason = close_reason
    item.client = client
    item.save(update_fields=["status", "handled_at", "handled_by", "close_reason", "client"])
    access_log_append(
        actor=actor,
        events=[
            LogEvent(
                action=Action.UPDATE,
                outcome=Outcome.ALLOWED,
                client_id=client.id if client else None,
                categories=[DataCategory.IDENTITY],
                basis=Basis.DUTY,
                object_type="contact_request",
                object_id=str(item.id),
                purpose=f"contact request {to}",
            )
        ],
        at=at,
    )


def contact_request_mark_contacted(
    *, actor: StaffMember, request_id: uuid.UUID, note: str = "", at: dt.datetime | None = None
) -> ContactRequest:
    """The coordinator has reached the person (or tried); the request stays open."""
    at = at or timezone.now()
    with transaction.atomic():
        item = _locked_for(actor, request_id, at)
        if item.status != Status.NEW:
            raise ValidationError(_("Pyyntö on jo merkitty yhteydenotetuksi."))
        _transition(actor=actor, item=item, to=Status.CONTACTED, at=at, note=note)
    return item


def contact_request_close(
    *,
    actor: StaffMember,
    request_id: uuid.UUID,
    reason: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> ContactRequest:
    """End the request without a client relationship, with a reason."""
    at = at or timezone.now()
    if reason not in CloseReason.values:
        raise ValidationError({"reason": [_("Valitse syy.")]})
    if reason == CloseReason.OTHER and not note.strip():
        raise ValidationError({"note": [_("Kerro lyhyesti, miksi pyyntö suljetaan.")]})
    with transaction.atomic():
        item = _locked_for(actor, request_id, at)
        _transition(actor=actor, item=item, to=Status.CLOSED, at=at, note=note, close_reason=reason)
    return item


def assessment_answers(item: ContactRequest) -> dict[str, int]:
    if not item.self_assessment:
        return {}
    answers: dict[str, int] = json.loads(item.self_assessment)["answers"]
    return answers


def assessment_rows(item: ContactRequest) -> list[tuple[str, int]]:
    """Each answered question (in the reader's language) with its score 0–10."""
    answers = assessment_answers(item)
    return [(q.question, answers[q.code]) for q in area_questions() if q.code in answers]


def contact_request_convert(
    *,
    actor: StaffMember,
    request_id: uuid.UUID,
    first_names: str,
    last_name: str,
    at: dt.datetime | None = None,
) -> Client:
    """Register the person as a client (no henkilötunnus yet) with the actor as coordinator.

    What the person wrote and their self-assessment become entries of the new client record.
    """
    at = at or timezone.now()
    with transaction.atomic():
        item = _locked_for(actor, request_id, at)
        client = client_register(
            actor=actor,
            data=IdentityInput(
                first_names=first_names,
                last_name=last_name,
                phone=item.phone,
                email=item.email,
                municipality=item.municipality,
                language=item.language,
                other_language=item.other_language,
            ),
            at=at,
        )
        lines = [
            _("Yhteydenottopyyntö %(receipt)s vastaanotettiin %(date)s.")
            % {"receipt": item.receipt, "date": f"{timezone.localtime(item.received_at):%d.%m.%Y}"},
            _("Toivottu yhteydenottoaika: %(time)s.") % {"time": item.get_contact_time_display()},
        ]
        if item.message:
            lines += ["", item.message]
        client_entry_create(
            actor=actor,
            client_id=client.id,
            category=DataCategory.NOTES,
            entry_date=timezone.localdate(at),
            title=_("Yhteydenottopyyntö %(receipt)s") % {"receipt": item.receipt},
            body="\n".join(lines),
            at=at,
        )
        answers = assessment_rows(item)
        if answers:
            client_entry_create(
                actor=actor,
                client_id=client.id,
                category=DataCategory.ASSESSMENTS,
                entry_date=timezone.localdate(item.received_at),
                title=_("Itsearvio (verkkopalvelu)"),
                body="\n".join(f"{question}: {score} / 10" for question, score in answers),
                at=at,
            )
        _transition(actor=actor, item=item, to=Status.BECAME_CLIENT, at=at, client=client)
    return client


def contact_requests_purge(*, at: dt.datetime | None = None) -> int:
    """Erase the personal data of requests handled more than the retention period ago.

    The period and the rule are the ``contact_requests`` class of the record class table
    (ADR 0022; ``CONTACT_REQUEST_RETENTION_DAYS`` overrides its days); a client under a legal
    hold keeps the request it came from. Writes an erasure record. Idempotent.
    """
    from tyollisyystalo.retention.services import retention_erase

    return retention_erase(at=at, only=("contact_requests",))


def contact_requests_anonymise(*, ids: list[uuid.UUID], at: dt.datetime) -> None:
    """Erase the personal data of these requests, keeping receipt, municipality, dates, statuses
    and reasons for statistics (called by the retention run, inside its transaction)."""
    ContactRequest.objects.filter(id__in=ids).update(
        name="-",
        phone="",
        email="",
        other_language="",
        message="",
        self_assessment="",
        source_hash="",
        purged_at=at,
    )
    ContactRequestEvent.objects.filter(request_id__in=ids).update(note="")
