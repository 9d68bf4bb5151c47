from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.appointments.models import Appointment, AppointmentKind, OtherParticipant
from tyollisyystalo.staff.models import StaffMember


class BookForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tapaamisen laji"), choices=AppointmentKind.choices)
    day = forms.DateField(
        label=_("Päivä"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": _("Anna päivä muodossa pp.kk.vvvv.")},
    )
    start = forms.TimeField(
        label=_("Alkaa klo"),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": _("Anna kellonaika muodossa tt.mm.")},
    )
    end = forms.TimeField(
        label=_("Päättyy klo"),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": _("Anna kellonaika muodossa tt.mm.")},
    )
    place = forms.CharField(label=_("Paikka"), required=False, max_length=500)
    remote_url = forms.CharField(
        label=_("Etäyhteyden osoite"),
        required=False,
        max_length=500,
        help_text=_("Esimerkiksi videotapaamisen linkki, alkaa https://"),
    )
    purpose = forms.CharField(
        label=_("Aihe asiakkaalle"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Asiakas näkee tämän omilla sivuillaan. Kirjoita selkeästi."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Muut osallistujat"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.MultipleChoiceField(
        label=_("Mukana myös"),
        choices=OtherParticipant.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Muut osallistujat roolin mukaan, ilman nimiä."),
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = colleagues  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.display_name}, {p.get_role_display()}"  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(appointment: Appointment, staff: StaffMember) -> dict[str, Any]:
        starts, ends = (
            timezone.localtime(appointment.starts_at),
            timezone.localtime(appointment.ends_at),
        )
        return {
            "kind": appointment.kind,
            "day": starts.date(),
            "start": starts.time().replace(second=0, microsecond=0),
            "end": ends.time().replace(second=0, microsecond=0),
            "place": appointment.place,
            "remote_url": appointment.remote_url,
            "purpose": appointment.purpose,
            "others": appointment.others,
            "participants": [p.pk for p in appointment.participants.all() if p.pk != staff.pk],
        }

    def moment(self, name: str) -> dt.datetime | None:
        day, time = self.cleaned_data.get("day"), self.cleaned_data.get(name)
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Syy (vapaaehtoinen)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MoveForm(forms.Form):
    preferred = forms.CharField(
        label=_("Mitkä ajat sinulle sopisivat?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Kerro, mitkä ajat sinulle sopisivat.")},
    )
