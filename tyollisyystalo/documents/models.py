"""Documents on a client's record (ADR 0030): a PDF or an image in one data category, its bytes
encrypted in a store outside the web root, scanned for malware before it is kept."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class ScanState(models.TextChoices):
    CLEAN = "clean", _("Tarkistettu, ei haittaohjelmia")
    NOT_SCANNED = "not_scanned", _("Ei virustarkistettu")


class Document(ClientRecord):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = EncryptedTextField(_("otsikko"))
    filename = EncryptedTextField(_("tiedoston nimi"))
    content_type = models.CharField(_("tiedostotyyppi"), max_length=40)
    size = models.PositiveIntegerField(_("koko (tavua)"))
    sha256 = models.CharField(_("tiiviste"), max_length=64)
    # The name of the encrypted file in DOCUMENT_ROOT: random, never derived from the content.
    stored_as = models.CharField(max_length=64, unique=True, editable=False)
    scan = models.CharField(_("virustarkistus"), max_length=16, choices=ScanState.choices)
    # Empty when the client sent it (a message's attachment).
    uploaded_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("tallentaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_with_client = models.BooleanField(_("näkyy asiakkaalle"), default=False)
    # A message's attachment: opened only through its thread (messaging), not listed on the card.
    attachment = models.BooleanField(_("viestin liite"), default=False)

    class Meta:
        verbose_name = _("asiakirja")
        verbose_name_plural = _("asiakirjat")
        indexes = [models.Index(fields=["client", "-created_at"], name="document_client_created")]

    def __str__(self) -> str:
        return str(self.pk)
