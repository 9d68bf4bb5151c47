from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tyollisyystalo.audit.models import AccessLogEntry, LogErasureAnchor


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin[AccessLogEntry]):
    """Read-only: the admin can neither add, change nor delete log entries."""

    list_display = [
        "chain",
        "seq",
        "at",
        "actor_name",
        "actor_role",
        "action",
        "outcome",
        "client_id",
    ]
    list_filter = ["action", "outcome", "chain"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LogErasureAnchor)
class LogErasureAnchorAdmin(admin.ModelAdmin[LogErasureAnchor]):
    """Read-only, like the log: anchors are written only by the retention run (ADR 0024)."""

    list_display = ["chain", "seq", "erased_count", "newest_erased_at", "created_at"]
    list_filter = ["chain"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
