"""IPS fidelity reviews of a coaching team: the team's data, not client data (ADR 0023).

A review scores the 25 items of one version of the scale (``definition``) with the reviewer's
evidence note per item; items the product can count are pre-filled and the figure is kept with
the score. Low items get an improvement plan: what is done, who does it, by when.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class Band(models.TextChoices):
    EXEMPLARY = "exemplary", _("Erinomainen")
    GOOD = "good", _("Hyvä")
    FAIR = "fair", _("Kohtalainen")
    NOT_SUPPORTED_EMPLOYMENT = (
        "not_supported_employment",
        _("Ei tuetun työllistymisen mallin mukaista"),
    )


class FidelityReview(models.Model):
    team = models.ForeignKey(
        CoachingTeam,
        verbose_name=_("työhönvalmennustiimi"),
        on_delete=models.PROTECT,
        related_name="fidelity_reviews",
    )
    reviewed_on = models.DateField(_("arviointipäivä"))
    scale_version = models.CharField(_("arviointiasteikon versio"), max_length=32)
    reviewers = models.ManyToManyField(
        StaffMember, verbose_name=_("arvioijat"), related_name="fidelity_reviews"
    )
    total = models.PositiveSmallIntegerField(_("pisteet yhteensä"))
    band = models.CharField(_("taso"), max_length=24, choices=Band.choices, blank=True)
    complete = models.BooleanField(_("kaikki kohdat arvioitu"), default=False)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)
    updated_at = models.DateTimeField(_("muokattu"), default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("IPS-laatuarviointi")
        verbose_name_plural = _("IPS-laatuarvioinnit")
        constraints = [
            models.CheckConstraint(
                condition=Q(complete=True, band__gt="") | Q(complete=False, band=""),
                name="fidelity_band_only_when_complete",
            ),
        ]
        indexes = [models.Index(fields=["team", "reviewed_on"], name="fidelity_team_on")]

    def __str__(self) -> str:
        return f"{self.team} {self.reviewed_on}"


class FidelityItemScore(models.Model):
    """One item of a review: its score (empty while not yet scored) and the evidence note;
    for a pre-filled item, the figure counted and the score the figure gave."""

    review = models.ForeignKey(
        FidelityReview,
        verbose_name=_("arviointi"),
        on_delete=models.CASCADE,
        related_name="item_scores",
    )
    item_key = models.CharField(_("kohta"), max_length=64)
    score = models.PositiveSmallIntegerField(_("pisteet"), null=True, blank=True)
    evidence = EncryptedTextField(_("perustelu"), blank=True)
    prefill_score = models.PositiveSmallIntegerField(
        _("tiedoista laskettu pistemäärä"), null=True, blank=True
    )
    prefill_figure = models.JSONField(_("tiedoista laskettu luku"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("arvioinnin kohta")
        verbose_name_plural = _("arvioinnin kohdat")
        constraints = [
            models.UniqueConstraint(fields=["review", "item_key"], name="fidelity_item_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="fidelity_score_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_key} {self.score}"


class ImprovementAction(models.Model):
    """A step of the improvement plan for a low item: what, who and by when."""

    review = models.ForeignKey(
        FidelityReview,
        verbose_name=_("arviointi"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    item_key = models.CharField(_("kohta"), max_length=64)
    what = models.TextField(_("mitä tehdään"), max_length=2000)
    who = models.CharField(_("kuka vastaa"), max_length=200)
    due_on = models.DateField(_("mihin mennessä"))
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("kehittämistoimi")
        verbose_name_plural = _("kehittämistoimet")

    def __str__(self) -> str:
        return f"{self.item_key} {self.due_on}"
