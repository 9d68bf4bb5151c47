"""Booking, changing and closing appointments; the client's cancellations and requests to move;
reminders sent once; the staff member's secret calendar address."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tyollisyystalo.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CalendarFeed,
    MoveRequest,
    OtherParticipant,
    Reminder,
)
from tyollisyystalo.appointments.selectors import colleagues_for
from tyollisyystalo.appointments.sms import sms_send
from tyollisyystalo.audit.models import Action
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import OPEN
from tyollisyystalo.cases.services import case_for_write
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.PLAN
REMIND_BEFORE = dt.timedelta(hours=24)
LONGEST = dt.timedelta(hours=8)
TEXT_MAX = 500


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%-d.%-m.%Y klo %H.%M")


def _validated(
    *,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    remote_url: str,
    purpose: str,
    now: dt.datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in AppointmentKind.values:
        errors["kind"] = [_("Valitse tapaamisen laji.")]
    if starts_at is None:
        errors["starts_at"] = [_("Anna alkamisaika.")]
    elif starts_at < now:
        errors["starts_at"] = [_("Tapaamista ei voi varata menneisyyteen.")]
    if ends_at is None:
        errors["ends_at"] = [_("Anna päättymisaika.")]
    elif starts_at is not None and not starts_at < ends_at <= starts_at + LONGEST:
        errors["ends_at"] = [_("Päättymisajan on oltava alkamisen jälkeen, enintään 8 tuntia.")]
    if not place.strip() and not remote_url.strip():
        errors["place"] = [_("Kerro paikka tai etäyhteyden osoite.")]
    if remote_url.strip():
        parsed = urlparse(remote_url.strip())
        if (
            parsed.scheme != "https"
            or not parsed.netloc
            or any(c.isspace() for c in remote_url.strip())
        ):
            errors["remote_url"] = [_("Etäyhteyden osoitteen on alettava https://.")]
    for field, value in (("place", place), ("purpose", purpose), ("remote_url", remote_url)):
        if len(value) > TEXT_MAX:
            errors[field] = [_("Enintään %(n)s merkkiä.") % {"n": TEXT_MAX}]
        if "\x00" in value:
            errors[field] = [_("Tekstissä ei saa olla NUL-merkkiä.")]
    return errors


def _client_user(client_id: uuid.UUID) -> object | None:
    account = ClientAccount.objects.select_related("user").filter(client_id=client_id).first()
    return account.user if account is not None else None


def _notify(
    appointment: Appointment, people: Iterable[StaffMember], *, client: bool, at: dt.datetime
) -> None:
    recipients = [p.user for p in people]
    if recipients:
        notification_send(
            recipients=recipients,
            kind=NotificationKind.APPOINTMENT,
            url=reverse("appointments:detail", kwargs={"appointment_id": appointment.pk}),
            at=at,
        )
    user = _client_user(appointment.client_id) if client else None
    if user is not None:
        notification_send(
            recipients=[user],
            kind=NotificationKind.APPOINTMENT,
            url=reverse("appointments:own_detail", kwargs={"appointment_id": appointment.pk}),
            at=at,
        )


def _log(
    actor: StaffMember,
    appointment: Appointment,
    purpose: str,
    at: dt.datetime,
    action: Action = Action.UPDATE,
) -> None:
    access_log_event(
        actor=actor,
        client_id=appointment.client_id,
        action=action,
        purpose=purpose,
        categories=[CATEGORY],
        object_type="appointment",
        object_id=str(appointment.pk),
        at=at,
    )


def appointment_book(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str = "",
    remote_url: str = "",
    purpose: str = "",
    participants: Iterable[StaffMember] = (),
    others: Iterable[str] = (),
    at: dt.datetime | None = None,
) -> Appointment:
    """Book a meeting with the client on an open path of the actor's organisation."""
    at = at or timezone.now()
    case, _basis = case_for_write(actor=actor, case_id=case_id, at=at, purpose="appointment booked")
    errors = _validated(
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        remote_url=remote_url,
        purpose=purpose,
        now=at,
    )
    if case.status not in OPEN:
        errors["case"] = [_("Päättyneelle palvelupolulle ei voi varata tapaamista.")]
    people = _others(actor, case.client_id, participants, errors)
    roles = _roles(others, errors)
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None
    assert ends_at is not None
    with transaction.atomic():
        appointment = Appointment.objects.create(
            client_id=case.client_id,
            owner_organisation_id=case.owner_organisation_id,
            category=CATEGORY,
            created_at=at,
            case=case,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            remote_url=remote_url.strip(),
            purpose=purpose.strip(),
            others=roles,
            organiser=actor,
        )
        appointment.participants.set([actor, *people.values()])
        _log(actor, appointment, "appointment booked", at, Action.CREATE)
        _notify(appointment, people.values(), client=True, at=at)
    return appointment


