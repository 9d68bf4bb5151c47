"""The period picker of the indicator page and the manager's goal form."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tyollisyystalo.indicators.definitions import indicators_all
from tyollisyystalo.indicators.models import PeriodKindChoice
from tyollisyystalo.indicators.periods import Period, PeriodError, parse_period, picker_periods
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.forms import ListSelect


def _period_choices(today: dt.date, ahead: int) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(PeriodKindChoice(kind.value).label), [(p.code, p.label) for p in periods])
        for kind, periods in picker_periods(today, ahead=ahead)
    ]


class PeriodField(forms.ChoiceField):
    widget = ListSelect  # some forty periods: written in Python, not one template each
    default_error_messages = {
        "invalid_choice": gettext_lazy("Valitse kausi luettelosta."),
    }

    def clean(self, value: Any) -> Period:
        code = super().clean(value)
        try:
            return parse_period(code)
        except PeriodError as exc:
            raise forms.ValidationError(_("Valitse kausi luettelosta.")) from exc


class PeriodPickerForm(forms.Form):
    jakso = PeriodField(label=gettext_lazy("Kausi"))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["jakso"]).choices = _period_choices(today, 0)


class GoalForm(forms.Form):
    indicator = forms.ChoiceField(label=gettext_lazy("Mittari"))
    scope = forms.ChoiceField(label=gettext_lazy("Kenen luvuille"))
    period = PeriodField(label=gettext_lazy("Kausi"))
    target = forms.DecimalField(
        label=gettext_lazy("Tavoite"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages={
            "invalid": gettext_lazy("Anna tavoite lukuna, esimerkiksi 8,5 tai 35."),
            "max_decimal_places": gettext_lazy(
                "Anna tavoite enintään kahden desimaalin tarkkuudella."
            ),
            "max_digits": gettext_lazy("Tavoite on liian suuri."),
            "max_whole_digits": gettext_lazy("Tavoite on liian suuri."),
        },
    )

    basis = forms.CharField(
        label=gettext_lazy("Peruste (esimerkiksi sopimus tai päätös)"),
        required=False,
        max_length=300,
        error_messages={"max_length": gettext_lazy("Peruste on liian pitkä.")},
    )

    def __init__(
        self,
        *args: Any,
        today: dt.date,
        organisation_name: str,
        municipalities: list[Municipality],
        language: str,
        region: bool = False,
        **kwargs: Any,
    ) -> None:
        """``region``: the steering group's form for the region's shared goals (with their
        basis); otherwise a manager's for their organisation's."""
        super().__init__(*args, **kwargs)
        if not region:
            del self.fields["basis"]
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [
            (key, indicator.name.get(language)) for key, indicator in indicators_all().items()
        ]
        cast(forms.ChoiceField, self.fields["scope"]).choices = [("", organisation_name)] + [
            (
                m.code,
                _("%(organisation)s, %(municipality)s")
                % {"organisation": organisation_name, "municipality": m.name},
            )
            for m in municipalities
        ]
        self.fields["scope"].required = False
        cast(forms.ChoiceField, self.fields["period"]).choices = _period_choices(today, 1)
        self.municipalities = {m.code: m for m in municipalities}

    def municipality(self) -> Municipality | None:
        code = self.cleaned_data.get("scope") or ""
        return self.municipalities.get(code)
