"""Work-trial feedback from the host through a single-use, expiring, revocable link."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.models import Client, ClientRecord
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember

# The structured part of the host's feedback (DOMAIN.md §4 step 7): each rated 1-5.
RATED = (
    ("attendance", _("Läsnäolo ja täsmällisyys")),
    ("pace", _("Työtahti")),
    ("quality", _("Työn laatu")),
    ("learning", _("Oppiminen")),
    ("instructions", _("Ohjeiden noudattaminen")),
    ("social", _("Vuorovaikutus työyhteisössä")),
    ("safety", _("Työturvallisuus")),
)


class Rating(models.IntegerChoices):
    WEAK = 1, _("1 – Heikko")
    FAIR = 2, _("2 – Välttävä")
    SATISFACTORY = 3, _("3 – Tyydyttävä")
    GOOD = 4, _("4 – Hyvä")
    EXCELLENT = 5, _("5 – Erinomainen")


class FeedbackLink(models.Model):
    """One link for one host. Only a hash of the token is stored: the link is shown once.

    A link is about a work trial of a service path (``case``) or about a subject another app
    registered (``subject_kind`` and ``subject_id``, e.g. a job coaching placement:
    ``worktrials.subjects``); the token, expiry, single use and the host's form are the same.
    """

    case = models.ForeignKey(
        Case,
        verbose_name=_("palvelupolku"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    subject_kind = models.CharField(_("palautteen kohde"), max_length=32, default="work_trial")
    subject_id = models.CharField(_("kohteen tunniste"), max_length=64, blank=True)
    # Whose client data the link is (the path's or the subject's): the eraser finds every link
    # through these, whatever its subject.
    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("rekisterinpitäjä"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("tietoryhmä"), max_length=32)
    token_hash = models.CharField(_("tunnisteen tiiviste"), max_length=64, unique=True)
    trial_label = models.CharField(
        _("työkokeilu"),
        max_length=200,
        help_text=_("Isäntä näkee tämän, esimerkiksi ”Klaus, varastotyö 1.–28.2.”."),
    )
    host_name = models.CharField(_("työkokeilun järjestäjä"), max_length=200)
    host_email = models.EmailField(_("järjestäjän sähköposti"), blank=True)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("luonut"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("luotu"))
    expires_at = models.DateTimeField(_("vanhenee"))
    used_at = models.DateTimeField(_("käytetty"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("perunut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("palautelinkki")
        verbose_name_plural = _("palautelinkit")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="link_expires_after"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="link_revoked_has_who",
            ),
            models.CheckConstraint(
                condition=Q(subject_kind="work_trial", case__isnull=False)
                | (~Q(subject_kind="work_trial") & ~Q(subject_id="")),
                name="link_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.host_name

    def state(self, at: dt.datetime) -> str:
        """open, used, revoked or expired (in that order of precedence)."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= at:
            return "expired"
        return "open"


class FeedbackAnswer(ClientRecord):
    """What a host or employer answers through a feedback link: ratings and free text."""

    respondent_name = models.CharField(_("vastaaja"), max_length=200)
    attendance = models.PositiveSmallIntegerField(
        _("läsnäolo ja täsmällisyys"), null=True, choices=Rating.choices
    )
    pace = models.PositiveSmallIntegerField(_("työtahti"), null=True, choices=Rating.choices)
    quality = models.PositiveSmallIntegerField(_("työn laatu"), null=True, choices=Rating.choices)
    learning = models.PositiveSmallIntegerField(_("oppiminen"), null=True, choices=Rating.choices)
    instructions = models.PositiveSmallIntegerField(
        _("ohjeiden noudattaminen"), null=True, choices=Rating.choices
    )
    social = models.PositiveSmallIntegerField(
        _("vuorovaikutus työyhteisössä"), null=True, choices=Rating.choices
    )
    safety = models.PositiveSmallIntegerField(
        _("työturvallisuus"), null=True, choices=Rating.choices
    )
    strengths = EncryptedTextField(_("vahvuudet"), blank=True)
    adjustments = EncryptedTextField(_("auttaneet järjestelyt"), blank=True)
    free_text = EncryptedTextField(_("muuta"), blank=True)

    class Meta:
        abstract = True


class WorkTrialFeedback(FeedbackAnswer):
    """The host's answer: ratings and free text, part of the functional assessment."""

    link = models.OneToOneField(
        FeedbackLink, verbose_name=_("linkki"), on_delete=models.PROTECT, related_name="feedback"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("työkokeilun palaute")
        verbose_name_plural = _("työkokeilun palautteet")
        constraints = [
            models.CheckConstraint(
                condition=Q(category="assessments"), name="worktrial_feedback_assessments"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent_name} {self.created_at:%Y-%m-%d}"

    @property
    def ratings(self) -> list[tuple[str, int | None]]:
        return [(str(label), getattr(self, name)) for name, label in RATED]
