"""Response headers every response of the service gets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Public, client-free data that caches and browsers may keep: the service catalogue's APIs and
# the API's own description. Everything else may carry client data or a person's session.
PUBLIC_CACHEABLE_PREFIXES = (
    "/api/v1/hsds/",
    "/api/v1/catalogue/",
    "/api/schema/",
    "/api/docs/",
)


def may_be_stored(path: str) -> bool:
    return path.startswith(PUBLIC_CACHEABLE_PREFIXES)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response except the public catalogue.

    Staff pages, the client's own pages, the API and even public pages (a contact request's
    receipt, a work-trial host's feedback form) may hold personal data or a session's CSRF
    token, so no browser, proxy or back-forward cache may keep a copy. Deciding by path rather
    than by whether someone is logged in leaves no page that forgot the header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not may_be_stored(request.path_info):
            response["Cache-Control"] = "no-store"
        return response
