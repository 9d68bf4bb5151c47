from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_already_used(user: Any, token: str) -> bool:
    """Is ``token`` the user's current code, already used for a login (django-otp accepts each
    time step once)? Asked only after the password was right, so it tells nothing new."""
    if not token.isdigit():
        return False
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.verify(int(token), device.tolerance):
            return True
    return False


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Käyttäjätunnus"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Salasana"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.RegexField(
        label=_("Vahvistuskoodi"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("Kuusi numeroa todennussovelluksesta."),
        error_messages={"invalid": _("Vahvistuskoodissa on kuusi numeroa.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8}
        ),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: Any = None
        self.device: Any = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        token = (cleaned.get("otp_token") or "").strip()
        if not username or not password or not token:
            return cleaned
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            raise forms.ValidationError(
                _("Käyttäjätunnus, salasana tai vahvistuskoodi on väärin."), code="invalid_login"
            )
        device = match_token(user, token)
        if device is None:
            # A wrong second factor counts as a failed login for throttling.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            if code_already_used(user, token):
                raise forms.ValidationError(
                    _(
                        "Tämä vahvistuskoodi on jo käytetty. Odota, että sovellus näyttää uuden "
                        "koodin (enintään 30 sekuntia), ja kirjaudu sillä."
                    ),
                    code="code_used",
                )
            raise forms.ValidationError(
                _("Käyttäjätunnus, salasana tai vahvistuskoodi on väärin."), code="invalid_login"
            )
        self.user, self.device = user, device
        return cleaned
