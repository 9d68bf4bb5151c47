from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.retention.services import REASON_MAX_LENGTH


class LegalHoldForm(forms.Form):
    client_id = forms.UUIDField(
        label=_("Asiakkaan tunniste"),
        help_text=_("Asiakkaan tunniste (UUID) esimerkiksi oikeudenkäyntiä koskevasta pyynnöstä."),
        error_messages={
            "invalid": _("Anna asiakkaan tunniste muodossa xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.")
        },
    )
    reason = forms.CharField(
        label=_("Peruste"),
        help_text=_(
            "Miksi tietoja ei saa poistaa, esimerkiksi vireillä oleva oikeudenkäynti tai valitus."
        ),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
