"""Survey invitations and answers, kept apart (issue 15 part 1).

An invitation knows who was asked (a client, an employer about a placement, a staff member),
why (the moment) and whether it has been used; it never holds the answer. An answer knows the
survey and version, the organisation and municipality it counts for and the month it was
given; never the person, the invitation, the link or the time of day. Nothing joins the two:
no foreign key, no shared id, no shared time finer than a month, and random UUID keys so that
the order of rows gives nothing away either.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.models import Client
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember

CLIENT_SATISFACTION = "client_satisfaction"
WORK_ABILITY_CHANGE = "work_ability_change"
EMPLOYER_FEEDBACK = "employer_feedback"
COOPERATION = "cooperation"


class Moment(models.TextChoices):
    PATH_CLOSED = "path_closed", _("Palvelupolku päättyi")
    PATH_SIX_MONTHS = "path_six_months", _("Puoli vuotta palvelupolun alusta")
    PLACEMENT_ENDED = "placement_ended", _("Työsuhde päättyi")
    COOPERATION_ROUND = "cooperation_round", _("Puolivuotiskysely verkostolle")


class Invitation(models.Model):
    """One request to answer one survey, by link or (for clients) on their own pages.

    ``token_hash`` is the SHA-256 of the link's token, set when a link is made (by e-mail or as
    an SMS-ready text); the token itself is shown once and stored nowhere. ``used`` is only a
    flag: when or what was answered is not recorded here.
    """

    survey = models.CharField(_("kysely"), max_length=40)
    version = models.CharField(_("versio"), max_length=16)
    moment = models.CharField(_("hetki"), max_length=32, choices=Moment.choices)
    client = models.ForeignKey(
        Client,
        verbose_name=_("asiakas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("palvelupolku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    placement_id = models.UUIDField(_("työsuhde"), null=True, blank=True)
    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("ammattilainen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.CharField(_("kyselykierros"), max_length=8, blank=True)
    # The organisation the answer counts for; for a client's invitation also whose client data
    # the invitation is (with ``category``: the path's or the placement's), as on the card.
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("tietoryhmä"), max_length=32, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kunta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    email = EncryptedTextField(_("sähköposti"), blank=True)
    token_hash = models.CharField(
        _("tunnisteen tiiviste"), max_length=64, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("luotu"))
    expires_at = models.DateTimeField(_("vanhenee"))
    sent_on = models.DateField(_("lähetetty"), null=True, blank=True)
    reminded_on = models.DateField(_("muistutettu"), null=True, blank=True)
    used = models.BooleanField(_("vastattu"), default=False)

    class Meta:
        verbose_name = _("kyselykutsu")
        verbose_name_plural = _("kyselykutsut")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_after"
            ),
            models.UniqueConstraint(
                fields=["survey", "case", "moment"],
                condition=Q(case__isnull=False),
                name="invitation_once_per_path_moment",
            ),
            models.UniqueConstraint(
                fields=["survey", "placement_id"],
                condition=Q(placement_id__isnull=False),
                name="invitation_once_per_placement",
            ),
            models.UniqueConstraint(
                fields=["survey", "staff", "round"],
                condition=Q(staff__isnull=False),
                name="invitation_once_per_staff_round",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "used"], name="invitation_client_open"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.moment}"

    def state(self, at: dt.datetime) -> str:
        """open, used or expired."""
        if self.used:
            return "used"
        if self.expires_at <= at:
            return "expired"
        return "open"


class Counted(models.Model):
    """What an answer counts for: the survey, the organisation and municipality, the month."""

    survey = models.CharField(_("kysely"), max_length=40)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kunta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    month = models.DateField(_("kuukausi"), help_text=_("Vastauskuukauden ensimmäinen päivä."))

    class Meta:
        abstract = True


class Answer(Counted):
    """One anonymous answer: what it counts for, never who gave it (random key, month only)."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    version = models.CharField(_("versio"), max_length=16)
    # Free texts (employer feedback), as JSON {item: text}; encrypted like every free text.
    texts = EncryptedTextField(_("vapaat vastaukset"), blank=True)

    class Meta:
        verbose_name = _("kyselyvastaus")
        verbose_name_plural = _("kyselyvastaukset")
        # Covering the results' counts per municipality (no table reads at 50,000 answers).
        indexes = [
            models.Index(
                fields=["survey", "month", "organisation", "municipality"], name="answer_counts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.month:%m/%Y}"


class AnswerValue(Counted):
    """One number of an answer (a scale value, yes 1 / no 0), with what it counts for copied
    from the answer, so that means and distributions are one indexed query."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(
        Answer, verbose_name=_("vastaus"), on_delete=models.CASCADE, related_name="values"
    )
    item = models.CharField(_("kysymys"), max_length=40)
    value = models.SmallIntegerField(_("arvo"))

    class Meta:
        verbose_name = _("vastauksen arvo")
        verbose_name_plural = _("vastausten arvot")
        # Covering ``scale_answers`` and the results' distributions: the value is in the index.
        indexes = [
            models.Index(
                fields=["survey", "month", "organisation", "item", "value", "municipality"],
                name="value_covering",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["answer", "item"], name="value_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.survey}.{self.item}={self.value}"