def _others(
    actor: StaffMember,
    client_id: uuid.UUID,
    participants: Iterable[StaffMember],
    errors: dict[str, list[str]],
) -> dict[int, StaffMember]:
    """The participants besides the actor (who always takes part): people of the actor's
    organisation or the client's team still at work."""
    people = {p.pk: p for p in participants}
    people.pop(actor.pk, None)
    allowed = set(
        colleagues_for(actor, client_id).filter(pk__in=people).values_list("pk", flat=True)
    )
    if set(people) - allowed:
        errors["participants"] = [
            _("Osallistujan on oltava oman organisaatiosi tai asiakkaan tiimin työntekijä.")
        ]
    return people


def _roles(others: Iterable[str], errors: dict[str, list[str]]) -> list[str]:
    roles = list(dict.fromkeys(others))
    if any(code not in OtherParticipant.values for code in roles):
        errors["others"] = [_("Valitse muut osallistujat luettelosta.")]
    return roles


def _for_staff_write(
    actor: StaffMember, appointment_id: uuid.UUID, at: dt.datetime, purpose: str
) -> Appointment:
    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404(_("Tapaamista ei löytynyt."))
    case_for_write(actor=actor, case_id=appointment.case_id, at=at, purpose=purpose)
    return appointment


def appointment_change(
    *,
    actor: StaffMember,
    appointment_id: uuid.UUID,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str = "",
    remote_url: str = "",
    purpose: str = "",
    participants: Iterable[StaffMember] = (),
    others: Iterable[str] = (),
    at: dt.datetime | None = None,
) -> Appointment:
    """Change a booked appointment. A new time is reminded of anew and answers the client's
    requests to move; the client and everyone who took or takes part hear of the change."""
    at = at or timezone.now()
    appointment = _for_staff_write(actor, appointment_id, at, "appointment changed")
    errors = _validated(
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        remote_url=remote_url,
        purpose=purpose,
        now=at,
    )
    if appointment.status != AppointmentStatus.BOOKED:
        errors["status"] = [_("Vain varattua tapaamista voi muuttaa.")]
    people = _others(actor, appointment.client_id, participants, errors)
    roles = _roles(others, errors)
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None
    assert ends_at is not None
    with transaction.atomic():
        before = {p.pk: p for p in appointment.participants.select_related("user")}
        moved = (starts_at, ends_at) != (appointment.starts_at, appointment.ends_at)
        Appointment.objects.filter(pk=appointment.pk).update(
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            remote_url=remote_url.strip(),
            purpose=purpose.strip(),
            others=roles,
        )
        appointment.refresh_from_db()
        appointment.participants.set([actor, *people.values()])
        if moved:
            Reminder.objects.filter(appointment=appointment).delete()
            MoveRequest.objects.filter(appointment=appointment, handled_at__isnull=True).update(
                handled_at=at
            )
        _log(actor, appointment, "appointment changed", at)
        told = {**before, **people}
        told.pop(actor.pk, None)
        _notify(appointment, [p for p in told.values() if p.is_active], client=True, at=at)
    return appointment


