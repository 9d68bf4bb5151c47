from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tyollisyystalo.shared.api import TextField
from tyollisyystalo.staff.permissions import staff_member_for


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenRequestSerializer(serializers.Serializer[None]):
    username = TextField(max_length=150)
    password = TextField(max_length=200, trim_whitespace=False)
    otp_token = serializers.RegexField(r"^\d{6}$")


class TokenView(APIView):
    """Issue an API token after password **and** TOTP; the token expires (API_TOKEN_TTL)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {
                    "token": serializers.CharField(),
                    "expires_in_seconds": serializers.IntegerField(),
                },
            ),
            401: OpenApiResponse(description="Wrong username, password or code."),
            429: OpenApiResponse(description="Too many attempts; try again later."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        device = match_token(user, data["otp_token"]) if user is not None else None
        if user is not None and device is None:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": data["username"]},
                request=request._request,
            )
        if user is None or device is None or staff_member_for(user) is None:
            return Response(
                {"detail": _("Käyttäjätunnus, salasana tai vahvistuskoodi on väärin.")},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        return Response(
            {"token": token.key, "expires_in_seconds": int(settings.API_TOKEN_TTL.total_seconds())}
        )
