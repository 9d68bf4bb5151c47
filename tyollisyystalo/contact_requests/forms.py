"""The public contact form and the coordinator's handling forms."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.clients.hetu import contains_hetu, validate_no_hetu
from tyollisyystalo.clients.models import Language
from tyollisyystalo.contact_requests.models import CloseReason, ContactTime, Status
from tyollisyystalo.contact_requests.selectors import municipalities_with_handlers
from tyollisyystalo.portal.instrument import ASSESSMENT_PREFIX, area_questions

HONEYPOT = "kotisivu"


def normalise_phone(value: str) -> str:
    """A Finnish or international number in E.164, or a ValidationError in plain language."""
    try:
        number = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException as exc:
        raise forms.ValidationError(
            _("Tarkista puhelinnumero, esimerkiksi 040 123 4567."), code="phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Tarkista puhelinnumero, esimerkiksi 040 123 4567."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ContactRequestForm(forms.Form):
    name = forms.CharField(
        label=_("Nimi"),
        max_length=150,
        error_messages={"required": _("Kirjoita nimesi.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_no_hetu],
    )
    phone = forms.CharField(
        label=_("Puhelinnumero"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        validators=[validate_no_hetu],
    )
    email = forms.EmailField(
        label=_("Sähköposti"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        validators=[validate_no_hetu],
    )
    municipality = forms.ModelChoiceField(
        label=_("Kotikunta"),
        queryset=municipalities_with_handlers(),
        empty_label=_("Valitse kunta"),
        error_messages={
            "required": _("Valitse kunta."),
            "invalid_choice": _("Valitse kunta luettelosta."),
        },
        help_text=_("Pyyntösi menee tämän kunnan työkykykoordinaattoreille."),
    )
    language = forms.ChoiceField(
        label=_("Millä kielellä haluat asioida?"),
        choices=Language.choices,
        initial=Language.FI,
        widget=forms.RadioSelect,
    )
    other_language = forms.CharField(
        label=_("Muu kieli, mikä?"),
        required=False,
        max_length=60,
        help_text=_("Voit saada tulkin maksutta."),
        validators=[validate_no_hetu],
    )
    contact_time = forms.ChoiceField(
        label=_("Milloin sinuun voi ottaa yhteyttä?"),
        choices=ContactTime.choices,
        initial=ContactTime.ANY,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Mihin toivot apua?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Kerro lyhyesti omin sanoin. Sinun ei tarvitse kertoa kaikkea nyt. "
            "Älä kirjoita henkilötunnustasi."
        ),
    )
    include_assessment = forms.BooleanField(
        label=_("Lähetä itsearvion vastaukset pyynnön mukana"), required=False
    )
    consent_contact = forms.BooleanField(
        label=_("Työkykykoordinaattori saa ottaa minuun yhteyttä antamillani yhteystiedoilla."),
        required=False,
    )
    consent_store = forms.BooleanField(
        label=_(
            "Tietoni saa tallentaa tätä pyyntöä varten. Tietoja käsittelevät vain kuntani "
            "työkykykoordinaattorit."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = area_questions()
        for q in self.questions:
            self.fields[ASSESSMENT_PREFIX + q.code] = forms.TypedChoiceField(
                label=q.question,
                choices=[(str(n), str(n)) for n in range(11)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.HiddenInput,
            )
        # The honeypot: hidden from people (CSS and aria), filled in by naive bots.
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Jätä tämä kenttä tyhjäksi"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def assessment(self) -> dict[str, int]:
        """The self-assessment answers carried on the form (before or after validation)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        answers: dict[str, int] = {}
        for q in self.questions:
            value = data.get(ASSESSMENT_PREFIX + q.code)
            if value is not None:
                answers[q.code] = value
        return answers

    def assessment_rows(self) -> list[tuple[str, str]]:
        """Question and answer for the summary the person sees before sending."""
        rows = []
        for q in self.questions:
            value = self[ASSESSMENT_PREFIX + q.code].value()
            if value not in (None, ""):
                rows.append((q.question, str(value)))
        return rows

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else ""

    def clean_message(self) -> str:
        value: str = self.cleaned_data["message"]
        if contains_hetu(value):
            raise forms.ValidationError(
                _("Poista henkilötunnus viestistä. Koordinaattori kysyy sen tarvittaessa."),
                code="hetu",
            )
        return value


class CloseForm(forms.Form):
    prefix = "close"
    reason = forms.ChoiceField(label=_("Syy"), choices=CloseReason.choices)
    note = forms.CharField(
        label=_("Lisätieto"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContactedForm(forms.Form):
    prefix = "contacted"
    note = forms.CharField(
        label=_("Muistiinpano"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Esimerkiksi sovittu tapaamisaika."),
    )


class ConvertForm(forms.Form):
    prefix = "convert"
    first_names = forms.CharField(label=_("Etunimet"), max_length=150)
    last_name = forms.CharField(label=_("Sukunimi"), max_length=150)


class QueueFilterForm(forms.Form):
    tila = forms.ChoiceField(
        label=_("Tila"),
        required=False,
        choices=[("", _("Avoimet")), *list(Status.choices)],
    )
    kunta = forms.TypedChoiceField(label=_("Kunta"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, municipalities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kunta"].choices = [("", _("Kaikki"))] + [  # type: ignore[attr-defined]
            (m.id, m.name) for m in municipalities
        ]


def split_name(name: str) -> tuple[str, str]:
    """A first guess for the conversion form; the coordinator checks it with the person."""
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return " ".join(parts[:-1]), parts[-1]
