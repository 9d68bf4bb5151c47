"""API authentication: tokens issued after password + TOTP expire; sessions must be verified."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tyollisyystalo.staff.permissions import staff_member_for

if TYPE_CHECKING:
    from rest_framework.views import APIView


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - settings.API_TOKEN_TTL:
            token.delete()
            raise exceptions.AuthenticationFailed(_("Tunniste on vanhentunut. Kirjaudu uudelleen."))
        return user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not getattr(user, "is_verified", lambda: False)():
            return None
        return result


class IsVerifiedStaff(BasePermission):
    message = _lazy("Vain tunnistautunut henkilöstö voi käyttää rajapintaa.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        staff = staff_member_for(request.user)
        if staff is None:
            return False
        request.staff = staff  # type: ignore[attr-defined]
        return True
