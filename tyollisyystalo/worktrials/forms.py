"""Forms of work-trial feedback: the link request (staff) and the host's answer (public)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.hetu import validate_no_hetu
from tyollisyystalo.worktrials.models import RATED, Rating


class LinkForm(forms.Form):
    trial_label = forms.CharField(
        label=_("Työkokeilu"),
        max_length=200,
        help_text=_("Järjestäjä näkee tämän. Esimerkiksi ”Klaus, varastotyö 1.–28.2.”."),
    )
    host_name = forms.CharField(label=_("Työkokeilun järjestäjä"), max_length=200)
    host_email = forms.EmailField(
        label=_("Järjestäjän sähköposti"),
        required=False,
        help_text=_("Jos annat osoitteen, linkki lähetetään sinne. Muuten kopioi linkki itse."),
    )
    valid_days = forms.IntegerField(
        label=_("Voimassa päivää"), min_value=1, max_value=90, initial=30
    )


class HostFeedbackForm(forms.Form):
    """Every rating is optional ("cannot say"); at least one answer is needed."""

    respondent_name = forms.CharField(
        label=_("Nimesi"), max_length=200, validators=[validate_no_hetu]
    )
    strengths = forms.CharField(
        label=_("Työkokeilijan vahvuudet"),
        required=False,
        max_length=4000,
        validators=[validate_no_hetu],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    adjustments = forms.CharField(
        label=_("Järjestelyt, jotka auttoivat"),
        required=False,
        max_length=4000,
        validators=[validate_no_hetu],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Esimerkiksi työaika, tauot, apuvälineet tai perehdytys."),
    )
    free_text = forms.CharField(
        label=_("Muuta palautetta"),
        required=False,
        max_length=4000,
        validators=[validate_no_hetu],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("En osaa sanoa")), *[(str(v), label) for v, label in Rating.choices]]
        ratings = {
            name: forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )
            for name, label in RATED
        }
        # Ratings first, then the free text.
        self.fields = {**ratings, **self.fields}
