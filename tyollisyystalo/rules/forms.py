"""The rule facts form, built from the facts vocabulary so the two never drift apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.rules.facts import FACT_SPECS, FactSpec
from tyollisyystalo.rules.presentation import CHOICE_LABELS, FACT_GROUPS, StrOrPromise
from tyollisyystalo.shared.forms import DateInput

UNKNOWN_CHOICE = ("", _("Ei tiedossa"))


def _bool_coerce(value: str) -> bool:
    return value == "yes"


def _field(spec: FactSpec) -> forms.Field:
    label = _(spec.label)  # marked in rules.facts
    if spec.kind == "date":
        return forms.DateField(label=label, required=False, widget=DateInput())
    if spec.kind == "int":
        return forms.IntegerField(label=label, required=False, min_value=0, max_value=spec.maximum)
    if spec.kind == "bool":
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=[UNKNOWN_CHOICE, ("yes", _("Kyllä")), ("no", _("Ei"))],
            coerce=_bool_coerce,
            empty_value=None,
        )
    choices: list[tuple[str, StrOrPromise]] = [UNKNOWN_CHOICE]
    choices += [(code, CHOICE_LABELS[code]) for code in spec.choices]
    return forms.ChoiceField(label=label, required=False, choices=choices)


class RuleFactsForm(forms.Form):
    """Every fact optional: an empty answer means "not known", which the rules say out loud."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, spec in FACT_SPECS.items():
            self.fields[name] = _field(spec)
        self.fields["birth_date"].help_text = _(
            "Henkilötunnuksesta, kun asiakkaalla on henkilötunnus."
        )

    @staticmethod
    def initial_from(stored: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name, value in stored.items():
            spec = FACT_SPECS.get(name)
            if spec is None:
                continue
            if spec.kind == "bool":
                initial[name] = "yes" if value else "no"
            elif spec.kind == "date":
                initial[name] = dt.date.fromisoformat(value)
            else:
                initial[name] = value
        return initial

    def facts(self) -> dict[str, Any]:
        """The cleaned answers as facts; empty answers are left out (not known)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value is not None and value != ""
        }

    def groups(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in FACT_GROUPS
            if any(name in self.fields for name in names)
        ]
