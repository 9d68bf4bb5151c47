"""Forms built from an instrument definition; the service checks the values against it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.instruments.definitions import Instrument, Item, format_score
from tyollisyystalo.instruments.models import Respondent
from tyollisyystalo.shared.forms import DateInput

# A range scale with at most this many points is offered as radio buttons.
MAX_RADIO_POINTS = 11


def _choices(item: Item, language: str) -> list[tuple[str, str]] | None:
    scale = item.scale
    if scale.options:
        return [(str(o.value), o.label.get(language)) for o in scale.options]
    points = int((scale.maximum - scale.minimum) / scale.step) + 1
    if points > MAX_RADIO_POINTS:
        return None
    values = [scale.minimum + scale.step * n for n in range(points)]
    return [(str(v), format_score(v)) for v in values]


def _help(item: Item, language: str) -> str:
    scale = item.scale
    if item.low and item.high:
        return f"{format_score(scale.minimum)} = {item.low.get(language)}, " + (
            f"{format_score(scale.maximum)} = {item.high.get(language)}"
        )
    if scale.options:
        return ""
    return str(
        _("Pisteet %(low)s–%(high)s")
        % {"low": format_score(scale.minimum), "high": format_score(scale.maximum)}
    )


class InstrumentForm(forms.Form):
    """One field per item (radio buttons for short scales, a number box otherwise)."""

    answered_on = forms.DateField(label=_("Vastauspäivä"), widget=DateInput())
    respondent = forms.ChoiceField(
        label=_("Kuka vastasi?"),
        choices=Respondent.choices,
        initial=Respondent.CLIENT,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, instrument: Instrument, by_client: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("answered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        language = get_language() or "fi"
        if instrument.respondent != "either" or by_client:
            del self.fields["respondent"]
        for item in instrument.items:
            choices = _choices(item, language)
            common: dict[str, Any] = {
                "label": item.text.get(language),
                "required": instrument.requires_all,
                "help_text": _help(item, language),
            }
            if choices is not None:
                self.fields[item.code] = forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect(attrs={"class": "scale"}), **common
                )
            else:
                self.fields[item.code] = forms.CharField(
                    max_length=8,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
                    **common,
                )

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[item.code] for item in self.instrument.items]

    @property
    def answers(self) -> dict[str, object]:
        return {item.code: self.cleaned_data.get(item.code) for item in self.instrument.items}

    @property
    def respondent_value(self) -> Respondent:
        if self.instrument.respondent == "client":
            return Respondent.CLIENT
        if self.instrument.respondent == "professional":
            return Respondent.PROFESSIONAL
        return Respondent(self.cleaned_data["respondent"])


class SuggestionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Hyväksy")), ("dismiss", _("Hylkää"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Perustelu"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
