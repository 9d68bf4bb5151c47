"""Secure message threads between a client and the professionals they work with (ADR 0033).

A thread is client data in category *notes* of one organisation: the organisation of the
professionals in it. Its subject and messages are encrypted at rest.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.documents.models import Document
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember

SUBJECT_MAX = 150
BODY_MAX = 5000


class Thread(ClientRecord):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case,
        verbose_name=_("palvelupolku"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = EncryptedTextField(_("aihe"))
    started_by_client = models.BooleanField(_("asiakas aloitti"), default=False)
    last_message_at = models.DateTimeField(_("viimeisin viesti"), default=timezone.now)

    class Meta:
        verbose_name = _("viestiketju")
        verbose_name_plural = _("viestiketjut")
        indexes = [models.Index(fields=["client", "-last_message_at"], name="thread_client_last")]

    def __str__(self) -> str:
        return str(self.pk)


class ThreadMember(models.Model):
    """A professional in the thread: chosen by the client or the starter, or added as the deputy
    of someone away."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="members")
    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("työntekijä"), on_delete=models.PROTECT, related_name="+"
    )
    as_deputy = models.BooleanField(_("sijaisena"), default=False)
    added_at = models.DateTimeField(_("lisätty"), default=timezone.now)

    class Meta:
        verbose_name = _("viestiketjun jäsen")
        verbose_name_plural = _("viestiketjun jäsenet")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "staff_member"], name="one_membership_per_thread"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} {self.staff_member_id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # The professional who wrote it; empty when the client did.
    author = models.ForeignKey(
        StaffMember,
        verbose_name=_("kirjoittaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = EncryptedTextField(_("viesti"))
    attachment = models.ForeignKey(
        Document,
        verbose_name=_("liite"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("lähetetty"), default=timezone.now)
    # When the client first opened a professional's message (the read receipt).
    read_by_client_at = models.DateTimeField(_("asiakas luki"), null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("viesti")
        verbose_name_plural = _("viestit")

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def from_client(self) -> bool:
        return self.author_id is None


class MessageRead(models.Model):
    """When a professional first opened a message (the read receipt the client sees)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("lukija"), on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("luettu"), default=timezone.now)

    class Meta:
        verbose_name = _("lukukuittaus")
        verbose_name_plural = _("lukukuittaukset")
        constraints = [
            models.UniqueConstraint(fields=["message", "staff_member"], name="one_read_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.staff_member_id}"
