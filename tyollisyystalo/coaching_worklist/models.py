"""What the coach's worklist has reminded by e-mail: one row per item and due date, so a
reminder is sent once however often ``run_scheduled`` runs (ADR 0012)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.staff.models import StaffMember


class WorklistReminder(models.Model):
    """An item of a coach's worklist that was reminded. ``item`` is the item's kind and the
    identifier of its row (a period, module or contact), never a name or free text."""

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("valmentaja"), on_delete=models.CASCADE, related_name="+"
    )
    item = models.CharField(_("tehtävä"), max_length=80)
    due_on = models.DateField(_("erääntyi"))
    sent_at = models.DateTimeField(_("muistutettu"), default=timezone.now)

    class Meta:
        verbose_name = _("työlistan muistutus")
        verbose_name_plural = _("työlistan muistutukset")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "item", "due_on"], name="worklist_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.due_on}"