def appointment_cancel(
    *,
    actor: StaffMember,
    appointment_id: uuid.UUID,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Appointment:
    at = at or timezone.now()
    appointment = _for_staff_write(actor, appointment_id, at, "appointment cancelled")
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Vain varatun tapaamisen voi perua."))
    with transaction.atomic():
        Appointment.objects.filter(pk=appointment.pk).update(
            status=AppointmentStatus.CANCELLED,
            status_changed_at=at,
            cancel_reason=reason.strip()[:TEXT_MAX],
        )
        appointment.refresh_from_db()
        _log(actor, appointment, "appointment cancelled", at)
        others = appointment.participants.exclude(pk=actor.pk).select_related("user")
        _notify(appointment, others, client=True, at=at)
    return appointment


def appointment_close(
    *, actor: StaffMember, appointment_id: uuid.UUID, status: str, at: dt.datetime | None = None
) -> Appointment:
    """Mark a booked appointment done or the client not come, once it has begun."""
    at = at or timezone.now()
    appointment = _for_staff_write(actor, appointment_id, at, "appointment closed")
    if status not in (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW):
        raise ValidationError(_("Valitse, toteutuiko tapaaminen."))
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(_("Tapaaminen on jo kirjattu tai peruttu."))
    if appointment.starts_at > at:
        raise ValidationError(_("Tapaamisen voi kirjata toteutuneeksi vasta sen alettua."))
    with transaction.atomic():
        Appointment.objects.filter(pk=appointment.pk).update(status=status, status_changed_at=at)
        appointment.refresh_from_db()
        _log(actor, appointment, f"appointment {status}", at)
    return appointment


def move_requests_handled(
    *, actor: StaffMember, appointment_id: uuid.UUID, at: dt.datetime | None = None
) -> None:
    at = at or timezone.now()
    appointment = _for_staff_write(actor, appointment_id, at, "appointment move handled")
    MoveRequest.objects.filter(appointment=appointment, handled_at__isnull=True).update(
        handled_at=at
    )
    _log(actor, appointment, "appointment move handled", at)


# The client ----------------------------------------------------------------------------------


def _own(client_id: uuid.UUID, appointment_id: uuid.UUID) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update()
        .filter(pk=appointment_id, client_id=client_id)
        .first()
    )
    if appointment is None:
        raise Http404(_("Tapaamista ei löytynyt."))
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= timezone.now():
        raise ValidationError(_("Tapaaminen ei ole enää tulossa."))
    return appointment


