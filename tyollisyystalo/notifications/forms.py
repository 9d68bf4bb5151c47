from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DigestForm(forms.Form):
    email_digest = forms.TypedChoiceField(
        label=_("Sähköpostiyhteenveto"),
        choices=[
            ("1", _("Kyllä, kerran päivässä, jos on uutta")),
            ("0", _("Ei, katson ilmoitukset täältä")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Valitse, haluatko yhteenvedon sähköpostiin.")},
        help_text=_("Viesti kertoo vain lukemattomien ilmoitusten määrän, ei niiden sisältöä."),
    )
