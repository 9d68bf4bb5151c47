from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.access.policy import policy_for
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import Language, StartBasis, StartReviewOutcome
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.forms import DateInput
from tyollisyystalo.staff.models import StaffMember


class ClientSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Nimi"),
        required=False,
        max_length=100,
        help_text=_("Sukunimi, etunimi tai niiden alku."),
    )
    hetu = forms.CharField(
        label=_("Henkilötunnus"),
        required=False,
        max_length=20,
        help_text=_("Koko henkilötunnus, esimerkiksi 010190-900P."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not (cleaned.get("name") or "").strip() and not (cleaned.get("hetu") or "").strip():
            raise forms.ValidationError(_("Anna nimi tai henkilötunnus."), code="empty")
        return cleaned


class ClientRegisterForm(forms.Form):
    first_names = forms.CharField(label=_("Etunimet"), max_length=150)
    last_name = forms.CharField(label=_("Sukunimi"), max_length=150)
    hetu = forms.CharField(
        label=_("Henkilötunnus"),
        required=False,
        max_length=20,
        help_text=_("Jätä tyhjäksi, jos henkilöllä ei ole henkilötunnusta."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label=_("Puhelin"), required=False, max_length=40)
    email = forms.EmailField(label=_("Sähköposti"), required=False)
    address = forms.CharField(label=_("Osoite"), required=False, max_length=300)
    municipality = forms.ModelChoiceField(
        label=_("Kotikunta"), queryset=Municipality.objects.all(), required=False
    )
    language = forms.ChoiceField(label=_("Asiointikieli"), choices=Language.choices)
    other_language = forms.CharField(label=_("Muu asiointikieli"), required=False, max_length=60)
    needs_interpreter = forms.BooleanField(label=_("Tarvitsee tulkin"), required=False)
    interpreter_language = forms.CharField(label=_("Tulkkauskieli"), required=False, max_length=60)


class RelationshipStartForm(forms.Form):
    hetu = forms.CharField(label=_("Henkilötunnus"), max_length=20)
    basis = forms.ChoiceField(
        label=_("Peruste asiakkuuden aloittamiselle"),
        choices=StartBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Valitse peruste, jolla aloitat asiakkuuden."),
            "invalid_choice": _("Valitse peruste, jolla aloitat asiakkuuden."),
        },
        help_text=_(
            "Henkilö on toisen organisaation asiakas. Peruste tallennetaan, esihenkilö "
            "tarkastaa sen ja asiakas näkee sen omilla sivuillaan."
        ),
    )
    reason = forms.CharField(
        label=_("Tarkennus (vapaaehtoinen)"),
        required=False,
        max_length=300,
        help_text=_("Esimerkiksi lähetteen antaja. Älä kirjoita terveystietoja."),
    )


class StartReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Tarkastuksen tulos"), choices=StartReviewOutcome.choices, widget=forms.RadioSelect
    )


class ClientEntryForm(forms.Form):
    category = forms.ChoiceField(label=_("Tietoryhmä"))
    entry_date = forms.DateField(label=_("Päivämäärä"), widget=DateInput())
    title = forms.CharField(label=_("Otsikko"), max_length=200)
    body = forms.CharField(
        label=_("Teksti"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    icf_codes = forms.CharField(
        label=_("ICF-koodit"),
        required=False,
        max_length=300,
        help_text=_("Esimerkiksi d850.2 b130.1 e310+3. Tarkenne 0–4, 8 tai 9; + edistävä tekijä."),
    )

    def __init__(self, *args: object, staff: StaffMember, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        writable = policy_for(staff.role).writable
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in DataCategory.choices if value in writable
        ]
        self.fields["entry_date"].initial = timezone.localdate()


class TeamMemberForm(forms.Form):
    staff_member = forms.ModelChoiceField(
        label=_("Työntekijä"),
        queryset=StaffMember.objects.filter(is_active=True).select_related("user", "organisation"),
    )


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label=_("Peruste hätäkäytölle"),
        max_length=1000,
        help_text=_("Kerro, miksi tarvitset tiedot nyt. Esihenkilö tarkastaa jokaisen hätäkäytön."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FirstMeetingForm(forms.Form):
    """The first meeting's mapping, resource-oriented: strengths and resources first."""

    entry_date = forms.DateField(label=_("Tapaamispäivä"), widget=DateInput())
    strengths = forms.CharField(
        label=_("Vahvuudet"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Missä asiakas on hyvä, mistä hän on ylpeä, mikä on sujunut."),
    )
    resources = forms.CharField(
        label=_("Voimavarat ja tukiverkosto"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Läheiset, harrastukset, aiemmat työt ja palvelut, jotka ovat auttaneet."),
    )
    situation = forms.CharField(
        label=_("Elämäntilanne ja sosiaalinen tilanne"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Asuminen, talous, perhe, arki."),
    )
    wishes = forms.CharField(
        label=_("Asiakkaan toiveet ja tavoitteet"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    limitations = forms.CharField(
        label=_("Haasteet ja tuen tarve"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label=_("Sovitut seuraavat askeleet"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    icf_codes = ClientEntryForm.base_fields["icf_codes"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entry_date"].initial = timezone.localdate()

    @property
    def sections(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"entry_date", "icf_codes"}}
