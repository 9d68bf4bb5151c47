"""Appointments with the client on their path (ADR 0029): time, place or remote link, who takes
part, reminders sent once, the client's cancellations and requests to move."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class AppointmentKind(models.TextChoices):
    FIRST = "first", _("Ensitapaaminen")
    REVIEW = "review", _("Seurantatapaaminen")
    TEAM = "team", _("Tiimitapaaminen asiakkaan kanssa")
    OTHER = "other", _("Muu tapaaminen")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Varattu")
    CANCELLED = "cancelled", _("Peruttu")
    DONE = "done", _("Toteutunut")
    NO_SHOW = "no_show", _("Asiakas ei tullut")


class OtherParticipant(models.TextChoices):
    """Others who take part, named by their role only (no names of people outside the service)."""

    EMPLOYER = "employer", _("työnantajan edustaja")
    CLOSE = "close", _("läheinen")
    INTERPRETER = "interpreter", _("tulkki")
    SUPPORT = "support", _("tukihenkilö")
    PROFESSIONAL = "professional", _("muun palvelun työntekijä")


class Appointment(ClientRecord):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("tapaamisen laji"), max_length=16, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("alkaa"))
    ends_at = models.DateTimeField(_("päättyy"))
    # Where: a place (an office can reveal a health unit: encrypted) or a link to a remote meeting.
    place = EncryptedTextField(_("paikka"), blank=True)
    remote_url = EncryptedTextField(_("etäyhteyden osoite"), blank=True)
    purpose = EncryptedTextField(_("tapaamisen aihe asiakkaalle"), blank=True)
    organiser = models.ForeignKey(
        StaffMember, verbose_name=_("järjestäjä"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        StaffMember, verbose_name=_("osallistujat"), related_name="+", blank=True
    )
    others = models.JSONField(_("muut osallistujat roolin mukaan"), default=list, blank=True)
    status = models.CharField(
        _("tila"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    status_changed_at = models.DateTimeField(_("tila muuttui"), null=True, blank=True)
    cancelled_by_client = models.BooleanField(_("asiakas perui"), default=False)
    cancel_reason = EncryptedTextField(_("perumisen syy"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("tapaaminen")
        verbose_name_plural = _("tapaamiset")
        indexes = [
            models.Index(fields=["case", "starts_at"], name="appointment_case_start"),
            models.Index(fields=["status", "starts_at"], name="appointment_status_start"),
        ]

    def __str__(self) -> str:
        return str(self.pk)

    def others_display(self) -> list[str]:
        labels = dict(OtherParticipant.choices)
        return [str(labels[code]) for code in self.others if code in labels]


class MoveRequest(models.Model):
    """The client asks to move an appointment, with times that would suit them."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="move_requests"
    )
    preferred = EncryptedTextField(_("sopivat ajat"))
    requested_at = models.DateTimeField(_("pyydetty"), default=timezone.now)
    handled_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)

    class Meta:
        verbose_name = _("siirtopyyntö")
        verbose_name_plural = _("siirtopyynnöt")

    def __str__(self) -> str:
        return str(self.pk)


class Reminder(models.Model):
    """One reminder sent to one recipient (``client`` or ``staff:<id>``): sent once (ADR 0012)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    recipient = models.CharField(max_length=32)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("muistutus")
        verbose_name_plural = _("muistutukset")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "recipient"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.recipient}"


class CalendarFeed(models.Model):
    """A staff member's secret calendar address: only the token's SHA-256 is kept."""

    staff_member = models.OneToOneField(
        StaffMember, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kalenterisyöte")
        verbose_name_plural = _("kalenterisyötteet")

    def __str__(self) -> str:
        return str(self.staff_member_id)
