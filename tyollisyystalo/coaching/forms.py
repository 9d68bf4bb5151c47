from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.coaching.models import (
    CoachingKind,
    CoachingStatus,
    EndingReason,
    Intensity,
    SupportContactKind,
)
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
