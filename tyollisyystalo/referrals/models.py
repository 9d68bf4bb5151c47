"""Closed-loop referrals: sent with a reason and chosen data, accepted or declined, completed."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.consents.models import Consent
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Lähetetty")
    ACCEPTED = "accepted", _("Hyväksytty")
    DECLINED = "declined", _("Hylätty")
    COMPLETED = "completed", _("Valmis")
    CANCELLED = "cancelled", _("Peruttu")


ANSWERED = [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED]


class Referral(ClientRecord):
    """A referral from the sending organisation (the owner) to a receiving organisation.

    ``shared_categories`` are the only client data the receiver sees through the referral,
    and only while the client's consent covers each of them.
    """

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("palvelu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receiving_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("vastaanottaja"),
        on_delete=models.PROTECT,
        related_name="received_referrals",
    )
    reason = EncryptedTextField(_("ohjauksen syy"))
    shared_categories = models.CharField(_("jaetut tietoryhmät"), max_length=300)
    # The consent that let the sender disclose the client's identity, and so the referral
    # itself, to the receiver: the basis logged when the receiver reads the referral.
    disclosed_under = models.ForeignKey(
        Consent,
        verbose_name=_("luovutuksen suostumus"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("tila"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_by = models.ForeignKey(
        StaffMember, verbose_name=_("lähettäjä"), on_delete=models.PROTECT, related_name="+"
    )
    answer_due_on = models.DateField(_("vastaus viimeistään"))
    answered_at = models.DateTimeField(_("vastattu"), null=True, blank=True)
    answered_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("vastaaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = EncryptedTextField(_("hylkäämisen syy"), blank=True)
    completed_at = models.DateTimeField(_("valmistunut"), null=True, blank=True)
    result = EncryptedTextField(_("tulos"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lähete")
        verbose_name_plural = _("lähetteet")
        indexes = [
            models.Index(fields=["receiving_organisation", "status"], name="referral_receiver"),
            models.Index(fields=["case", "status"], name="referral_case_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(answered_at__isnull=True),
                name="referral_sent_is_unanswered",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="referral_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receiving_organisation} {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("referrals:detail", kwargs={"referral_id": self.id})

    @property
    def categories(self) -> list[str]:
        return [c for c in self.shared_categories.split(",") if c]
