"""A person's own request to be contacted by a coordinator (the portal's third way in)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import Client, Language
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class Status(models.TextChoices):
    NEW = "new", _("Uusi")
    CONTACTED = "contacted", _("Yhteydessä")
    BECAME_CLIENT = "became_client", _("Asiakkuus alkoi")
    CLOSED = "closed", _("Suljettu")


OPEN_STATUSES = (Status.NEW, Status.CONTACTED)


class ContactTime(models.TextChoices):
    ANY = "any", _("Mihin aikaan tahansa arkisin")
    MORNING = "morning", _("Aamupäivällä (klo 8–12)")
    AFTERNOON = "afternoon", _("Iltapäivällä (klo 12–16)")


class CloseReason(models.TextChoices):
    NO_ANSWER = "no_answer", _("Henkilöä ei tavoitettu")
    HELPED = "helped", _("Neuvottiin, asiakkuutta ei tarvita")
    ELSEWHERE = "elsewhere", _("Ohjattiin toiseen palveluun")
    WITHDRAWN = "withdrawn", _("Henkilö perui pyynnön")
    DUPLICATE = "duplicate", _("Kaksoiskappale tai asiaton")
    OTHER = "other", _("Muu syy")


class ContactRequest(models.Model):
    """What the person sent, encrypted; who handled it and how it ended."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    receipt = models.CharField(_("viitenumero"), max_length=16, unique=True)
    received_at = models.DateTimeField(_("vastaanotettu"), default=timezone.now)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kunta"), on_delete=models.PROTECT, related_name="+"
    )
    name = EncryptedTextField(_("nimi"))
    phone = EncryptedTextField(_("puhelin"), blank=True)
    email = EncryptedTextField(_("sähköposti"), blank=True)
    language = models.CharField(
        _("asiointikieli"), max_length=5, choices=Language.choices, default=Language.FI
    )
    other_language = models.CharField(_("muu kieli"), max_length=60, blank=True)
    contact_time = models.CharField(
        _("sopiva yhteydenottoaika"),
        max_length=12,
        choices=ContactTime.choices,
        default=ContactTime.ANY,
    )
    message = EncryptedTextField(_("viesti"), blank=True)
    # JSON {"version": "...", "answers": {"area code": 0..10}} when the person attached it.
    self_assessment = EncryptedTextField(_("itsearvio"), blank=True)
    consent_version = models.CharField(_("suostumusteksti"), max_length=16)
    source_hash = models.CharField(_("lähteen tiiviste"), max_length=64, db_index=True)
    status = models.CharField(_("tila"), max_length=16, choices=Status.choices, default=Status.NEW)
    handled_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)
    handled_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("käsittelijä"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.CharField(
        _("sulkemisen syy"), max_length=16, choices=CloseReason.choices, blank=True
    )
    purged_at = models.DateTimeField(_("henkilötiedot poistettu"), null=True, blank=True)
    client = models.ForeignKey(
        Client,
        verbose_name=_("asiakas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("yhteydenottopyyntö")
        verbose_name_plural = _("yhteydenottopyynnöt")
        indexes = [
            models.Index(fields=["municipality", "status", "received_at"], name="contact_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email="") | Q(purged_at__isnull=False),
                name="contact_request_has_phone_or_email",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.BECAME_CLIENT, client__isnull=False)
                | (~Q(status=Status.BECAME_CLIENT) & Q(client__isnull=True)),
                name="contact_request_client_iff_converted",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED) & ~Q(close_reason="")
                | ~Q(status=Status.CLOSED) & Q(close_reason=""),
                name="contact_request_reason_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ContactRequestEvent(models.Model):
    """One step in handling a request; never changed afterwards."""

    request = models.ForeignKey(
        ContactRequest,
        verbose_name=_("yhteydenottopyyntö"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("aika"), default=timezone.now)
    actor = models.ForeignKey(
        StaffMember, verbose_name=_("käsittelijä"), on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("tilasta"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("tilaan"), max_length=16, choices=Status.choices)
    note = EncryptedTextField(_("muistiinpano"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("käsittelyvaihe")
        verbose_name_plural = _("käsittelyvaiheet")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
