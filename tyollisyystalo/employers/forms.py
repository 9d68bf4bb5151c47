from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.employers.models import CoachingTeam, Employer, Sector, Size
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.models import StaffMember


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Nimi tai Y-tunnus"), required=False, max_length=200)
    sector = forms.ChoiceField(
        label=_("Toimiala"), required=False, choices=[("", _("Kaikki")), *list(Sector.choices)]
    )
    municipality = forms.ModelChoiceField(
        label=_("Kunta"),
        required=False,
        queryset=Municipality.objects.all(),
        to_field_name="code",
        empty_label=_("Kaikki"),
    )


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
