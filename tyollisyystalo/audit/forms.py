from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.selectors import LogFilter
from tyollisyystalo.shared.forms import DateInput
from tyollisyystalo.staff.models import StaffMember


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Toiminto"), choices=[("", _("Kaikki")), *Action.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Tulos"), choices=[("", _("Kaikki")), *Outcome.choices], required=False
    )
    since = forms.DateField(label=_("Alkaen"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Asti"), required=False, widget=DateInput())
    user = forms.ModelChoiceField(
        label=_("Työntekijä"), queryset=StaffMember.objects.none(), required=False
    )

    def __init__(self, *args: object, organisation_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if organisation_id is None:
            del self.fields["user"]
        else:
            user_field = self.fields["user"]
            assert isinstance(user_field, forms.ModelChoiceField)
            user_field.queryset = StaffMember.objects.filter(
                organisation_id=organisation_id
            ).select_related("user", "organisation")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("Loppupäivä ei voi olla ennen alkupäivää."))
        return cleaned

    def to_filter(self) -> LogFilter:
        data = self.cleaned_data if self.is_valid() else {}
        user = data.get("user")
        return LogFilter(
            action=data.get("action", ""),
            outcome=data.get("outcome", ""),
            since=data.get("since"),
            until=data.get("until"),
            actor_user_id=user.user_id if user else None,
        )
