from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.messaging.models import BODY_MAX, SUBJECT_MAX
from tyollisyystalo.staff.models import StaffMember


def _subject() -> forms.CharField:
    return forms.CharField(
        label=_("Aihe"),
        max_length=SUBJECT_MAX,
        error_messages={"required": _("Kirjoita viestille aihe.")},
    )


def _body() -> forms.CharField:
    return forms.CharField(
        label=_("Viesti"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Kirjoita viesti.")},
    )


def _attachment() -> forms.FileField:
    return forms.FileField(
        label=_("Liite (PDF, PNG tai JPEG, vapaaehtoinen)"),
        required=False,
        error_messages={"empty": _("Tiedosto on tyhjä.")},
    )


class StaffThreadForm(forms.Form):
    subject = _subject()
    body = _body()
    attachment = _attachment()


class ReplyForm(forms.Form):
    body = _body()
    attachment = _attachment()


class ClientThreadForm(forms.Form):
    recipient = forms.TypedChoiceField(
        label=_("Kenelle"),
        coerce=int,
        error_messages={
            "required": _("Valitse vastaanottaja listalta."),
            "invalid_choice": _("Valitse vastaanottaja listalta."),
        },
    )
    subject = _subject()
    body = _body()
    attachment = _attachment()

    def __init__(self, *args: Any, recipients: list[StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.display_name}, {p.get_role_display()} ({p.organisation.name})")
            for p in recipients
        ]


class AwayForm(forms.Form):
    away_until = forms.DateField(
        label=_("Poissa saakka (tyhjä: en ole poissa)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Poissa ollessasi asiakkaiden uudet viestit menevät myös varahenkilölle."),
        error_messages={"invalid": _("Anna päivämäärä muodossa pp.kk.vvvv.")},
    )
