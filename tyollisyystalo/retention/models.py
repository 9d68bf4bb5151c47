"""Legal holds that stop erasure, and the erasure records that keep no personal data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import Client
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class LegalHold(models.Model):
    """Käsittelykielto / legal hold: nothing of this client is erased while the hold is on."""

    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("asettanut organisaatio"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = EncryptedTextField(_("peruste"))
    placed_by = models.ForeignKey(
        StaffMember, verbose_name=_("asettaja"), on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("asetettu"), default=timezone.now)
    released_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("purkaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("purettu"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("säilytysvelvoite (legal hold)")
        verbose_name_plural = _("säilytysvelvoitteet (legal hold)")
        indexes = [
            models.Index(
                fields=["client"], condition=Q(released_at__isnull=True), name="legalhold_active"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, released_by__isnull=True)
                | Q(released_at__isnull=False, released_by__isnull=False),
                name="legalhold_release_is_complete",
            ),
            models.UniqueConstraint(
                fields=["client", "organisation"],
                condition=Q(released_at__isnull=True),
                name="one_active_hold_per_client_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.placed_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class ErasureRecord(models.Model):
    """What one run erased of one class: counts, dates and the rule's version, no personal data.

    No client ids, names or organisation ids: only the class, the number of records per model,
    the range of the start-event dates and the table version the rule came from.
    """

    class_id = models.CharField(_("tietoluokka"), max_length=64)
    action = models.CharField(_("toimenpide"), max_length=16)
    rule_version = models.CharField(_("säännön versio"), max_length=32)
    rule = models.CharField(_("sääntö"), max_length=200)
    record_count = models.PositiveIntegerField(_("tietueita"))
    counts = models.JSONField(_("tietueita malleittain"), default=dict)
    first_start_on = models.DateField(_("aikaisin alkupäivä"), null=True, blank=True)
    last_start_on = models.DateField(_("viimeisin alkupäivä"), null=True, blank=True)
    erased_at = models.DateTimeField(_("poistettu"), default=timezone.now)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("poistokirjaus")
        verbose_name_plural = _("poistokirjaukset")

    def __str__(self) -> str:
        return f"{self.class_id} {self.record_count} {self.erased_at:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("Erasure records are never changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
