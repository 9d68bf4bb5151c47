"""Consents and other legal bases for disclosing client data between organisations (DOMAIN §6).

A ``Consent`` is the lasting agreement; every change writes a new ``ConsentVersion`` and keeps
the old ones readable. Withdrawal is a fact of the whole consent and takes effect at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import Client
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Asiakkaan suostumus")
    STATUTE = "statute", _("Lakiin perustuva oikeus")


class ConsentMethod(models.TextChoices):
    WRITTEN_FORM = "written_form", _("Kirjallinen lomake")
    ELECTRONIC = "electronic", _("Sähköisesti vahvalla tunnistautumisella")
    ORAL = "oral", _("Suullisesti (koskee vain yhtä yhteydenottoa)")


class WithdrawalMethod(models.TextChoices):
    WRITTEN = "written", _("Kirjallisesti")
    ELECTRONIC = "electronic", _("Sähköisesti")
    ORAL = "oral", _("Suullisesti")


class ConsentStatus(models.TextChoices):
    VALID = "valid", _("Voimassa")
    NOT_YET_VALID = "not_yet_valid", _("Ei vielä voimassa")
    EXPIRED = "expired", _("Päättynyt")
    WITHDRAWN = "withdrawn", _("Peruttu")


class Consent(models.Model):
    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="consents"
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjannut"), on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("perumisen kirjannut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_method = models.CharField(
        _("perumisen tapa"), max_length=16, choices=WithdrawalMethod.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suostumus")
        verbose_name_plural = _("suostumukset")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True, withdrawal_method="")
                    | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_method=""))
                ),
                name="consent_withdrawal_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return _("Suostumus %(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("consents:detail", kwargs={"consent_id": self.pk})

    def is_withdrawn_at(self, at: dt.datetime) -> bool:
        return self.withdrawn_at is not None and self.withdrawn_at <= at

    @property
    def current_version(self) -> ConsentVersion:
        """The current version, from prefetched versions when present."""
        return next(v for v in self.versions.all() if v.is_current)

    @property
    def status(self) -> ConsentStatus:
        return self.current_version.status_at(timezone.now())


class ConsentVersion(models.Model):
    consent = models.ForeignKey(
        Consent, verbose_name=_("suostumus"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versio"))
    is_current = models.BooleanField(_("voimassa oleva versio"), default=True)
    disclosing_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("luovuttavat organisaatiot"), related_name="+"
    )
    receiving_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("vastaanottavat organisaatiot"), related_name="+"
    )
    purpose = models.CharField(_("käyttötarkoitus"), max_length=300)
    legal_basis = models.CharField(
        _("oikeusperuste"), max_length=16, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    statute = models.CharField(
        _("säädös"),
        max_length=200,
        blank=True,
        help_text=_("Esimerkiksi laki 381/2023 § 10, kun peruste on laki."),
    )
    method = models.CharField(_("antotapa"), max_length=16, choices=ConsentMethod.choices)
    form_reference = models.CharField(
        _("lomake"), max_length=100, blank=True, help_text=_("Esimerkiksi Kela Y100.")
    )
    valid_from = models.DateField(_("voimassa alkaen"))
    valid_until = models.DateField(_("voimassa asti"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjannut"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["consent", "-number"]
        verbose_name = _("suostumuksen versio")
        verbose_name_plural = _("suostumuksen versiot")
        constraints = [
            models.UniqueConstraint(fields=["consent", "number"], name="consent_version_unique"),
            models.UniqueConstraint(
                fields=["consent"],
                condition=Q(is_current=True),
                name="one_current_version_per_consent",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="consent_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(method="oral") | Q(valid_until=F("valid_from")),
                name="oral_consent_covers_one_day",
            ),
            models.CheckConstraint(
                condition=~Q(legal_basis="statute") | ~Q(statute=""),
                name="statute_basis_names_statute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consent} v{self.number}"

    def status_at(self, at: dt.datetime) -> ConsentStatus:
        if self.consent.is_withdrawn_at(at):
            return ConsentStatus.WITHDRAWN
        day = timezone.localdate(at)
        if day < self.valid_from:
            return ConsentStatus.NOT_YET_VALID
        if self.valid_until is not None and day > self.valid_until:
            return ConsentStatus.EXPIRED
        return ConsentStatus.VALID


class ConsentCategory(models.Model):
    """One data category a consent version covers."""

    version = models.ForeignKey(
        ConsentVersion,
        verbose_name=_("suostumuksen versio"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    category = models.CharField(_("tietoryhmä"), max_length=32, choices=DataCategory.choices)

    class Meta:
        verbose_name = _("suostumuksen tietoryhmä")
        verbose_name_plural = _("suostumuksen tietoryhmät")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "category"], name="consent_category_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Perusteltu")
    UNJUSTIFIED = "unjustified", _("Ei perusteltu")


class EmergencyAccess(models.Model):
    """'Break the glass': time-limited access with a mandatory reason, always reviewed."""

    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("työntekijä"), on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("peruste"))
    started_at = models.DateTimeField(_("alkanut"), default=timezone.now)
    expires_at = models.DateTimeField(_("päättyy"))
    reviewed_at = models.DateTimeField(_("tarkastettu"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("tarkastaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_outcome = models.CharField(
        _("tarkastuksen tulos"), max_length=16, choices=ReviewOutcome.choices, blank=True
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("hätäkäyttö")
        verbose_name_plural = _("hätäkäytöt")
        indexes = [models.Index(fields=["client", "staff_member"], name="emergency_client_staff")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("started_at")), name="emergency_expires_after_start"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, review_outcome="")
                | (Q(reviewed_at__isnull=False) & ~Q(review_outcome="")),
                name="emergency_review_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} {self.started_at:%Y-%m-%d %H:%M}"

    def is_active_at(self, at: dt.datetime) -> bool:
        return self.started_at <= at < self.expires_at
