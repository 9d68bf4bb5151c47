"""Forms for sending and answering referrals; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, QuerySet, When
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.selectors import services_referable
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.organisations.selectors import organisations_active
from tyollisyystalo.pickers import keys
from tyollisyystalo.pickers.search import services_matching
from tyollisyystalo.pickers.widgets import PickerSelect

SERVICE_SEARCH = "palveluhaku"
SEARCH_STEP_RESULTS = 30


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Palvelu palvelukartalta"),
        queryset=services_referable().order_by("name_fi"),
        required=False,
        help_text=_("Vain verkostoon kuuluvien tuottajien palvelut voi lähettää järjestelmässä."),
        widget=PickerSelect(keys.REFERRAL_SERVICES),
        error_messages={"invalid_choice": _("Valitse palvelu luettelosta.")},
    )
    receiving_organisation = forms.ModelChoiceField(
        label=_("tai vastaanottava organisaatio"),
        queryset=organisations_active(),
        required=False,
        widget=PickerSelect(keys.ORGANISATIONS),
        error_messages={"invalid_choice": _("Valitse organisaatio luettelosta.")},
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

    def narrow_services(self, q: str) -> int:
        """The search step without JavaScript: offer only the services the catalogue search
        finds for ``q`` (best first) and the one already chosen; return how many were found.
        Only for showing the form again: a submitted form is checked against every service."""
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        services: QuerySet[Service] = services_referable()
        found = [s.pk for s in services_matching(services, q, limit=SEARCH_STEP_RESULTS)]
        chosen = self.initial.get("service")
        field.queryset = services.filter(pk__in=[*found, *([chosen] if chosen else [])]).order_by(
            Case(*[When(pk=pk, then=n) for n, pk in enumerate(found)], default=-1)
        )
        return len(found)


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
