"""The client's service path (palvelupolku): a case with its immutable events and deadlines."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.states import Status
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class EntryRoute(models.TextChoices):
    EMPLOYMENT_SERVICES = "employment_services", _("Työllisyyspalveluiden kautta")
    SOCIAL_HEALTH = "social_health", _("Sosiaali- ja terveyspalveluiden kautta")
    SELF = "self", _("Asiakas otti itse yhteyttä")
    PORTAL = "portal", _("Yhteydenottopyyntö verkkopalvelusta")


class CaseStatus(models.TextChoices):
    REFERRED = Status.REFERRED.value, _("Ohjattu")
    INTAKE = Status.INTAKE.value, _("Alkukartoitus")
    ACTIVE = Status.ACTIVE.value, _("Aktiivinen")
    CLOSED = Status.CLOSED.value, _("Päättynyt")


class CaseOutcome(models.TextChoices):
    """How the path ended (seed 001's three outcomes first, then the other real endings)."""

    JOB_OR_STUDY = "job_or_study", _("Sai työ- tai opiskelupaikan")
    INDEPENDENT = "independent", _("Pärjää omillaan ja vahvistaa työ- ja toimintakykyä itse")
    MOVED_TO_TYP = "moved_to_typ", _("Siirtyi monialaiseen yhteispalveluun (TYP)")
    MOVED_AWAY = "moved_away", _("Muutti pois alueelta")
    DECLINED = "declined", _("Ei halunnut palvelua")
    PENSION = "pension", _("Siirtyi eläkkeelle")
    NO_CONTACT = "no_contact", _("Yhteyttä ei saatu")
    OTHER = "other", _("Muu syy")


OPEN = [CaseStatus.REFERRED.value, CaseStatus.INTAKE.value, CaseStatus.ACTIVE.value]


class Case(ClientRecord):
    """One service path of a client in one organisation, from referral to outcome.

    ``status``, ``started_on``, ``closed_on`` and ``outcome`` are the current state; how it got
    there is in ``CaseEvent`` rows, never changed. A client has at most one open path per
    organisation; closed paths stay as history.
    """

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    entry_route = models.CharField(_("tulokanava"), max_length=32, choices=EntryRoute.choices)
    referrer_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("ohjannut organisaatio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referrer_name = models.CharField(_("ohjaaja"), max_length=150, blank=True)
    coordinator = models.ForeignKey(
        StaffMember,
        verbose_name=_("vastuuhenkilö"),
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    deputy = models.ForeignKey(
        StaffMember,
        verbose_name=_("varahenkilö"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_cases",
    )
    status = models.CharField(
        _("tila"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    referred_on = models.DateField(_("ohjattu"))
    started_on = models.DateField(_("alkanut"), null=True, blank=True)
    closed_on = models.DateField(_("päättynyt"), null=True, blank=True)
    outcome = models.CharField(
        _("lopputulos"), max_length=32, choices=CaseOutcome.choices, blank=True
    )
    outcome_on = models.DateField(_("lopputuloksen päivä"), null=True, blank=True)

    class Meta:
        ordering = ["-referred_on", "-created_at"]
        verbose_name = _("palvelupolku")
        verbose_name_plural = _("palvelupolut")
        indexes = [
            models.Index(fields=["coordinator", "status"], name="case_coordinator_status"),
            models.Index(fields=["deputy", "status"], name="case_deputy_status"),
            models.Index(fields=["client", "owner_organisation"], name="case_client_org"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "owner_organisation"],
                condition=Q(status__in=OPEN),
                name="one_open_case_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(category=DataCategory.PLAN), name="case_category_plan"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN, closed_on__isnull=True)
                | Q(status=CaseStatus.CLOSED, closed_on__isnull=False, outcome__gt=""),
                name="case_closed_has_date_and_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CaseStatus.INTAKE, CaseStatus.ACTIVE])
                | Q(started_on__isnull=False),
                name="case_started_when_in_intake_or_active",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | Q(outcome__gt="", outcome_on__isnull=False),
                name="case_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=F("coordinator")),
                name="case_deputy_is_not_coordinator",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("referred_on")),
                name="case_starts_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_route_display()} {self.referred_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", kwargs={"case_id": self.id})

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class EventKind(models.TextChoices):
    OPENED = "opened", _("Palvelupolku avattiin")
    STATUS = "status", _("Tila muuttui")
    OUTCOME = "outcome", _("Lopputulos kirjattiin")
    COORDINATOR = "coordinator", _("Vastuuhenkilö vaihtui")
    REVIEW = "review", _("Arviointi pidettiin")


class ImmutableError(RuntimeError):
    """Path events are never changed or deleted."""


class CaseEvent(models.Model):
    """What happened to a path, by whom, when and why. Append-only."""

    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("tapahtuma"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("aika"), default=timezone.now)
    effective_on = models.DateField(_("päivämäärä"))
    actor = models.ForeignKey(
        StaffMember, verbose_name=_("tekijä"), on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(
        _("tilasta"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("tilaan"), max_length=16, choices=CaseStatus.choices, blank=True)
    outcome = models.CharField(
        _("lopputulos"), max_length=32, choices=CaseOutcome.choices, blank=True
    )
    reason = EncryptedTextField(_("perustelu"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("palvelupolun tapahtuma")
        verbose_name_plural = _("palvelupolun tapahtumat")
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("Path events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("Path events cannot be deleted.")


class DeadlineKind(models.TextChoices):
    INTERIM_REVIEW = "interim_review", _("Väliarviointi")
    FINAL_REVIEW = "final_review", _("Loppuarviointi")
    PLAN_REVIEW = "plan_review", _("Suunnitelman tarkistus")
    TYP_MAPPING = "typ_mapping", _("TYP-kartoitusjakso päättyy")
    REFERRAL_ANSWER = "referral_answer", _("Lähete odottaa vastausta")


class CaseDeadline(models.Model):
    """A dated duty on the path: a review or a statutory plan deadline, done or still open.

    Stored, not computed on every page, so the worklist is one indexed query whatever the
    number of paths, and the reminder job knows what it has already sent.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="deadlines"
    )
    kind = models.CharField(_("määräaika"), max_length=20, choices=DeadlineKind.choices)
    months = models.PositiveSmallIntegerField(_("kuukautta"), default=0)
    due_on = models.DateField(_("eräpäivä"))
    legal_source = models.CharField(_("säädösperusta"), max_length=120, blank=True)
    plan_id = models.UUIDField(_("suunnitelma"), null=True, blank=True)
    referral_id = models.UUIDField(_("lähete"), null=True, blank=True)
    done_on = models.DateField(_("tehty"), null=True, blank=True)
    done_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("tekijä"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    summary = EncryptedTextField(_("yhteenveto"), blank=True)
    reminded_on = models.DateField(_("muistutettu"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("määräaika")
        verbose_name_plural = _("määräajat")
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(done_on__isnull=True, cancelled_at__isnull=True),
                name="deadline_open_due",
            ),
            models.Index(fields=["case", "due_on"], name="deadline_case_due"),
            # A path's next open deadline in one index seek (My clients sorts by it).
            models.Index(
                fields=["case", "due_on"],
                condition=Q(done_on__isnull=True, cancelled_at__isnull=True),
                name="deadline_case_open_due",
            ),
            models.Index(fields=["plan_id"], name="deadline_plan"),
            models.Index(fields=["referral_id"], name="deadline_referral"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_by__isnull=False),
                name="deadline_done_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.cancelled_at is None


class Consultation(models.Model):
    """A multi-professional team consultation (DOMAIN.md §4 step 4) held by one organisation.

    Its agenda items are client data of the paths they concern: who may see an item is decided
    per path by the gatekeeper, as for the path itself.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("järjestäjä"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("päivä"))
    title = models.CharField(_("aihe"), max_length=200)
    facilitator = models.ForeignKey(
        StaffMember, verbose_name=_("puheenjohtaja"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.ManyToManyField(
        StaffMember, verbose_name=_("läsnä"), related_name="consultations", blank=True
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("tiimin konsultaatio")
        verbose_name_plural = _("tiimin konsultaatiot")

    def __str__(self) -> str:
        return f"{self.title} {self.held_on}"


class ConsultationItem(models.Model):
    """One client's path on a consultation's agenda, with what was decided (encrypted)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("konsultaatio"), on_delete=models.PROTECT, related_name="items"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="consultations"
    )
    question = EncryptedTextField(_("kysymys tiimille"), blank=True)
    decisions = EncryptedTextField(_("päätökset"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("asialistan kohta")
        verbose_name_plural = _("asialistan kohdat")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "case"], name="one_item_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.case_id}"


class FollowUpTask(models.Model):
    """A task agreed in a consultation, with a named person and a due date."""

    item = models.ForeignKey(
        ConsultationItem, verbose_name=_("kohta"), on_delete=models.PROTECT, related_name="tasks"
    )
    description = EncryptedTextField(_("tehtävä"))
    responsible = models.ForeignKey(
        StaffMember, verbose_name=_("vastuuhenkilö"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_on = models.DateField(_("määräpäivä"))
    done_at = models.DateTimeField(_("tehty"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("sovittu tehtävä")
        verbose_name_plural = _("sovitut tehtävät")
        indexes = [
            models.Index(
                fields=["responsible", "due_on"],
                condition=Q(done_at__isnull=True),
                name="task_open_by_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.responsible_id} {self.due_on}"
