from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tyollisyystalo.retention.models import ErasureRecord


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """Read-only: erasure records are evidence of what the retention run did."""

    list_display = ("erased_at", "class_id", "action", "record_count", "rule_version")
    list_filter = ("class_id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
