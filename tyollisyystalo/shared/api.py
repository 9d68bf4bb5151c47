"""API conventions shared by every app: errors as JSON in the user's language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(detail=exc.message_dict)
        else:
            exc = exceptions.ValidationError(detail={"detail": " ".join(exc.messages)})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Ei löytynyt."))
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("Pyyntö on liian suuri.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, SuspiciousOperation):
        return Response({"detail": _("Pyyntö oli virheellinen.")}, status=400)
    return drf_exception_handler(exc, context)


# Django's own error views answer what never reached an API view (an address that matches no
# pattern, a request refused by the middleware): under /api/ they answer in JSON too.
def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Pyyntö oli virheellinen.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Sinulla ei ole oikeutta tähän.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Ei löytynyt.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Palvelussa tapahtui virhe.")}, status=500)
    return defaults.server_error(request)


class TextField(serializers.CharField):
    """Text in a JSON body: a string, never a number or a boolean turned into one (DRF's
    ``CharField`` would store ``123`` as "123"); NUL is refused as by every ``CharField``."""

    default_error_messages = {"not_text": _lazy("Anna teksti.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)