def appointment_cancel_by_client(
    *,
    client_id: uuid.UUID,
    appointment_id: uuid.UUID,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Appointment:
    at = at or timezone.now()
    if len(reason) > TEXT_MAX or "\x00" in reason:
        raise ValidationError({"reason": [_("Enintään %(n)s merkkiä.") % {"n": TEXT_MAX}]})
    with transaction.atomic():
        appointment = _own(client_id, appointment_id)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.status_changed_at = at
        appointment.cancelled_by_client = True
        appointment.cancel_reason = reason.strip()
        appointment.save(
            update_fields=["status", "status_changed_at", "cancelled_by_client", "cancel_reason"]
        )
        _notify(appointment, _staff_of(appointment), client=False, at=at)
    return appointment


def appointment_move_request(
    *,
    client_id: uuid.UUID,
    appointment_id: uuid.UUID,
    preferred: str,
    at: dt.datetime | None = None,
) -> MoveRequest:
    at = at or timezone.now()
    preferred = preferred.strip()
    if not preferred:
        raise ValidationError({"preferred": [_("Kerro, mitkä ajat sinulle sopisivat.")]})
    if len(preferred) > TEXT_MAX or "\x00" in preferred:
        raise ValidationError({"preferred": [_("Enintään %(n)s merkkiä.") % {"n": TEXT_MAX}]})
    with transaction.atomic():
        appointment = _own(client_id, appointment_id)
        request = MoveRequest.objects.create(
            appointment=appointment, preferred=preferred, requested_at=at
        )
        _notify(appointment, _staff_of(appointment), client=False, at=at)
    return request


def _staff_of(appointment: Appointment) -> list[StaffMember]:
    """The participants and the path's coordinator: who must hear of the client's change."""
    people = {p.pk: p for p in appointment.participants.select_related("user")}
    coordinator = appointment.case.coordinator
    people.setdefault(coordinator.pk, coordinator)
    return [p for p in people.values() if p.is_active]


# Reminders -------------------------------------------------------------------------------------


def appointment_reminders_send(*, at: dt.datetime | None = None) -> int:
    """Remind the client (e-mail and SMS) and the participants (e-mail) of a booked appointment
    once, when it comes within a day (or at the first run after that). Only the time and a
    link: no place, purpose or names. Returns the reminders sent."""
    at = at or timezone.now()
    sent = 0
    with transaction.atomic():
        due = list(
            Appointment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=AppointmentStatus.BOOKED, starts_at__gt=at, starts_at__lte=at + REMIND_BEFORE
            )
            .prefetch_related("participants__user")
        )
        if not due:
            return 0
        done = set(
            Reminder.objects.filter(appointment__in=due).values_list("appointment_id", "recipient")
        )
        identities = {
            i.client_id: i
            for i in ClientIdentity.objects.filter(client_id__in={a.client_id for a in due})
        }
        mails: list[EmailMessage] = []
        texts: list[tuple[str, str]] = []
        rows: list[Reminder] = []
        with override("fi"):
            for appointment in due:
                when = _local(appointment.starts_at)
                if (appointment.pk, "client") not in done:
                    identity = identities.get(appointment.client_id)
                    own = settings.SITE_URL + reverse("appointments:own_index")
                    text = _("Muistutus: tapaaminen %(when)s. Katso tiedot: %(url)s") % {
                        "when": when,
                        "url": own,
                    }
                    if identity is not None and identity.email:
                        mails.append(
                            EmailMessage(
                                subject=_("Muistutus tapaamisesta"), body=text, to=[identity.email]
                            )
                        )
                    if identity is not None and identity.phone:
                        texts.append((identity.phone, text))
                    rows.append(Reminder(appointment=appointment, recipient="client", sent_at=at))
                for person in appointment.participants.all():
                    key = f"staff:{person.pk}"
                    if (appointment.pk, key) in done or not person.is_active:
                        continue
                    if person.user.email:
                        url = settings.SITE_URL + reverse(
                            "appointments:detail", kwargs={"appointment_id": appointment.pk}
                        )
                        mails.append(
                            EmailMessage(
                                subject=_("Muistutus tapaamisesta"),
                                body=_("Tapaaminen %(when)s: %(url)s") % {"when": when, "url": url},
                                to=[person.user.email],
                            )
                        )
                    rows.append(Reminder(appointment=appointment, recipient=key, sent_at=at))
        Reminder.objects.bulk_create(rows)
        if mails:
            get_connection().send_messages(mails)
        for number, text in texts:
            sms_send(number, text)
        sent = len(rows)
    return sent


# The calendar feed -----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def calendar_feed_renew(*, staff: StaffMember) -> str:
    """A new secret address for the staff member's calendar; the old one stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        staff_member=staff,
        defaults={"token_hash": _token_hash(token), "created_at": timezone.now()},
    )
    return token


def calendar_feed_staff(token: str) -> StaffMember | None:
    feed = (
        CalendarFeed.objects.select_related("staff_member")
        .filter(token_hash=_token_hash(token), staff_member__is_active=True)
        .first()
    )
    return feed.staff_member if feed is not None else None
