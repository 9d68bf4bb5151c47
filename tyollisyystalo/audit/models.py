"""The access and disclosure log: append-only, each entry chained to the previous by HMAC."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("Luku")
    SEARCH = "search", _("Haku")
    CREATE = "create", _("Luonti")
    UPDATE = "update", _("Muutos")
    WITHDRAW = "withdraw", _("Peruminen")
    DISCLOSE = "disclose", _("Luovutus")
    EXPORT = "export", _("Vienti")
    PRINT = "print", _("Tulostus")
    EMERGENCY = "emergency", _("Hätäkäyttö")
    READ_LOG = "read_log", _("Lokin katselu")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Sallittu")
    DENIED = "denied", _("Estetty")


class Basis(models.TextChoices):
    TEAM = "team", _("Oma organisaatio, asiakkaan tiimi")
    DUTY = "duty", _("Oma organisaatio, tehtävän perusteella")
    CONSENT = "consent", _("Suostumus")
    STATUTE = "statute", _("Laki")
    EMERGENCY = "emergency", _("Hätäkäyttö")
    OVERSIGHT = "oversight", _("Valvonta")
    NONE = "", _("Ei perustetta")


class AppendOnlyError(RuntimeError):
    """Access log entries are never changed or deleted."""


LEGACY_CHAIN = "legacy"
SYSTEM_CHAIN = "system"


def organisation_chain(organisation_id: int) -> str:
    """The chain of a register keeper: its staff members' entries go there."""
    return f"org-{organisation_id}"


class AccessLogEntry(models.Model):
    chain = models.CharField(_("ketju"), max_length=40)
    seq = models.BigIntegerField(_("järjestysnumero"))
    at = models.DateTimeField(_("aika"), db_index=True)
    request_id = models.CharField(_("pyynnön tunniste"), max_length=64)
    actor_user_id = models.IntegerField(_("käyttäjän tunniste"), null=True, db_index=True)
    actor_name = models.CharField(_("käyttäjä"), max_length=200)
    actor_organisation_id = models.IntegerField(_("organisaation tunniste"), null=True)
    actor_organisation_name = models.CharField(_("organisaatio"), max_length=200)
    actor_role = models.CharField(_("rooli"), max_length=32)
    client_id = models.UUIDField(_("asiakas"), null=True, db_index=True)
    categories = models.CharField(_("tietoryhmät"), max_length=300)
    action = models.CharField(_("toiminto"), max_length=16, choices=Action.choices)
    outcome = models.CharField(_("tulos"), max_length=8, choices=Outcome.choices)
    basis = models.CharField(_("peruste"), max_length=16, choices=Basis.choices, blank=True)
    consent_id = models.IntegerField(_("suostumus"), null=True)
    object_type = models.CharField(_("kohteen tyyppi"), max_length=64, blank=True)
    object_id = models.CharField(_("kohteen tunniste"), max_length=64, blank=True)
    purpose = models.CharField(_("käyttötarkoitus"), max_length=200, blank=True)
    key_id = models.CharField(_("avaimen tunniste"), max_length=8)
    prev_hash = models.CharField(_("edellinen tiiviste"), max_length=64)
    hash = models.CharField(_("tiiviste"), max_length=64, unique=True)

    class Meta:
        # Entries of different chains are ordered by time; ``id`` orders the rows of one call.
        ordering = ["-at", "-id"]
        verbose_name = _("lokimerkintä")
        verbose_name_plural = _("lokimerkinnät")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="log_chain_seq")]
        indexes = [models.Index(fields=["actor_user_id", "-at"], name="log_actor_at")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Access log entries cannot be deleted.")

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def category_labels(self) -> str:
        """The categories in the reader's language (codes of removed categories as they are)."""
        from tyollisyystalo.clients.categories import DataCategory

        labels = dict(DataCategory.choices)
        return ", ".join(str(labels.get(c, c)) for c in self.category_list)

    @property
    def role_label(self) -> str:
        from tyollisyystalo.staff.roles import Role

        return str(dict(Role.choices).get(self.actor_role, self.actor_role))


class ChainHead(models.Model):
    """One row per chain: serialises that chain's appends and remembers its last link.

    Chains: one per organisation (``org-<id>``) for its staff members' entries, ``system`` for
    entries without a staff organisation, and ``legacy`` for the single chain before ADR 0019.
    """

    chain = models.CharField(_("ketju"), max_length=40, primary_key=True)
    organisation_id = models.IntegerField(_("organisaation tunniste"), null=True)
    seq = models.BigIntegerField(_("viimeisin järjestysnumero"), default=0)
    hash = models.CharField(_("viimeisin tiiviste"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("lokiketjun pää")
        verbose_name_plural = _("lokiketjujen päät")

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}"


class LogCheckpoint(models.Model):
    """A signed checkpoint written to the external sink (the sink holds the evidence).

    This table only remembers what was sent and when, so a run writes a chain's checkpoint
    again only when its head moved and the interval passed.
    """

    chain = models.CharField(_("ketju"), max_length=40)
    seq = models.BigIntegerField(_("järjestysnumero"))
    hash = models.CharField(_("tiiviste"), max_length=64)
    at = models.DateTimeField(_("aika"))
    sinks = models.CharField(_("kohteet"), max_length=300)

    class Meta:
        verbose_name = _("lokin tarkistuspiste")
        verbose_name_plural = _("lokin tarkistuspisteet")
        indexes = [models.Index(fields=["chain", "-at"], name="log_checkpoint_chain_at")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}"


class LogErasureAnchor(models.Model):
    """The signed point a chain was erased through after its retention period (ADR 0024).

    Entries of ``chain`` with ``seq`` at or below the newest anchor's may be deleted (the
    database trigger lets nothing else go); the first entry left links to ``hash``. Anchors are
    append-only: never changed or deleted. No personal data: a chain, numbers and times.
    """

    chain = models.CharField(_("ketju"), max_length=40)
    seq = models.BigIntegerField(_("poistettu järjestysnumeroon asti"))
    hash = models.CharField(_("viimeisen poistetun tiiviste"), max_length=64)
    erased_count = models.BigIntegerField(_("poistettuja merkintöjä"))
    newest_erased_at = models.DateTimeField(_("uusimman poistetun aika"))
    created_at = models.DateTimeField(_("luotu"))
    key_id = models.CharField(_("avaimen tunniste"), max_length=8)
    signature = models.CharField(_("allekirjoitus"), max_length=64)

    class Meta:
        ordering = ["chain", "-seq"]
        verbose_name = _("lokin poistoankkuri")
        verbose_name_plural = _("lokin poistoankkurit")
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="log_erasure_anchor_chain_seq")
        ]

    def __str__(self) -> str:
        return f"{self.chain}#≤{self.seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Log erasure anchors cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Log erasure anchors cannot be deleted.")
