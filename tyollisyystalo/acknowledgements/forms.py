"""A party's answer to a plan version: acknowledge it, or ask for changes with a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.plans.services import COMMENT_MAX


class ResponseForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(
        label=_("Mitä haluat muuttaa?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kirjoita tähän, jos haluat muutoksia. Yhteyshenkilösi näkee viestisi."),
    )
