"""A plain ``<select>`` that ``static/js/picker.js`` turns into a searchable combobox.

Without JavaScript the select works as it is. With it, the script puts an input with the
WAI-ARIA 1.2 combobox pattern in its place, asks ``/valitsimet/<source>/`` for matches and
sets the select's value, which is what the form submits; the form still checks the value
against its own queryset.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

SCRIPT = "js/picker.js"


def picker_attrs(source: str, *, complete: bool = True) -> dict[str, str]:
    """The select's data attributes. ``complete``: the select already lists every offerable
    option, so the script keeps only matches found among them (a form may offer fewer than the
    source, e.g. a referral not to the path's own organisation)."""
    attrs = {
        "data-picker-url": reverse("pickers:options", kwargs={"source": source}),
        "data-picker-none": _("Ei hakutuloksia. Kokeile toista sanaa."),
        "data-picker-one": _("1 hakutulos. Valitse nuolinäppäimillä ja Enterillä."),
        "data-picker-many": _("%(n)s hakutulosta. Valitse nuolinäppäimillä ja Enterillä."),
        "data-picker-chosen": _("Valittu: %(label)s"),
    }
    if complete:
        attrs["data-picker-complete"] = "true"
    return attrs


class PickerSelect(forms.Select):
    template_name = "pickers/select.html"

    def __init__(self, source: str, *, complete: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.complete = complete

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(picker_attrs(self.source, complete=self.complete))
        context["picker_script"] = SCRIPT
        return context
