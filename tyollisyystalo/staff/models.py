"""Staff members: a login user working for one organisation in one professional role."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.access.policy import Capability, has_capability
from tyollisyystalo.organisations.models import Organisation, Unit
from tyollisyystalo.staff.roles import Role


def display_name_of(first_name: str, last_name: str, username: str) -> str:
    """A staff member's name as pages show it: the full name, or the username without one
    (for lists that read the three columns instead of building the user)."""
    return f"{first_name} {last_name}".strip() or username


class StaffMember(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.PROTECT,
        related_name="staff_member",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisaatio"), on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("yksikkö"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    role = models.CharField(_("ammattirooli"), max_length=32, choices=Role.choices)
    title = models.CharField(_("tehtävänimike"), max_length=120, blank=True)
    is_active = models.BooleanField(_("voimassa"), default=True)
    # Where client work begins after login: My clients, or the worklist (the person's choice).
    start_view = models.CharField(
        _("aloitussivu"),
        max_length=16,
        choices=[("caseload", _("Asiakkaani")), ("worklist", _("Työlista"))],
        default="caseload",
    )

    # Away (holiday, sick leave) until this day: the clients' new messages go to the deputy too.
    away_until = models.DateField(_("poissa saakka"), null=True, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("työntekijä")
        verbose_name_plural = _("työntekijät")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()}, {self.organisation})"

    def is_away(self, day: dt.date) -> bool:
        return self.away_until is not None and day <= self.away_until

    @property
    def display_name(self) -> str:
        return display_name_of(self.user.first_name, self.user.last_name, self.user.username)

    def can(self, capability: Capability) -> bool:
        return self.is_active and has_capability(self.role, capability)

    def clean(self) -> None:
        if self.unit is not None and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": _("Yksikön on kuuluttava työntekijän organisaatioon.")})
