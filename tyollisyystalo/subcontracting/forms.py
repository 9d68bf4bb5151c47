"""Forms of the supervisor's pages: only shape and parsing; the rules are in ``services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.subcontracting.billing import parse_decimal
from tyollisyystalo.subcontracting.models import (
    CustomerKind,
    EndReason,
    GroupKind,
    LineKind,
    TrainingKind,
)

DATE_ERRORS = {"invalid": _("Anna päivä muodossa pp.kk.vvvv.")}


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


def _number(text: str) -> Decimal | None:
    """A plain decimal number typed by a person (no exponents, at most nine digits before the
    point), or None."""
    if "e" in text.lower():
        return None
    parsed = parse_decimal(text)
    if parsed is None or abs(parsed) >= Decimal(10) ** 9:
        return None
    return parsed


class EurosField(forms.CharField):
    """Euros typed the Finnish way ("35,50"), cleaned to cents."""

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        parsed = _number(text.replace("€", "").replace("\u00a0", "").replace(" ", ""))
        if parsed is None or parsed < 0:
            raise forms.ValidationError(_("Anna summa euroina, esimerkiksi 12,50."))
        return int((parsed * 100).quantize(Decimal(1)))


class DecimalTextField(forms.CharField):
    """A number typed with a comma or a point."""

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        parsed = _number(text)
        if parsed is None or parsed < 0:
            raise forms.ValidationError(_("Anna luku, esimerkiksi 7,5."))
        return parsed


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Ryhmän nimi"), max_length=120)
    kind = forms.ChoiceField(label=_("Työn laji"), choices=GroupKind.choices)
    cost_centre = forms.CharField(label=_("Toimintonumero (kustannuspaikka)"), max_length=20)
    municipality = forms.ChoiceField(label=_("Kunta"))
    active_from = _date(_("Toiminta alkaa"))
    required_training = forms.ChoiceField(
        label=_("Työhön vaadittava koulutus"),
        required=False,
        choices=[("", _("Ei vaatimusta")), *TrainingKind.choices],
    )
    supervisor_monthly = EurosField(
        label=_("Ohjauksen kustannus kuukaudessa (€)"),
        required=False,
        max_length=12,
        help_text=_("Työvalmentajan ja vertaisohjaajan palkka sivukuluineen, ryhmän osuus."),
    )
    competition_note = forms.CharField(
        label=_("Kilpailuneutraliteetti"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Esimerkiksi milloin toiminta käytiin läpi Kilpailu- ja kuluttajaviraston kanssa."
        ),
    )

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipalities  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    client = forms.ChoiceField(
        label=_("Asiakas"),
        help_text=_(
            "Asiakkaat, joiden tiimissä olet. Pyydä vastuuhenkilöä lisäämään sinut tiimiin."
        ),
    )
    decision_on = _date(_("Tuetun työllistymisen päätös (SHL 27 d §)"))
    decision_maker = forms.CharField(label=_("Päätöksen tekijä"), max_length=120)
    training_from = _date(_("Valmennus ennen palkkatyötä alkaa"), required=False)
    contract_start = _date(_("Työsuhde alkaa"))
    contract_end = _date(_("Työsuhde päättyy"), required=False)
    hours_per_week = DecimalTextField(label=_("Tunteja viikossa"), max_length=6)
    collective_agreement = forms.CharField(label=_("Työehtosopimus"), max_length=120)
    pay_grade = forms.CharField(label=_("Palkkaryhmä"), max_length=40)
    hourly_wage = EurosField(label=_("Tuntipalkka (€)"), max_length=12)
    subsidy_from = _date(_("Palkkatuki alkaa"), required=False)
    subsidy_until = _date(_("Palkkatuki päättyy"), required=False)
    subsidy_percent = forms.IntegerField(
        label=_("Palkkatuki %"), required=False, min_value=1, max_value=100
    )
    subsidy_monthly = EurosField(
        label=_("Palkkatuki kuukaudessa (€)"), required=False, max_length=12
    )
    arrangement_support_monthly = EurosField(
        label=_("Työolosuhteiden järjestelytuki kuukaudessa (€)"), required=False, max_length=12
    )

    def __init__(self, *args: Any, clients: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", "—"), *clients]  # type: ignore[attr-defined]


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Koulutus"), choices=TrainingKind.choices)
    name = forms.CharField(label=_("Tarkenne"), required=False, max_length=120)
    completed_on = _date(_("Suoritettu"))
    expires_on = _date(_("Voimassa asti"), required=False)


class EndForm(forms.Form):
    on = _date(_("Työsuhteen viimeinen päivä"))
    reason = forms.ChoiceField(label=_("Mihin työntekijä siirtyi"), choices=EndReason.choices)


class CustomerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tilaajan tyyppi"), choices=CustomerKind.choices)
    name = forms.CharField(label=_("Nimi"), max_length=160)
    unit = forms.CharField(label=_("Yksikkö tai yhteyshenkilö"), required=False, max_length=160)
    street = forms.CharField(label=_("Katuosoite"), max_length=160)
    postcode = forms.CharField(label=_("Postinumero"), max_length=5)
    city = forms.CharField(label=_("Postitoimipaikka"), max_length=80)
    email = forms.EmailField(label=_("Sähköposti"), required=False)
    phone = forms.CharField(label=_("Puhelin"), required=False, max_length=30)
    language = forms.ChoiceField(
        label=_("Laskun kieli"), choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
    )
    business_id = forms.CharField(label=_("Y-tunnus"), required=False, max_length=12)
    e_invoice_address = forms.CharField(label=_("Verkkolaskuosoite"), required=False, max_length=35)
    e_invoice_operator = forms.CharField(label=_("Välittäjätunnus"), required=False, max_length=35)
    household_deduction = forms.BooleanField(
        label=_("Haluaa kotitalousvähennyksen (yksityishenkilö)"), required=False
    )


class AgreementForm(forms.Form):
    valid_from = _date(_("Voimassa alkaen"))
    valid_until = _date(_("Voimassa asti"), required=False)
    signed_on = _date(_("Allekirjoitettu"))
    service_description = forms.CharField(
        label=_("Palvelukuvaus"), widget=forms.Textarea(attrs={"rows": 5})
    )
    terms = forms.CharField(
        label=_("Sopimusehdot"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class OrderForm(forms.Form):
    customer = forms.ChoiceField(label=_("Tilaaja"))
    title = forms.CharField(label=_("Työ"), max_length=160)
    site = forms.CharField(label=_("Työkohteen osoite"), max_length=200)
    description = forms.CharField(
        label=_("Kuvaus"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    customer_reference = forms.CharField(label=_("Tilaajan viite"), required=False, max_length=70)
    service_voucher = forms.BooleanField(
        label=_("Tilaaja haluaa maksaa palvelusetelillä"), required=False
    )

    def __init__(self, *args: Any, customers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "—"), *customers]  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    to_status = forms.CharField(max_length=16)
    note = forms.CharField(label=_("Huomautus"), required=False, max_length=300)
    estimate_hours = DecimalTextField(label=_("Arvioidut tunnit"), required=False, max_length=8)
    scheduled_from = _date(_("Työ alkaa"), required=False)
    scheduled_to = _date(_("Työ päättyy"), required=False)


class RiskForm(forms.Form):
    on = _date(_("Riskiarvio tehty"))
    by = forms.CharField(label=_("Riskiarvion tekijä"), max_length=120)


class LineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Laji"), choices=[c for c in LineKind.choices if c[0] != LineKind.LABOUR]
    )
    description = forms.CharField(label=_("Kuvaus"), max_length=160)
    quantity = DecimalTextField(label=_("Määrä (kpl tai km)"), max_length=10)
    unit_price = EurosField(label=_("Yksikköhinta (€)"), max_length=12)


class HoursForm(forms.Form):
    member = forms.ChoiceField(label=_("Työntekijä"))
    day = _date(_("Päivä"))
    hours = DecimalTextField(label=_("Tunnit"), max_length=6, help_text=_("Esimerkiksi 7,5"))

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—"), *members]  # type: ignore[attr-defined]
        self.fields["hours"].widget.attrs["inputmode"] = "decimal"


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Hyvityksen syy"), max_length=300)


class ScenarioForm(forms.Form):
    """The pilot's three options side by side; each with its own group count."""

    groups_none = forms.IntegerField(
        label=_("Ryhmiä: ei mallia"), min_value=0, max_value=50, initial=0
    )
    groups_disability = forms.IntegerField(
        label=_("Ryhmiä: malli vammaispalveluissa"), min_value=0, max_value=50, initial=2
    )
    groups_wider = forms.IntegerField(
        label=_("Ryhmiä: malli myös muissa palveluissa"), min_value=0, max_value=50, initial=4
    )
    members_per_group = forms.IntegerField(
        label=_("Työntekijöitä ryhmässä"), min_value=1, max_value=30, initial=7
    )
    billed_hours = DecimalTextField(
        label=_("Laskutettavia tunteja työntekijää kohden kuussa"), max_length=6, initial="40"
    )
    paid_hours = DecimalTextField(
        label=_("Palkallisia tunteja työntekijää kohden kuussa"), max_length=6, initial="100"
    )
    hourly_wage = EurosField(label=_("Tuntipalkka (€)"), max_length=12, initial="14,50")
    subsidy_percent = forms.IntegerField(
        label=_("Palkkatuki palkkakuluista %"), min_value=0, max_value=100, initial=70
    )
    arrangement = EurosField(
        label=_("Järjestelytuki työntekijää kohden kuussa (€)"),
        max_length=12,
        initial="0",
        required=False,
    )
    supervisor = EurosField(
        label=_("Ohjauksen kustannus ryhmää kohden kuussa (€)"), max_length=12, initial="4500"
    )
    materials_percent = forms.IntegerField(
        label=_("Tarvikkeiden osuus laskutuksesta %"), min_value=0, max_value=100, initial=10
    )
