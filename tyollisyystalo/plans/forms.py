"""The plan editor: rows of goals and actions in plain form fields (works without JavaScript).

Each row carries a stable hidden id, so the diff between versions follows a goal or action even
when its text changes. A row left wholly empty is ignored; a row with anything in it is checked
by ``content_from_json`` and its errors are shown on that row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.models import Language
from tyollisyystalo.plans.content import Action, Content, Goal
from tyollisyystalo.plans.models import AcknowledgementMethod, AcknowledgementParty, PlanType
from tyollisyystalo.shared.forms import DateInput

RESPONSIBLE_LABELS = {
    "client": _("Asiakas itse"),
    "person": _("Nimetty henkilö"),
    "organisation": _("Organisaatio"),
}
STATUS_LABELS = {
    "planned": _("Suunniteltu"),
    "ongoing": _("Käynnissä"),
    "done": _("Tehty"),
    "cancelled": _("Peruttu"),
}


def area_choices() -> list[tuple[str, str]]:
    """The areas of life of the self-assessment, so goals and answers speak the same words."""
    from django.utils.translation import get_language

    from tyollisyystalo.instruments.registry import instrument_get

    language = get_language() or "fi"
    return [(d.code, d.name.get(language)) for d in instrument_get("self_assessment").domains]


GOAL_FIELDS = ("text", "area", "measure", "target", "follow_up_on")
ACTION_FIELDS = (
    "what",
    "goal",
    "responsible_kind",
    "responsible",
    "organisation_id",
    "service_id",
    "coaching_period_id",
    "due_on",
    "status",
)
EXTRA_GOALS = 2
EXTRA_ACTIONS = 3
MAX_ROWS = 40


@dataclass
class Row:
    index: int
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.values.get("id", "")


@dataclass
class PlanEditor:
    summary: str
    goals: list[Row]
    actions: list[Row]
    summary_error: str = ""

    @classmethod
    def from_content(cls, content: Content | None) -> PlanEditor:
        goals = (
            [Row(n, {"id": g.id, **_strings(g)}) for n, g in enumerate(content.goals)]
            if (content)
            else []
        )
        actions = (
            [Row(n, {"id": a.id, **_strings(a)}) for n, a in enumerate(content.actions)]
            if content
            else []
        )
        editor = cls(content.summary if content else "", goals, actions)
        editor.add_blank_rows()
        return editor

    @classmethod
    def from_post(cls, data: Mapping[str, Any]) -> PlanEditor:
        def rows(prefix: str, names: tuple[str, ...]) -> list[Row]:
            found: list[Row] = []
            for n in range(MAX_ROWS):
                if f"{prefix}-{n}-id" not in data:
                    break
                values = {name: str(data.get(f"{prefix}-{n}-{name}", "")).strip() for name in names}
                values["id"] = str(data.get(f"{prefix}-{n}-id", "")).strip()[:32]
                if data.get(f"{prefix}-{n}-delete"):
                    continue
                found.append(Row(len(found), values))
            return found

        return cls(
            str(data.get("summary", "")).strip(),
            rows("goal", GOAL_FIELDS),
            rows("action", ACTION_FIELDS),
        )

    def add_blank_rows(self) -> None:
        for _n in range(EXTRA_GOALS):
            self.goals.append(Row(len(self.goals), {"id": uuid.uuid4().hex[:8], "status": ""}))
        for _n in range(EXTRA_ACTIONS):
            self.actions.append(
                Row(len(self.actions), {"id": uuid.uuid4().hex[:8], "status": "planned"})
            )

    def content_json(self) -> tuple[dict[str, Any], dict[str, Row]]:
        """The content to check, and which row each ``goals.K``/``actions.K`` key refers to."""
        rows: dict[str, Row] = {}
        goals: list[dict[str, str]] = []
        for row in self.goals:
            if not any(row.values.get(name) for name in GOAL_FIELDS):
                continue
            rows[f"goals.{len(goals)}"] = row
            goals.append(row.values)
        actions: list[dict[str, str]] = []
        for row in self.actions:
            if not any(row.values.get(name) for name in ACTION_FIELDS if name != "status"):
                continue
            rows[f"actions.{len(actions)}"] = row
            actions.append(row.values)
        return {"summary": self.summary, "goals": goals, "actions": actions}, rows

    def apply_errors(self, errors: Mapping[str, list[str]], rows: Mapping[str, Row]) -> list[str]:
        """Put each error on its row and field; return the ones that belong to no row."""
        general = []
        for key, messages in errors.items():
            prefix, _sep, name = key.rpartition(".")
            row = rows.get(prefix)
            if row is None:
                general += messages
            else:
                row.errors[name] = " ".join(messages)
        return general

    @property
    def goal_choices(self) -> list[tuple[str, str]]:
        choices = [("", str(_("Ei kytketty tavoitteeseen")))]
        for n, row in enumerate(self.goals, start=1):
            label = row.values.get("text") or str(_("Uusi tavoite %(n)s") % {"n": n})
            choices.append((row.id, label))
        return choices


def _strings(item: Goal | Action) -> dict[str, str]:
    return {k: str(v) for k, v in item.__dict__.items() if k != "id"}


class PlanCreateForm(forms.Form):
    plan_type = forms.ChoiceField(
        label=_("Suunnitelman laji"), choices=PlanType.choices, widget=forms.RadioSelect
    )
    started_on = forms.DateField(label=_("Laadittu"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Suunnitelman kieli"),
        choices=[c for c in Language.choices if c[0] != Language.OTHER],
        help_text=_("Tulostettava suunnitelma tehdään tällä kielellä."),
    )
    mapping_started_on = forms.DateField(
        label=_("TYP-kartoitusjakso alkoi"),
        widget=DateInput(),
        required=False,
        help_text=_("Vain monialaiselle työllistymissuunnitelmalle."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class AcknowledgementForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.ChoiceField(
        label=_("Osapuoli"), choices=AcknowledgementParty.choices, widget=forms.RadioSelect
    )
    organisation_id = forms.IntegerField(
        label=_("Organisaatio"),
        required=False,
        widget=forms.Select,
        help_text=_("Kun osapuoli on organisaatio: valitse suunnitelman osapuolista."),
    )
    organisation_name = forms.CharField(
        label=_("Muu organisaatio"),
        required=False,
        max_length=200,
        help_text=_("Jos organisaatio ei ole luettelossa, kirjoita sen nimi."),
    )
    person_name = forms.CharField(label=_("Henkilö"), required=False, max_length=200)
    method = forms.ChoiceField(label=_("Tapa"), choices=AcknowledgementMethod.choices)
    acknowledged_on = forms.DateField(label=_("Päivä"), widget=DateInput())

    def __init__(
        self, *args: Any, organisations: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].widget.choices = [
            ("", _("Ei luettelossa")),
            *(organisations or []),
        ]


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Tarkistettu"), widget=DateInput())
