"""One shared plan per path and type: versions with who/when, and each party's acknowledgement."""

from __future__ import annotations

import json
import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRecord, Language
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.plans.content import Content, content_from_json
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class PlanType(models.TextChoices):
    CLIENT = "client", _("Asiakassuunnitelma")
    ACTIVATION = "activation", _("Aktivointisuunnitelma")
    MULTISECTOR = "multisector", _("Monialainen työllistymissuunnitelma (TYP)")


class Plan(ClientRecord):
    """A plan made with the client on one path. The content lives in its versions."""

    id = models.UUIDField(_("tunniste"), primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, verbose_name=_("palvelupolku"), on_delete=models.PROTECT, related_name="plans"
    )
    plan_type = models.CharField(_("suunnitelman laji"), max_length=16, choices=PlanType.choices)
    language = models.CharField(
        _("suunnitelman kieli"), max_length=5, choices=Language.choices, default=Language.FI
    )
    started_on = models.DateField(_("laadittu"))
    mapping_started_on = models.DateField(_("kartoitusjakso alkoi"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("tarkistettu viimeksi"), null=True, blank=True)
    current_number = models.PositiveIntegerField(_("nykyinen versio"), default=1)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("suunnitelma")
        verbose_name_plural = _("suunnitelmat")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "plan_type"], name="one_plan_per_case_and_type"
            ),
            models.CheckConstraint(
                condition=Q(category=DataCategory.PLAN), name="plan_category_plan"
            ),
            models.CheckConstraint(
                condition=Q(plan_type="multisector") | Q(mapping_started_on__isnull=True),
                name="plan_mapping_only_for_multisector",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} {self.started_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:detail", kwargs={"plan_id": self.id})


class PlanVersion(models.Model):
    """The whole content of the plan as saved once; never changed afterwards."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("suunnitelma"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versio"))
    content_json = EncryptedTextField(_("sisältö"))
    note = EncryptedTextField(_("muutoksen kuvaus"), blank=True)
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("tallentaja"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tallennettu"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("suunnitelman versio")
        verbose_name_plural = _("suunnitelman versiot")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"

    @cached_property
    def content(self) -> Content:
        return content_from_json(json.loads(self.content_json))


class AcknowledgementParty(models.TextChoices):
    CLIENT = "client", _("Asiakas")
    ORGANISATION = "organisation", _("Organisaatio")


class AcknowledgementMethod(models.TextChoices):
    SIGNATURE = "signature", _("Allekirjoitus paperilla")
    ELECTRONIC = "electronic", _("Sähköinen hyväksyntä")
    ORAL = "oral", _("Suullinen hyväksyntä tapaamisessa")


class PlanAcknowledgement(models.Model):
    """A party's acknowledgement (or signature) of one version.

    Given by the party itself in the service (``given_by_party``: the client on their own pages,
    a professional for their organisation), recorded by the coordinator from paper or a meeting,
    or carried forward from the previous version when the party's part did not change.
    """

    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("versio"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    party = models.CharField(_("osapuoli"), max_length=16, choices=AcknowledgementParty.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("osapuolen organisaatio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisaatio"), max_length=200, blank=True)
    person_name = models.CharField(_("henkilö"), max_length=200, blank=True)
    method = models.CharField(_("tapa"), max_length=16, choices=AcknowledgementMethod.choices)
    acknowledged_on = models.DateField(_("päivä"))
    given_by_party = models.BooleanField(_("osapuoli kuittasi itse"), default=False)
    # The version this acknowledgement was first given on, when it carried forward.
    carried_from_number = models.PositiveIntegerField(_("siirtyi versiosta"), null=True, blank=True)
    # Who wrote it: the coordinator (from paper), or the professional who acknowledged for
    # their organisation; none when the client acknowledged on their own pages.
    recorded_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("kirjaaja"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("kirjattu"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("suunnitelman hyväksyntä")
        verbose_name_plural = _("suunnitelman hyväksynnät")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "party", "organisation_name"],
                name="one_acknowledgement_per_party",
            ),
            models.UniqueConstraint(
                fields=["version", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_acknowledgement_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} v{self.version_id}"


class PlanParty(models.Model):
    """A party whose acknowledgement a version waits for (``organisation`` empty: the client).

    Kept as rows so the lists of plans waiting for a client or an organisation are queries; the
    content itself is encrypted. ``asked`` is false when the party's part did not change from
    the previous version (its acknowledgement, if any, carried forward).
    """

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("versio"), on_delete=models.PROTECT, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisaatio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    asked = models.BooleanField(_("osuus muuttui"), default=True)

    class Meta:
        verbose_name = _("suunnitelman osapuoli")
        verbose_name_plural = _("suunnitelman osapuolet")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="plan_party_once_per_version"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(organisation__isnull=True),
                name="plan_client_party_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version_id} {self.organisation_id or 'client'}"


class PlanComment(models.Model):
    """A party's comment on a version ("Haluan muutoksia"): the client's or an organisation's."""

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("versio"), on_delete=models.PROTECT, related_name="comments"
    )
    party = models.CharField(_("osapuoli"), max_length=16, choices=AcknowledgementParty.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisaatio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        StaffMember,
        verbose_name=_("kirjoittaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tyhjä, kun asiakas kirjoitti omilla sivuillaan."),
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = EncryptedTextField(_("kommentti"))
    created_at = models.DateTimeField(_("kirjoitettu"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("suunnitelman kommentti")
        verbose_name_plural = _("suunnitelman kommentit")

    def __str__(self) -> str:
        return f"{self.party} v{self.version_id}"
