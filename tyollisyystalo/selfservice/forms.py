from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.selfservice.models import ClientAccount


class DemoLoginForm(forms.Form):
    """Development login for the demo: choose a demo client. Only when DEMO is on."""

    account = forms.ModelChoiceField(
        label=_("Esittelyasiakas"),
        queryset=ClientAccount.objects.select_related("client__identity").order_by(
            "client__identity__last_name"
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["account"]
        field.label_from_instance = lambda a: a.client.identity.full_name  # type: ignore[attr-defined]
