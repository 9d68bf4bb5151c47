"""What is known about a client for the statutory rules, stored as client data."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class ClientRuleFacts(ClientRecord):
    """One saved version of a client's rule facts (the facts vocabulary, docs/rules.md).

    Append-only: a change saves a new version, so every answer can be traced to the facts and
    the person behind it. The newest readable version is the current one.
    """

    author = models.ForeignKey(
        StaffMember, verbose_name=_("kirjaaja"), on_delete=models.PROTECT, related_name="+"
    )
    facts_json = EncryptedTextField(_("tiedot"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sääntöjen tiedot")
        verbose_name_plural = _("sääntöjen tiedot")
        indexes = [
            models.Index(
                fields=["client", "owner_organisation", "-created_at"], name="rulefacts_client_org"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category=DataCategory.EMPLOYMENT_SERVICES),
                name="rulefacts_category_employment_services",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"

    @property
    def facts(self) -> dict[str, Any]:
        """The known facts, JSON-ready (ISO dates)."""
        data: dict[str, Any] = json.loads(self.facts_json)
        return data
