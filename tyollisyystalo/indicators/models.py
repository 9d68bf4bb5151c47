"""Goals set for indicators, and public indicators imported from the ministry's open data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.indicators.periods import Period, PeriodKind
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember


class PeriodKindChoice(models.TextChoices):
    MONTH = PeriodKind.MONTH.value, _("Kuukausi")
    QUARTER = PeriodKind.QUARTER.value, _("Vuosineljännes")
    HALF = PeriodKind.HALF.value, _("Vuosipuolisko")
    YEAR = PeriodKind.YEAR.value, _("Vuosi")


class IndicatorGoal(models.Model):
    """A target for one indicator in one period and scope.

    Scope: an organisation's own figures (``organisation``), the organisation's figures in one
    of its municipalities (both), the whole region (neither) or the region in one municipality
    (``municipality`` only). A figure is compared with the goal of its own scope, or failing
    that the organisation's, the municipality's in the region, then the region's.
    """

    indicator = models.CharField(_("mittari"), max_length=64)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisaatio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kunta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_kind = models.CharField(_("kausi"), max_length=8, choices=PeriodKindChoice.choices)
    period_start = models.DateField(_("kauden alku"))
    target = models.DecimalField(_("tavoite"), max_digits=8, decimal_places=2)
    set_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("asettaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("asetettu"), default=timezone.now)
    basis = models.CharField(_("peruste"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("mittarin tavoite")
        verbose_name_plural = _("mittarien tavoitteet")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "municipality", "period_kind", "period_start"],
                condition=Q(organisation__isnull=False, municipality__isnull=False),
                name="goal_unique_organisation_municipality",
            ),
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_kind", "period_start"],
                condition=Q(organisation__isnull=False, municipality__isnull=True),
                name="goal_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["indicator", "municipality", "period_kind", "period_start"],
                condition=Q(organisation__isnull=True, municipality__isnull=False),
                name="goal_unique_region_municipality",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_kind", "period_start"],
                condition=Q(organisation__isnull=True, municipality__isnull=True),
                name="goal_unique_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period.code} {self.target}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, PeriodKind(self.period_kind))


class PublicIndicatorImport(models.Model):
    """One import of the ministry's open statistics: where from, dated, how many rows."""

    source = models.CharField(_("lähde"), max_length=300)
    published_on = models.DateField(_("tilaston päivä"))
    file_name = models.CharField(_("tiedosto"), max_length=200)
    rows = models.PositiveIntegerField(_("rivejä"))
    imported_at = models.DateTimeField(_("tuotu"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("julkisen tilaston tuonti")
        verbose_name_plural = _("julkisten tilastojen tuonnit")

    def __str__(self) -> str:
        return f"{self.source} {self.published_on}"


class PublicIndicatorValue(models.Model):
    """A municipality's monthly figure from the open statistics; a later import replaces it."""

    source_import = models.ForeignKey(
        PublicIndicatorImport,
        verbose_name=_("tuonti"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kunta"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(_("mittari"), max_length=64)
    month = models.DateField(_("kuukausi"))
    value = models.DecimalField(_("arvo"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator", "municipality", "month"]
        verbose_name = _("julkinen tunnusluku")
        verbose_name_plural = _("julkiset tunnusluvut")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "month"], name="public_value_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="public_value_not_negative"),
        ]
        indexes = [models.Index(fields=["indicator", "month"], name="public_value_month")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m} {self.value}"
