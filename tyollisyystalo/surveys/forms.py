"""The answer form built from a survey definition; the service checks every value against it
(a value outside its scale comes back as the definition's own message, never a 500)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from tyollisyystalo.surveys.definitions import Survey, SurveyItem


def _help(item: SurveyItem, language: str, easy: bool) -> str:
    if item.min_label is None or item.max_label is None:
        return ""
    return (
        f"{item.minimum} = {item.min_label.get(language, easy=easy)}, "
        f"{item.maximum} = {item.max_label.get(language, easy=easy)}"
    )


class SurveyForm(forms.Form):
    """One field per item: radio buttons for a scale and yes/no, a text box for free text."""

    def __init__(
        self, *args: Any, survey: Survey, language: str, easy: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        for item in survey.items:
            common: dict[str, Any] = {
                "label": item.label.get(language, easy=easy),
                "required": item.required,
                "help_text": _help(item, language, easy),
            }
            if item.kind == "scale":
                choices = [(str(v), str(v)) for v in item.scale_values]
                widget: forms.Widget = forms.RadioSelect(choices=choices, attrs={"class": "scale"})
            elif item.kind == "yesno":
                widget = forms.RadioSelect(choices=[("yes", _("Kyllä")), ("no", _("Ei"))])
            else:
                widget = forms.Textarea(attrs={"rows": 4})
            # Plain text fields: the service, not the widget's choices, decides what is valid.
            self.fields[item.key] = forms.CharField(widget=widget, strip=True, **common)
