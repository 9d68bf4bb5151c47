"""The what-if form: raw values, checked by ``services.whatif_clean`` (one set of rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WhatIfForm(forms.Form):
    coordinators = forms.CharField(
        label=_("Koordinaattoreita"),
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    cap = forms.CharField(
        label=_("Asiakasmäärän katto koordinaattoria kohden"),
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    coaches = forms.CharField(
        label=_("Työhönvalmentajia"),
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    coach_cap = forms.CharField(
        label=_("Valmennettavien katto valmentajaa kohden"),
        required=False,
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    growth = forms.CharField(
        label=_("Ohjausten muutos, %"),
        required=False,
        help_text=_("Esimerkiksi 30 = ohjauksia tulee 30 % enemmän, -10 = 10 % vähemmän."),
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
    service_places = forms.CharField(
        label=_("Uuden palvelun paikat"),
        required=False,
        help_text=_("Jätä tyhjäksi, jos uutta palvelua ei kokeilla."),
        widget=forms.TextInput({"inputmode": "numeric"}),
    )
    service_share = forms.CharField(
        label=_("Uuteen palveluun ohjattavien osuus uusista asiakkaista, %"),
        required=False,
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
    service_days = forms.CharField(
        label=_("Uuden palvelun kesto, päivää"),
        required=False,
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
