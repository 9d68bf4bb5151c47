from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tyollisyystalo.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The bell's count, counted only when a page draws the bell (a callable in the template)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
