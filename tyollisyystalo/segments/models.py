"""Client segments (issue 19): analyses, versioned and approved criteria, segments with their
service process and instructions, and the suggestions a person confirms or changes.

The analysis keeps its data set (pseudonymised rows of features: no identifier, no free text,
no date) encrypted beside its results, so that edited criteria can be measured against the
clusters and checked for fairness without reading the records again. The approved rules — not
the model — decide every suggestion, and a suggestion keeps the version it was made with.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role


class SegmentAnalysis(models.Model):
    """One run of the segment discovery over one organisation's analysis data set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="+"
    )
    made_by = models.ForeignKey(
        StaffMember, verbose_name=_("tekijä"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("tehty"), default=timezone.now)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=150)
    clients = models.PositiveIntegerField(_("asiakkaita"))
    k = models.PositiveSmallIntegerField(_("segmenttejä"))
    resamples = models.PositiveSmallIntegerField(_("uudelleenotantoja"))
    results_json = models.JSONField(_("tulokset"))  # fits, stability, candidates, rules, agreement
    dataset = EncryptedTextField(_("aineisto"))  # segments.dataset.dataset_pack

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("segmenttianalyysi")
        verbose_name_plural = _("segmenttianalyysit")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.made_at:%Y-%m-%d %H:%M}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Luonnos")
    APPROVED = "approved", _("Hyväksytty")
    RETIRED = "retired", _("Poistunut käytöstä")


class SegmentVersion(models.Model):
    """A numbered set of segments with their criteria; approved once, then never changed.

    The newest approved version of an organisation decides new suggestions; approving a new one
    retires the previous.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("versio"))
    analysis = models.ForeignKey(
        SegmentAnalysis,
        verbose_name=_("analyysi"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    status = models.CharField(
        _("tila"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("laatija"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("laadittu"), default=timezone.now)
    approved_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("hyväksyjä"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("hyväksytty"), null=True, blank=True)
    checks_json = models.JSONField(_("tarkistukset"), default=dict)  # agreement and fairness

    class Meta:
        ordering = ["organisation", "-number"]
        verbose_name = _("segmenttiversio")
        verbose_name_plural = _("segmenttiversiot")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="segmentversion_number_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="approved"),
                name="segmentversion_one_approved",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="segmentversion_approved_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.number}"


class Segment(models.Model):
    version = models.ForeignKey(
        SegmentVersion, verbose_name=_("versio"), on_delete=models.CASCADE, related_name="segments"
    )
    position = models.PositiveSmallIntegerField(_("järjestys"))
    code = models.CharField(_("tunnus"), max_length=20)
    name_fi = models.CharField(_("nimi (suomi)"), max_length=120)
    name_sv = models.CharField(_("nimi (ruotsi)"), max_length=120, blank=True)
    name_en = models.CharField(_("nimi (englanti)"), max_length=120, blank=True)
    rules_json = models.JSONField(_("kriteerit"), default=list)  # criteria.ruleset_json's rules
    instructions_fi = models.TextField(_("ohjeet (suomi)"), blank=True)
    instructions_sv = models.TextField(_("ohjeet (ruotsi)"), blank=True)
    instructions_en = models.TextField(_("ohjeet (englanti)"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("segmentti")
        verbose_name_plural = _("segmentit")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="segment_code_unique"),
            models.UniqueConstraint(fields=["version", "position"], name="segment_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(getattr(self, f"name_{(get_language() or 'fi')[:2]}", "") or self.name_fi)

    @property
    def instructions(self) -> str:
        language = (get_language() or "fi")[:2]
        return str(getattr(self, f"instructions_{language}", "") or self.instructions_fi)


class ProcessStep(models.Model):
    """A step of a segment's service process: what, who, by when, with which services."""

    segment = models.ForeignKey(
        Segment, verbose_name=_("segmentti"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("järjestys"))
    title_fi = models.CharField(_("mitä (suomi)"), max_length=200)
    title_sv = models.CharField(_("mitä (ruotsi)"), max_length=200, blank=True)
    title_en = models.CharField(_("mitä (englanti)"), max_length=200, blank=True)
    responsible = models.CharField(_("kuka"), max_length=32, choices=Role.choices)
    due_days = models.PositiveSmallIntegerField(_("päivää polun alusta"))
    services = models.ManyToManyField(
        Service, verbose_name=_("palvelut"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["segment", "position"]
        verbose_name = _("palveluprosessin vaihe")
        verbose_name_plural = _("palveluprosessin vaiheet")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return str(getattr(self, f"title_{(get_language() or 'fi')[:2]}", "") or self.title_fi)


class SuggestionState(models.TextChoices):
    OPEN = "open", _("Odottaa vahvistusta")
    CONFIRMED = "confirmed", _("Vahvistettu")
    CHANGED = "changed", _("Muutettu")


class SegmentSuggestion(ClientRecord):
    """The segment the approved rules suggest for a client, and what a person decided.

    Made by the rules of one version; a person confirms it or chooses another segment (or none)
    with a reason. Never assigned without a person: ``segment`` is only the suggestion until
    ``decided_by`` is set. Kept when a newer one is made (the history of a client's segments).
    """

    version = models.ForeignKey(
        SegmentVersion, verbose_name=_("versio"), on_delete=models.PROTECT, related_name="+"
    )
    suggested = models.ForeignKey(
        Segment,
        verbose_name=_("ehdotettu segmentti"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rule = models.PositiveSmallIntegerField(_("täyttynyt kriteeri"), null=True, blank=True)
    state = models.CharField(
        _("tila"), max_length=10, choices=SuggestionState.choices, default=SuggestionState.OPEN
    )
    chosen = models.ForeignKey(
        Segment,
        verbose_name=_("valittu segmentti"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("päättäjä"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("päätetty"), null=True, blank=True)
    reason = EncryptedTextField(_("perustelu"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("segmenttiehdotus")
        verbose_name_plural = _("segmenttiehdotukset")
        indexes = [
            models.Index(
                fields=["client", "owner_organisation", "-created_at"], name="segsugg_client"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", decided_by__isnull=True, chosen__isnull=True)
                | (~Q(state="open") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="segsugg_decided_by_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"
