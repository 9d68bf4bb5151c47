from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.coaching_modules.models import NextStep, Party, PeerCoach
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.shared.forms import DateInput


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Moduulin nimi"), max_length=200)
    provider = forms.ModelChoiceField(
        label=_("Palveluntuottaja"), queryset=Organisation.objects.order_by("name_fi")
    )
    planned_start = forms.DateField(label=_("Suunniteltu alku"), widget=DateInput())
    planned_end = forms.DateField(label=_("Suunniteltu loppu"), widget=DateInput())


class AssessmentForm(forms.Form):
    party = forms.ChoiceField(label=_("Kenen arvio"), choices=Party.choices)
    score = forms.IntegerField(
        label=_("Arvio asteikolla 1–5"),
        min_value=1,
        max_value=5,
        help_text=_("1 = moduulista ei ollut hyötyä, 5 = moduuli auttoi paljon."),
    )
    text = forms.CharField(
        label=_("Arvio sanallisesti"), required=False, max_length=4000, widget=forms.Textarea
    )
    assessed_on = forms.DateField(label=_("Päivämäärä"), widget=DateInput())


class ChoiceForm(forms.Form):
    next_step = forms.ChoiceField(label=_("Miten valmennus jatkuu"), choices=NextStep.choices)
    missing_reason = forms.CharField(
        label=_("Miksi jokin arvio puuttuu"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("Täytä vain, jos kaikkien kolmen osapuolen arvio ei ole kirjattu."),
    )
    chosen_on = forms.DateField(label=_("Päivämäärä"), widget=DateInput())


class PeerCoachForm(forms.Form):
    name = forms.CharField(label=_("Nimi"), max_length=200)
    payroll_reference = forms.CharField(
        label=_("Palkanlaskennan tunniste"),
        required=False,
        max_length=40,
        help_text=_("Esimerkiksi henkilönumero palkanlaskennassa. Älä kirjoita henkilötunnusta."),
    )


class SessionForm(forms.Form):
    peer_coach = forms.ModelChoiceField(
        label=_("Vertaisvalmentaja"), queryset=PeerCoach.objects.none()
    )
    held_on = forms.DateField(label=_("Päivämäärä"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("Kesto minuutteina"), min_value=1, max_value=600)
    fee = forms.DecimalField(
        label=_("Palkkio (€)"),
        min_value=Decimal(0),
        max_value=Decimal(10000),
        max_digits=7,
        decimal_places=2,
        localize=True,
    )

    def __init__(self, *args: object, organisation_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["peer_coach"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PeerCoach.objects.filter(
            organisation_id__in=organisation_ids, active=True, erased_at__isnull=True
        ).order_by("name")


class MonthForm(forms.Form):
    kuukausi = forms.RegexField(
        label=_("Kuukausi"),
        regex=r"^20\d{2}-(0[1-9]|1[0-2])$",  # years the payroll can concern
        error_messages={"invalid": _("Anna kuukausi muodossa VVVV-KK.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )
