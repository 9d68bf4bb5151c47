"""Forms for sending and answering referrals; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.organisations.models import Organisation


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Palvelu palvelukartalta"),
        queryset=Service.objects.filter(
            is_published=True, organization__network_organisation__isnull=False
        ).order_by("name_fi"),
        required=False,
        help_text=_("Vain verkostoon kuuluvien tuottajien palvelut voi lähettää järjestelmässä."),
    )
    receiving_organisation = forms.ModelChoiceField(
        label=_("tai vastaanottava organisaatio"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name_fi"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Ohjauksen syy"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mitä asiakas tarvitsee ja mitä toivotaan. Vastaanottaja näkee tämän."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Jaettavat tiedot"),
        choices=[c for c in DataCategory.choices if c[0] != DataCategory.IDENTITY],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Henkilö- ja yhteystiedot kulkevat aina lähetteen mukana. Kaikkiin valittuihin "
            "tietoihin tarvitaan asiakkaan suostumus."
        ),
    )

    def __init__(self, *args: Any, exclude_organisation: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if exclude_organisation is not None:
            field = self.fields["receiving_organisation"]
            field.queryset = field.queryset.exclude(pk=exclude_organisation)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Vastaus"),
        choices=[("accept", _("Hyväksy lähete")), ("decline", _("Hylkää lähete"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Hylkäämisen syy"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pakollinen, kun hylkäät. Lähettäjä näkee tämän."),
    )


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("Tulos lähettäjälle"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mitä palvelussa tehtiin ja mitä suositellaan jatkoon."),
    )
