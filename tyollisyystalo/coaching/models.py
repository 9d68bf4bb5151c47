"""Job coaching (IPS or modular): a coaching period per client, its immutable events, the
answers of forms A–E as versions, and the jobs found (placements).

Every model here is client data under the gatekeeper (``ClientRecord``): the period's category
is ``education_work`` unless the coaching unit's own data category says otherwise (an IPS team
of a mental-health unit makes the period health data: ADR 0023).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.employers.models import CoachingTeam, Employer
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.worktrials.models import RATED, FeedbackAnswer, FeedbackLink


class ImmutableError(RuntimeError):
    """Coaching events and form answer versions are never changed or deleted by the product."""


class Intensity(models.TextChoices):
    LIGHT = "light", _("Kevyt")
    INTENSIVE = "intensive", _("Tiivis")


class CoachingKind(models.TextChoices):
    IPS = "ips", _("IPS-työhönvalmennus")
    MODULAR = "modular", _("Moduulimuotoinen valmennus")


class CoachingStatus(models.TextChoices):
    STARTED = "started", _("Alkanut")
    JOB_SEARCH = "job_search", _("Työnhaku")
    EMPLOYED = "employed", _("Työssä")
    FOLLOW_ALONG = "follow_along", _("Työssä jatkuva tuki")
    ENDED = "ended", _("Päättynyt")


class EndingReason(models.TextChoices):
    COMPETITIVE_JOB = "competitive_job", _("Työllistyi avoimille työmarkkinoille")
    EDUCATION = "education", _("Aloitti opinnot")
    DECLINED = "declined", _("Asiakas kieltäytyi valmennuksesta")
    OTHER_SERVICE = "other_service", _("Siirtyi muuhun palveluun")
    NO_CONTACT = "no_contact", _("Asiakkaaseen ei saatu yhteyttä")
    OTHER = "other", _("Muu syy")


class CoachingPeriod(ClientRecord):
    """One period of job coaching for a client, kept by the coach's organisation."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case,
        verbose_name=_("palvelupolku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_periods",
    )
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("lähete"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_period",
    )
    team = models.ForeignKey(
        CoachingTeam,
        verbose_name=_("työhönvalmennustiimi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
    )
    coach = models.ForeignKey(
        StaffMember, verbose_name=_("valmentaja"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        StaffMember,
        verbose_name=_("varavalmentaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("valmennuksen malli"), max_length=8, choices=CoachingKind.choices)
    intensity = models.CharField(_("tiiviys"), max_length=10, choices=Intensity.choices)
    status = models.CharField(
        _("tila"), max_length=12, choices=CoachingStatus.choices, default=CoachingStatus.STARTED
    )
    started_on = models.DateField(_("alkoi"))
    ended_on = models.DateField(_("päättyi"), null=True, blank=True)
    ending_reason = models.CharField(
        _("päättymisen syy"), max_length=16, choices=EndingReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("valmennusjakso")
        verbose_name_plural = _("valmennusjaksot")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__isnull=False, ending_reason__gt="")
                | (~Q(status="ended") & Q(ended_on__isnull=True, ending_reason="")),
                name="coaching_ended_has_date_and_reason",
            )
        ]
        indexes = [
            models.Index(fields=["coach", "status"], name="coaching_coach_status"),
            models.Index(fields=["client", "owner_organisation"], name="coaching_client_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.status != CoachingStatus.ENDED


class CoachingEvent(models.Model):
    """A change of the period's status (or its coach): written once, never changed."""

    period = models.ForeignKey(
        CoachingPeriod,
        verbose_name=_("valmennusjakso"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    effective_on = models.DateField(_("päivämäärä"))
    from_status = models.CharField(
        _("tilasta"), max_length=12, choices=CoachingStatus.choices, blank=True
    )
    to_status = models.CharField(_("tilaan"), max_length=12, choices=CoachingStatus.choices)
    ending_reason = models.CharField(
        _("päättymisen syy"), max_length=16, choices=EndingReason.choices, blank=True
    )
    note = EncryptedTextField(_("huomio"), blank=True)
    actor = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("valmennusjakson tapahtuma")
        verbose_name_plural = _("valmennusjakson tapahtumat")

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status} {self.effective_on}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ImmutableError("Coaching events cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class FormCode(models.TextChoices):
    A = "A", _("A Ammatillinen profiili")
    B = "B", _("B Työnantajatapaaminen")
    C = "C", _("C Työsuhteen alkaminen")
    D = "D", _("D Työsuhteen päättyminen")
    E = "E", _("E Valmennuksesta kieltäytyminen työllistymisen jälkeen")


class CoachingFormAnswer(ClientRecord):
    """One version of one answer to form A, C, D or E (form B goes to the employer register).

    Versions of the same answer share ``thread``; a change is a new row with ``number + 1``.
    """

    period = models.ForeignKey(
        CoachingPeriod,
        verbose_name=_("valmennusjakso"),
        on_delete=models.PROTECT,
        related_name="form_answers",
    )
    form = models.CharField(_("lomake"), max_length=1, choices=FormCode.choices)
    definition_version = models.CharField(_("lomakkeen versio"), max_length=32)
    thread = models.UUIDField(_("vastauksen tunniste"), default=uuid.uuid4)
    number = models.PositiveIntegerField(_("versio"), default=1)
    answered_on = models.DateField(_("päivämäärä"))
    answers_json = EncryptedTextField(_("vastaukset"))
    author = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    placement = models.ForeignKey(
        "Placement",
        verbose_name=_("työsuhde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="form_answers",
    )

    class Meta:
        ordering = ["-answered_on", "-number"]
        verbose_name = _("lomakkeen vastaus")
        verbose_name_plural = _("lomakkeiden vastaukset")
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="coaching_answer_version"),
            models.CheckConstraint(condition=~Q(form="B"), name="coaching_answer_not_form_b"),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number} {self.answered_on}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ImmutableError("Form answers are changed only as new versions.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Toistaiseksi voimassa oleva")
    FIXED_TERM = "fixed_term", _("Määräaikainen")
    APPRENTICESHIP = "apprenticeship", _("Oppisopimus")
    SELF_EMPLOYED = "self_employed", _("Yrittäjyys")
    OTHER = "other", _("Muu")


class EndedBy(models.TextChoices):
    CLIENT = "client", _("Asiakas")
    EMPLOYER = "employer", _("Työnantaja")
    MUTUAL = "mutual", _("Yhteisesti sovittu")
    FIXED_TERM_ENDED = "term_ended", _("Määräaika päättyi")


class Placement(ClientRecord):
    """A job the client holds, as recorded on form C (start) and form D (end).

    The fields mirror the latest versions of those answers, so measures are plain queries.
    """

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    period = models.ForeignKey(
        CoachingPeriod,
        verbose_name=_("valmennusjakso"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("työnantaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    employer_name = models.CharField(_("työnantajan nimi"), max_length=200)
    job_title = models.CharField(_("tehtävänimike"), max_length=200)
    started_on = models.DateField(_("alkoi"))
    ended_on = models.DateField(_("päättyi"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("tunteja viikossa"), max_digits=4, decimal_places=1)
    contract_type = models.CharField(
        _("työsuhteen laji"), max_length=16, choices=ContractType.choices
    )
    competitive = models.BooleanField(_("kilpailtu työ avoimilla työmarkkinoilla"))
    hourly_wage = models.DecimalField(
        _("tuntipalkka (€)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    pay_subsidy = models.BooleanField(_("palkkatuki"), default=False)
    ended_by = models.CharField(_("päättäjä"), max_length=12, choices=EndedBy.choices, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("työsuhde")
        verbose_name_plural = _("työsuhteet")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60),
                name="placement_hours_1_60",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} {self.started_on}"


class SupportContactKind(models.TextChoices):
    CLIENT_MEETING = "client_meeting", _("Tapaaminen asiakkaan kanssa")
    FOLLOW_ALONG = "follow_along", _("Työssä jatkuva tuki")
    PHONE = "phone", _("Puhelu tai viesti asiakkaalle")
    WITH_EMPLOYER = "with_employer", _("Tuki työpaikalla työnantajan kanssa")


class SupportContact(ClientRecord):
    """A contact of the coach with the client (or at the client's workplace) during a period.

    Follow-along support after a job start is recorded here; contacts with employers in job
    development go to the employer register's contact log (form B).
    """

    period = models.ForeignKey(
        CoachingPeriod,
        verbose_name=_("valmennusjakso"),
        on_delete=models.PROTECT,
        related_name="support_contacts",
    )
    contacted_on = models.DateField(_("päivämäärä"))
    kind = models.CharField(
        _("yhteydenoton laji"), max_length=16, choices=SupportContactKind.choices
    )
    face_to_face = models.BooleanField(_("kasvokkain"), default=True)
    note = EncryptedTextField(_("muistiinpano"), blank=True)
    author = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-contacted_on", "-created_at"]
        verbose_name = _("valmennuksen yhteydenotto")
        verbose_name_plural = _("valmennuksen yhteydenotot")
        indexes = [
            models.Index(fields=["period", "contacted_on"], name="support_contact_period_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contacted_on}"


class PlacementFeedback(FeedbackAnswer):
    """The employer's feedback on a placement through a single-use link (the work-trial
    link machinery, ``worktrials.subjects``): client data of the coach's organisation."""

    link = models.OneToOneField(
        FeedbackLink,
        verbose_name=_("linkki"),
        on_delete=models.PROTECT,
        related_name="placement_feedback",
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("työsuhde"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("työnantajan palaute työsuhteesta")
        verbose_name_plural = _("työnantajien palautteet työsuhteista")

    def __str__(self) -> str:
        return f"{self.respondent_name} {self.created_at:%Y-%m-%d}"

    @property
    def ratings(self) -> list[tuple[str, int | None]]:
        return [(str(label), getattr(self, name)) for name, label in RATED]
