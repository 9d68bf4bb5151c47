from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.coaching.models import (
    CoachingKind,
    CoachingStatus,
    EndingReason,
    Intensity,
    SupportContactKind,
)
from tyollisyystalo.employers.models import Employer
from tyollisyystalo.shared.formdefs import NUMBER_LIMIT, FormDefinition, Item
from tyollisyystalo.shared.forms import DateInput
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role


class StartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Valmennuksen malli"), choices=CoachingKind.choices, initial=CoachingKind.IPS
    )
    intensity = forms.ChoiceField(
        label=_("Tiiviys"), choices=Intensity.choices, initial=Intensity.INTENSIVE
    )
    started_on = forms.DateField(label=_("Alkamispäivä"), widget=DateInput())
    deputy = forms.ModelChoiceField(
        label=_("Varavalmentaja"), required=False, queryset=StaffMember.objects.none()
    )
    note = forms.CharField(
        label=_("Huomio"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, coach: StaffMember, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        deputy = self.fields["deputy"]
        assert isinstance(deputy, forms.ModelChoiceField)
        deputy.queryset = (
            StaffMember.objects.filter(
                organisation_id=coach.organisation_id, role=Role.JOB_COACH, is_active=True
            )
            .exclude(pk=coach.pk)
            .select_related("user")
        )


class TransitionForm(forms.Form):
    prefix = "tila"
    to_status = forms.ChoiceField(label=_("Uusi tila"), choices=CoachingStatus.choices)
    effective_on = forms.DateField(label=_("Päivämäärä"), widget=DateInput())
    ending_reason = forms.ChoiceField(
        label=_("Päättymisen syy"),
        required=False,
        choices=[("", "—"), *EndingReason.choices],
        help_text=_("Pakollinen, kun valmennus päättyy."),
    )
    note = forms.CharField(
        label=_("Huomio"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, allowed: list[str], **kwargs: object) -> None:
        kwargs.setdefault("initial", {"effective_on": timezone.localdate()})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        labels = dict(CoachingStatus.choices)
        status = self.fields["to_status"]
        assert isinstance(status, forms.ChoiceField)
        # Only the moves the status machine allows are offered; the service checks again.
        status.choices = [(s, labels[s]) for s in allowed]


class SupportContactForm(forms.Form):
    prefix = "tuki"
    contacted_on = forms.DateField(label=_("Päivämäärä"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Yhteydenoton laji"), choices=SupportContactKind.choices)
    face_to_face = forms.BooleanField(label=_("Kasvokkain"), required=False, initial=True)
    note = forms.CharField(
        label=_("Muistiinpano"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"contacted_on": timezone.localdate(), "face_to_face": True})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


YES_NO = [("yes", _("Kyllä")), ("no", _("Ei"))]


class BoundedDecimalField(forms.DecimalField):
    """A number a form can ask for: "1e400" is refused before the range and step checks."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        number = super().to_python(value)
        if number is not None and (not number.is_finite() or abs(number) >= NUMBER_LIMIT):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _bool_coerce(value: str) -> bool:
    return value == "yes"


def definition_field(item: Item, language: str) -> forms.Field:
    """A form field for one item of a definition; the service checks the answers again."""
    common: dict[str, Any] = {
        "label": item.label.get(language),
        "required": item.required,
        "help_text": item.help.get(language) if item.help else "",
    }
    if item.kind == "text":
        return forms.CharField(max_length=item.max_length, **common)
    if item.kind == "textarea":
        return forms.CharField(
            max_length=item.max_length, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if item.kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    if item.kind == "number":
        return BoundedDecimalField(
            min_value=item.minimum, max_value=item.maximum, step_size=item.step, **common
        )
    if item.kind == "choice":
        return forms.ChoiceField(
            choices=[(o.value, o.label.get(language)) for o in item.options],
            widget=forms.RadioSelect,
            **common,
        )
    if item.kind == "multichoice":
        return forms.MultipleChoiceField(
            choices=[(o.value, o.label.get(language)) for o in item.options],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.TypedChoiceField(
        choices=YES_NO, coerce=_bool_coerce, widget=forms.RadioSelect, empty_value=None, **common
    )


def initial_of(definition: FormDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """A stored answer as the form's initial values (a new version starts from the latest)."""
    initial: dict[str, Any] = {}
    for item in definition.items:
        if item.code not in answers:
            continue
        value = answers[item.code]
        initial[item.code] = ("yes" if value else "no") if item.kind == "bool" else value
    return initial


class DefinitionForm(forms.Form):
    """The items of one form definition as fields, in the reader's language."""

    def __init__(
        self, *args: Any, definition: FormDefinition, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for item in definition.items:
            self.fields[item.code] = definition_field(item, language)

    def answers(self) -> dict[str, Any]:
        """The typed values for the service (it cleans them again against the definition)."""
        return {k: v for k, v in self.cleaned_data.items() if k in self._item_codes}

    @property
    def _item_codes(self) -> set[str]:
        return {item.code for item in self.definition.items}


class PlacementStartForm(DefinitionForm):
    """Form C with the employer picked from the team's register (or typed by name)."""

    def __init__(self, *args: Any, employers: QuerySet[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employer = forms.ModelChoiceField(
            label=_("Työnantaja rekisteristä"),
            required=False,
            queryset=employers,
            empty_label=_("Ei rekisterissä – kirjoita nimi alle"),
        )
        self.fields = {"employer": employer, **self.fields}


class EmployerMeetingForm(DefinitionForm):
    """Form B: the employer from the team's register, and whether it was about this client."""

    def __init__(self, *args: Any, employers: QuerySet[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employer = forms.ModelChoiceField(label=_("Työnantaja"), queryset=employers)
        about = forms.BooleanField(
            label=_("Tapaaminen koski tätä asiakasta"),
            required=False,
            help_text=_(
                "Asiakas liitetään rekisterin kirjaukseen vain, jos tapaaminen koski häntä."
            ),
        )
        self.fields = {"employer": employer, **self.fields, "about_client": about}


class PlacementLinkForm(forms.Form):
    """A feedback link for the employer of a placement (the work-trial link machinery)."""

    trial_label = forms.CharField(
        label=_("Mistä palautetta pyydetään"),
        max_length=200,
        help_text=_("Työnantaja näkee tämän. Esimerkiksi ”Klaus, varastotyöntekijä 1.2. alkaen”."),
    )
    host_name = forms.CharField(label=_("Työnantaja tai yhteyshenkilö"), max_length=200)
    host_email = forms.EmailField(
        label=_("Sähköposti"),
        required=False,
        help_text=_("Jos annat osoitteen, linkki lähetetään sinne. Muuten kopioi linkki itse."),
    )
    valid_days = forms.IntegerField(
        label=_("Voimassa päivää"), min_value=1, max_value=90, initial=30
    )
