"""What a locked-out login attempt gets (django-axes' AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The API answers in JSON in the request's language; pages get the accessible page."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": _(
                    "Kirjautuminen epäonnistui liian monta kertaa. Yritä uudelleen 15 minuutin "
                    "kuluttua tai ota yhteyttä pääkäyttäjään."
                ),
                "code": "locked_out",
            },
            status=LOCKOUT_STATUS,
        )
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=LOCKOUT_STATUS)
    response["Retry-After"] = retry_after
    return response
