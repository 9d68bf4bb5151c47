"""In-app notifications: what is new for one user, linked to the thing, read or unread.

A notification carries no client data: its visible text is the kind's fixed label, and the page
it links to decides access itself when opened (ADR 0031).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    INVITATION = "invitation", _("Kutsu asiakkaan tiimiin")
    REFERRAL_ANSWER = "referral_answer", _("Lähetteeseen on vastattu")
    MESSAGE = "message", _("Uusi viesti")
    ACKNOWLEDGEMENT = "acknowledgement", _("Suunnitelmaa on kuitattu tai kommentoitu")
    ACKNOWLEDGEMENT_REQUESTED = "acknowledgement_requested", _("Suunnitelma odottaa kuittaustasi")
    CONTACT_REQUEST = "contact_request", _("Uusi yhteydenottopyyntö")
    DUE_ITEM = "due_item", _("Määräaika lähestyy tai on ohitettu")
    APPOINTMENT = "appointment", _("Tapaaminen on varattu tai sitä on muutettu")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastaanottaja"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("aihe"), max_length=32, choices=NotificationKind.choices)
    # A path on this site ("/polut/…/"), never an outside address.
    url = models.CharField(_("linkki"), max_length=300)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    read_at = models.DateTimeField(_("luettu"), null=True, blank=True)

    class Meta:
        verbose_name = _("ilmoitus")
        verbose_name_plural = _("ilmoitukset")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """A user's choice of a daily e-mail digest (a count and a link, never content)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_digest = models.BooleanField(_("päivittäinen yhteenveto sähköpostiin"), default=False)
    digest_sent_at = models.DateTimeField(_("yhteenveto lähetetty"), null=True, blank=True)

    class Meta:
        verbose_name = _("ilmoitusasetus")
        verbose_name_plural = _("ilmoitusasetukset")

    def __str__(self) -> str:
        return f"{self.user_id} digest={self.email_digest}"
