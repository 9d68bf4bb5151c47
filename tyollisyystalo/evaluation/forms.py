from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.evaluation.purpose import MAX_LENGTH, purpose_clean


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Käyttötarkoitus"),
        help_text=_(
            "Mihin aineistoa käytetään, esimerkiksi ”Työkykyohjelman arviointi, THL 2026”. "
            "Kirjataan käyttölokiin. Ei henkilötietoja."
        ),
        max_length=MAX_LENGTH * 2,  # the rule's own limit gives the clearer message
        required=False,
    )

    def clean_purpose(self) -> str:
        try:
            return purpose_clean(self.cleaned_data.get("purpose", ""))
        except ValidationError as error:
            raise ValidationError(error.messages) from error
