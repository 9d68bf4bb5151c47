"""The answer to bad input on a small action form: 400, what was wrong, and the way back."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def refused(request: HttpRequest, errors: str | Iterable[str], back: str) -> HttpResponse:
    """Nothing was saved: name every problem and link back to the page the form was on."""
    listed = [errors] if isinstance(errors, str) else [str(e) for e in errors]
    return render(request, "refused.html", {"errors": listed, "back": back}, status=400)
