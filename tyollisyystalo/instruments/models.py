"""Answers to instruments, stored per client with the instrument version, and the suggestions."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import ClientRecord
from tyollisyystalo.instruments.definitions import Instrument, format_score
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.shared.fields import EncryptedTextField
from tyollisyystalo.staff.models import StaffMember


class Respondent(models.TextChoices):
    CLIENT = "client", _("Asiakas itse")
    PROFESSIONAL = "professional", _("Ammattilainen")


class InstrumentResponse(ClientRecord):
    """One set of answers: which instrument version, when, who entered them and the result.

    Append-only: a new answer is a new row, so change over time stays visible. Answers and
    results are encrypted (they may be health data).
    """

    instrument_key = models.CharField(_("mittari"), max_length=64)
    instrument_version = models.CharField(_("mittarin versio"), max_length=20)
    answered_on = models.DateField(_("vastattu"))
    respondent = models.CharField(_("vastaaja"), max_length=16, choices=Respondent.choices)
    entered_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("kirjaaja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answers_json = EncryptedTextField(_("vastaukset"))
    result_json = EncryptedTextField(_("tulos"))

    class Meta:
        ordering = ["-answered_on", "-created_at", "-id"]
        verbose_name = _("mittarin vastaus")
        verbose_name_plural = _("mittarien vastaukset")
        indexes = [
            models.Index(
                fields=["client", "instrument_key", "-answered_on"], name="response_client_instr"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent="client") | Q(entered_by__isnull=False),
                name="response_professional_has_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key}@{self.instrument_version} {self.answered_on}"

    @property
    def instrument(self) -> Instrument:
        return instrument_get(self.instrument_key, self.instrument_version)

    @cached_property
    def answers(self) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in json.loads(self.answers_json).items()}

    @cached_property
    def result(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.result_json)
        return data

    @property
    def total(self) -> Decimal | None:
        total = self.result.get("total")
        return None if total is None else Decimal(total)

    @property
    def domain_scores(self) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in self.result.get("domains", {}).items()}

    # Texts in the reader's language, for pages and the client's own view.

    @property
    def instrument_name(self) -> str:
        return self.instrument.name.get(_language())

    @property
    def total_display(self) -> str:
        return format_score(self.total)

    @property
    def band_label(self) -> str:
        code = self.result.get("band")
        for band in self.instrument.bands:
            if band.code == code:
                return band.label.get(_language())
        return ""

    @property
    def flagged_names(self) -> list[str]:
        instrument = self.instrument
        return [instrument.domain(code).name.get(_language()) for code in self.result["flagged"]]

    @property
    def checked_labels(self) -> list[str]:
        """For checklists (count scoring): the items that apply."""
        instrument = self.instrument
        if instrument.score_method != "count":
            return []
        answers = self.answers
        return [
            item.text.get(_language())
            for item in instrument.items
            if answers.get(item.code, Decimal(0)) > 0
        ]


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Odottaa päätöstä")
    ACCEPTED = "accepted", _("Hyväksytty")
    DISMISSED = "dismissed", _("Hylätty")


class InstrumentSuggestion(ClientRecord):
    """A result that suggests an action; a professional accepts or dismisses it, never the code."""

    response = models.ForeignKey(
        InstrumentResponse,
        verbose_name=_("vastaus"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    code = models.CharField(_("ehdotus"), max_length=64)
    status = models.CharField(
        _("tila"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    decided_by = models.ForeignKey(
        StaffMember,
        verbose_name=_("päättänyt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("päätetty"), null=True, blank=True)
    note = EncryptedTextField(_("perustelu"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mittarin ehdotus")
        verbose_name_plural = _("mittarien ehdotukset")
        indexes = [models.Index(fields=["client", "status"], name="suggestion_client_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | Q(~Q(status="open"), decided_at__isnull=False, decided_by__isnull=False),
                name="suggestion_decided_has_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        for suggestion in self.response.instrument.suggestions:
            if suggestion.code == self.code:
                return suggestion.text.get(_language())
        return self.code


def _language() -> str:
    return get_language() or "fi"
