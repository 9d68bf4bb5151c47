from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.categories import DataCategory


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tiedosto (PDF, PNG tai JPEG)"),
        error_messages={"required": _("Valitse tiedosto."), "empty": _("Tiedosto on tyhjä.")},
    )
    title = forms.CharField(
        label=_("Otsikko"),
        max_length=200,
        help_text=_("Esimerkiksi: Lääkärinlausunto 3.12.2026"),
        error_messages={"required": _("Anna asiakirjalle otsikko.")},
    )
    category = forms.ChoiceField(
        label=_("Tietoryhmä"), error_messages={"required": _("Valitse tietoryhmä.")}
    )
    shared_with_client = forms.BooleanField(
        label=_("Näkyy asiakkaalle hänen omilla sivuillaan"), required=False
    )

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DataCategory.choices)
        self.fields["category"].choices = [("", "–")] + [  # type: ignore[attr-defined]
            (c, labels[c]) for c in categories
        ]
