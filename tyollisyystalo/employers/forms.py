from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.employers.models import (
    CoachingTeam,
    ContactKind,
    ContactPerson,
    Employer,
    JobOpening,
    Sector,
    Size,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.forms import DateInput, ListSelect
from tyollisyystalo.staff.models import StaffMember


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Nimi tai Y-tunnus"), required=False, max_length=200)
    sector = forms.ChoiceField(
        label=_("Toimiala"),
        required=False,
        choices=[("", _("Kaikki")), *list(Sector.choices)],
        widget=ListSelect,
    )
    municipality = forms.ModelChoiceField(
        label=_("Kunta"),
        required=False,
        queryset=Municipality.objects.all(),
        to_field_name="code",
        empty_label=_("Kaikki"),
        widget=ListSelect,
    )

    def __init__(self, *args: Any, team: CoachingTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the municipalities the team's employers are in: a filter that finds something.
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(
            pk__in=Employer.objects.filter(team=team, merged_into__isnull=True)
            .exclude(municipality=None)
            .values("municipality")
        ).order_by("name_fi")


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Nimi"), max_length=200)
    business_id = forms.CharField(
        label=_("Y-tunnus"),
        required=False,
        max_length=20,
        help_text=_("Muodossa 1234567-8."),
    )
    sector = forms.ChoiceField(label=_("Toimiala"), choices=Sector.choices, initial=Sector.X)
    municipality = forms.ModelChoiceField(
        label=_("Kunta"), required=False, queryset=Municipality.objects.all()
    )
    size = forms.ChoiceField(label=_("Koko"), required=False, choices=Size.choices)
    owner = forms.ModelChoiceField(
        label=_("Vastuuvalmentaja"), required=False, queryset=StaffMember.objects.none()
    )

    def __init__(self, *args: object, team: CoachingTeam, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = StaffMember.objects.filter(
            organisation__in=team.organisations.all(), is_active=True
        ).select_related("user", "organisation")


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Yhdistä työnantajaan"), queryset=Employer.objects.none()
    )

    def __init__(self, *args: object, employer: Employer, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = Employer.objects.filter(
            team_id=employer.team_id, merged_into__isnull=True
        ).exclude(pk=employer.pk)


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Päivä"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Yhteydenoton tapa"), choices=ContactKind.choices)
    face_to_face = forms.BooleanField(label=_("Kasvokkain"), required=False)
    contact_person = forms.ModelChoiceField(
        label=_("Yhteyshenkilö"), required=False, queryset=ContactPerson.objects.none()
    )
    notes = forms.CharField(label=_("Muistiinpanot"), required=False, widget=forms.Textarea)
    next_step = forms.CharField(label=_("Seuraava askel"), required=False, max_length=300)
    next_step_on = forms.DateField(
        label=_("Seuraava yhteydenotto"), required=False, widget=DateInput()
    )
    client = forms.UUIDField(
        label=_("Asiakas, jota yhteydenotto koski (tunniste)"),
        required=False,
        help_text=_("Vain jos tapaaminen koski yhtä asiakasta. Jätä muuten tyhjäksi."),
    )

    def __init__(self, *args: object, employer: Employer, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        person = self.fields["contact_person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = ContactPerson.objects.filter(employer=employer, erased_at__isnull=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV-tiedosto"), required=False)
    # After the preview the checked text comes back with the confirmation.
    text = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("file") and not cleaned.get("text"):
            raise forms.ValidationError(_("Valitse tuotava CSV-tiedosto."))
        return cleaned


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "phone", "email", "may_email"]


class OpeningForm(forms.ModelForm):
    class Meta:
        model = JobOpening
        fields = ["kind", "title", "description", "hours_per_week", "open_until"]
        widgets = {"open_until": DateInput()}
