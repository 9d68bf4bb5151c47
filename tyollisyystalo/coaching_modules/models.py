"""Modular coaching (seed 000): a modular coaching period made of modules bought from
providers, an assessment of each module by each party and the purchaser's choice of what comes
next; and peer coaches paid a fee per session.

Modules, assessments and choices are client data under the gatekeeper (``ClientRecord``) with
the client, owner organisation and category of their period (ADR 0023 decision 3). Peer coaches
are people paid a fee, not clients: their rows hold as little as payroll needs and are erased
on request (ADR 0023, modular coaching).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.coaching.models import CoachingPeriod
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class CoachingModule(ClientRecord):
    """One module of a modular coaching period, in order, provided by an organisation."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    period = models.ForeignKey(
        CoachingPeriod,
        verbose_name=_("valmennusjakso"),
        on_delete=models.PROTECT,
        related_name="modules",
    )
    order = models.PositiveSmallIntegerField(_("järjestys"))
    title = models.CharField(_("moduuli"), max_length=200)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("palveluntuottaja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_start = models.DateField(_("suunniteltu alku"))
    planned_end = models.DateField(_("suunniteltu loppu"))
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["period", "order"]
        verbose_name = _("valmennusmoduuli")
        verbose_name_plural = _("valmennusmoduulit")
        constraints = [
            models.UniqueConstraint(fields=["period", "order"], name="coaching_module_order"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="coaching_module_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Party(models.TextChoices):
    CLIENT = "client", _("Asiakas")
    PROVIDER = "provider", _("Palveluntuottaja")
    PURCHASER = "purchaser", _("Tilaaja")


PARTIES: tuple[str, ...] = tuple(Party.values)


class ModuleAssessment(ClientRecord):
    """One party's assessment of a module after it: a score 1–5 and free text.

    The client's and the provider's assessments are usually recorded by the coach on their
    behalf; ``author`` is who wrote the row.
    """

    module = models.ForeignKey(
        CoachingModule,
        verbose_name=_("moduuli"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    party = models.CharField(_("arvioija"), max_length=10, choices=Party.choices)
    score = models.PositiveSmallIntegerField(_("arvio (1–5)"))
    text = EncryptedTextField(_("arvio sanallisesti"), blank=True)
    assessed_on = models.DateField(_("päivämäärä"))
    author = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["module", "party"]
        verbose_name = _("moduulin arvio")
        verbose_name_plural = _("moduulien arviot")
        constraints = [
            models.UniqueConstraint(fields=["module", "party"], name="module_assessment_party"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="module_assessment_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.score}"


class NextStep(models.TextChoices):
    NEXT_MODULE = "next_module", _("Seuraava moduuli")
    OTHER_SERVICE = "other_service", _("Muu palvelu")
    EXIT = "exit", _("Valmennus päättyy")


class ModuleChoice(ClientRecord):
    """The purchaser's choice after a module: the next module, another service, or exit.

    Made with the three assessments, or with a recorded reason why one is missing
    (``coaching_modules.rules.choice_errors``).
    """

    module = models.OneToOneField(
        CoachingModule,
        verbose_name=_("moduuli"),
        on_delete=models.PROTECT,
        related_name="choice",
    )
    next_step = models.CharField(_("jatko"), max_length=16, choices=NextStep.choices)
    missing_reason = EncryptedTextField(_("miksi arvio puuttuu"), blank=True)
    chosen_on = models.DateField(_("päivämäärä"))
    author = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("moduulin jälkeinen valinta")
        verbose_name_plural = _("moduulien jälkeiset valinnat")

    def __str__(self) -> str:
        return self.get_next_step_display()


class PeerCoach(models.Model):
    """A person paid a fee for peer coaching sessions: not a client, minimal personal data.

    Erasure (on request or when the relationship ends) empties the name and the payroll
    reference and keeps the row, so the sessions stay as payroll records.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("maksava organisaatio"),
        on_delete=models.PROTECT,
        related_name="peer_coaches",
    )
    name = models.CharField(_("nimi"), max_length=200)
    payroll_reference = models.CharField(_("palkanlaskennan tunniste"), max_length=40, blank=True)
    active = models.BooleanField(_("aktiivinen"), default=True)
    erased_at = models.DateTimeField(_("tiedot poistettu"), null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("lisääjä"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lisätty"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("vertaisvalmentaja")
        verbose_name_plural = _("vertaisvalmentajat")

    def __str__(self) -> str:
        return self.name or str(_("(tiedot poistettu)"))


class PeerSession(models.Model):
    """One paid peer coaching session. A link to a coaching period is client data: it is shown
    only to readers the gatekeeper lets read that period."""

    peer_coach = models.ForeignKey(
        PeerCoach,
        verbose_name=_("vertaisvalmentaja"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    held_on = models.DateField(_("päivämäärä"))
    duration_minutes = models.PositiveSmallIntegerField(_("kesto (min)"))
    fee = models.DecimalField(_("palkkio (€)"), max_digits=7, decimal_places=2)
    # The link to a client's period goes with the period (retention), the payroll row stays.
    period = models.ForeignKey(
        CoachingPeriod,
        verbose_name=_("valmennusjakso"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("vertaisvalmennuskerta")
        verbose_name_plural = _("vertaisvalmennuskerrat")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="peer_session_duration_1_600",
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name="peer_session_fee_not_negative"),
        ]
        indexes = [models.Index(fields=["held_on"], name="peer_session_held_on")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.duration_minutes} min"
