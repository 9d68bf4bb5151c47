from __future__ import annotations

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class FinnishFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Finnish until the visitor chooses Swedish or English (the language cookie).

    A browser's Accept-Language is ignored for pages, as on Finnish public services; API
    clients may still ask for a language with Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
