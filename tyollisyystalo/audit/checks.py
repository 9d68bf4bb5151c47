"""System checks of the access log's witness (ADR 0019)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from tyollisyystalo.audit.checkpoints import configured_sinks


@register(Tags.security)
def checkpoint_sink_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        configured_sinks()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="audit.E001")]
    return []


@register(Tags.security, deploy=True)
def checkpoint_sink_set(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "ACCESS_LOG_CHECKPOINT_SINK", ""):
        return []
    return [
        Warning(
            "ACCESS_LOG_CHECKPOINT_SINK is not set: no signed checkpoints leave the database, "
            "so a truncated access log cannot be proven (docs/operations.md).",
            id="audit.W001",
        )
    ]
