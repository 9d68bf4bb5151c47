"""Organisations of the network, their units and the municipalities they serve."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.shared.i18n import pick


class Municipality(models.Model):
    code = models.CharField(_("kuntanumero"), max_length=3, unique=True)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=100)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("kunta")
        verbose_name_plural = _("kunnat")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_fi, self.name_sv)


class OrganisationType(models.TextChoices):
    EMPLOYMENT_AUTHORITY = "employment_authority", _("Työllisyysviranomainen")
    WELLBEING_COUNTY = "wellbeing_county", _("Hyvinvointialue")
    KELA = "kela", _("Kela")
    TYP = "typ", _("Työllistymistä edistävä monialainen yhteispalvelu (TYP)")
    OHJAAMO = "ohjaamo", _("Ohjaamo")
    NGO = "ngo", _("Säätiö tai järjestö")
    EDUCATION = "education", _("Oppilaitos")
    PRIVATE_PROVIDER = "private_provider", _("Yksityinen palveluntuottaja")
    EMPLOYER = "employer", _("Työnantaja")


class Organisation(models.Model):
    code = models.SlugField(
        _("tunnus"),
        max_length=64,
        unique=True,
        help_text=_("Pysyvä tunnus, esimerkiksi palveluluettelon org-hva."),
    )
    name_fi = models.CharField(_("nimi suomeksi"), max_length=200)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=200, blank=True)
    name_en = models.CharField(_("nimi englanniksi"), max_length=200, blank=True)
    type = models.CharField(_("tyyppi"), max_length=32, choices=OrganisationType.choices)
    business_id = models.CharField(_("Y-tunnus"), max_length=9, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("toiminta-alue"),
        related_name="organisations",
        help_text=_("Kunnat, joiden asukkaita organisaatio palvelee."),
    )
    is_active = models.BooleanField(_("toiminnassa"), default=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("organisaatio")
        verbose_name_plural = _("organisaatiot")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_fi, self.name_sv, self.name_en)


class Unit(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("yläyksikkö"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.SlugField(_("tunnus"), max_length=64)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=200)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=200, blank=True)
    name_en = models.CharField(_("nimi englanniksi"), max_length=200, blank=True)
    # What using this unit's services reveals (R3, ADR 0017): a client relationship or team
    # membership in a mental-health unit is health data. Empty: identity only.
    data_category = models.CharField(
        _("tietoryhmä, jonka yksikön asiakkuus paljastaa"),
        max_length=32,
        choices=DataCategory.choices,
        blank=True,
        default="",
    )

    class Meta:
        ordering = ["organisation__name_fi", "name_fi"]
        verbose_name = _("yksikkö")
        verbose_name_plural = _("yksiköt")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="unit_code_unique_in_organisation"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="unit_is_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(data_category="") | Q(data_category__in=DataCategory.values),
                name="unit_data_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_fi, self.name_sv, self.name_en)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent is not None and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("Yläyksikön on kuuluttava samaan organisaatioon.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Yksikkö ei voi olla oma alayksikkönsä.")})
            ancestor = ancestor.parent
