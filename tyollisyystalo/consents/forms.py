from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.consents.models import (
    ConsentMethod,
    ConsentVersion,
    LegalBasis,
    ReviewOutcome,
    WithdrawalMethod,
)
from tyollisyystalo.consents.services import ConsentInput, consent_input_validate
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.forms import DateInput


class ConsentForm(forms.Form):
    disclosing_organisations = forms.ModelMultipleChoiceField(
        label=_("Luovuttavat organisaatiot"),
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    receiving_organisations = forms.ModelMultipleChoiceField(
        label=_("Vastaanottavat organisaatiot"),
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    categories = forms.MultipleChoiceField(
        label=_("Tietoryhmät"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.CharField(
        label=_("Käyttötarkoitus"),
        max_length=300,
        help_text=_("Esimerkiksi työkyvyn arviointi ja kuntoutuksen suunnittelu."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Oikeusperuste"), choices=LegalBasis.choices, widget=forms.RadioSelect
    )
    statute = forms.CharField(label=_("Säädös"), max_length=200, required=False)
    method = forms.ChoiceField(
        label=_("Antotapa"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    form_reference = forms.CharField(
        label=_("Lomake"), max_length=100, required=False, help_text=_("Esimerkiksi Kela Y100.")
    )
    valid_from = forms.DateField(label=_("Voimassa alkaen"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Voimassa asti"),
        required=False,
        widget=DateInput(),
        help_text=_("Jätä tyhjäksi, jos suostumus on voimassa toistaiseksi."),
    )
    # The version the change is based on: a stale one is a conflict, never a silent overwrite.
    base_number = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["legal_basis"].initial = LegalBasis.CONSENT

    @classmethod
    def initial_from(cls, version: ConsentVersion) -> dict[str, Any]:
        return {
            "disclosing_organisations": list(version.disclosing_organisations.all()),
            "receiving_organisations": list(version.receiving_organisations.all()),
            "categories": [c.category for c in version.categories.all()],
            "purpose": version.purpose,
            "legal_basis": version.legal_basis,
            "statute": version.statute,
            "method": version.method,
            "form_reference": version.form_reference,
            "valid_from": version.valid_from,
            "valid_until": version.valid_until,
            "base_number": version.number,
        }

    def clean(self) -> dict[str, Any]:
        """Run the service's domain checks too, so every problem is shown at once."""
        cleaned = super().clean() or {}
        try:
            consent_input_validate(self.to_input())
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        return cleaned

    def to_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            disclosing_organisation_ids=frozenset(
                o.pk for o in data.get("disclosing_organisations", [])
            ),
            receiving_organisation_ids=frozenset(
                o.pk for o in data.get("receiving_organisations", [])
            ),
            categories=frozenset(data.get("categories", [])),
            purpose=data.get("purpose", ""),
            legal_basis=data.get("legal_basis", LegalBasis.CONSENT),
            statute=data.get("statute", ""),
            method=data.get("method", ""),
            form_reference=data.get("form_reference", ""),
            valid_from=data.get("valid_from") or timezone.localdate(),
            valid_until=data.get("valid_until"),
        )


class WithdrawForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Miten asiakas perui suostumuksen?"),
        choices=WithdrawalMethod.choices,
        widget=forms.RadioSelect,
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Tarkastuksen tulos"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
