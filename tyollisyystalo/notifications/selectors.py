from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator

from tyollisyystalo.notifications.models import Notification, NotificationPreference

PAGE_SIZE = 30


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_page(user: Any, number: str | int | None) -> Page[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    return Paginator(rows, PAGE_SIZE).get_page(number)


def wants_digest(user: Any) -> bool:
    return NotificationPreference.objects.filter(user=user, email_digest=True).exists()
