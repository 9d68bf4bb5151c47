"""A client's own login: one user account bound to one client, never to a staff member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import Client


class ClientAccount(models.Model):
    """Made at the first strong identification (OIDC) or by the demo seed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjätunnus"),
        on_delete=models.CASCADE,
        related_name="client_account",
    )
    client = models.OneToOneField(
        Client, verbose_name=_("asiakas"), on_delete=models.CASCADE, related_name="account"
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)

    class Meta:
        verbose_name = _("asiakkaan tunnus")
        verbose_name_plural = _("asiakkaiden tunnukset")

    def __str__(self) -> str:
        return str(self.client_id)
