"""Structured JSON log lines that carry no personal data.

Only an allowlist of fields reaches the output: time, level, logger, message, request id,
exception text, and the access log's own fields (method, path without the query string and
with secret-looking segments redacted, status, duration, size). Anything else a library adds as
an ``extra`` (Django's ``request`` object, whose text repeats the query string) is dropped.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from tyollisyystalo.audit.context import request_id_if_any

ALLOWED_FIELDS = frozenset(
    {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "exc_info",
        "method",
        "path",
        "status",
        "duration_ms",
        "bytes",
        "user_id",
    }
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# A long run of URL-safe characters that is not a UUID: a bearer token (work-trial feedback links).
_TOKEN_LIKE = re.compile(r"^[A-Za-z0-9_-]{20,}$")


def loggable_path(path: str) -> str:
    """The path without its query string, each token-like segment replaced by ``[redacted]``."""
    bare = path.split("?", 1)[0]
    return "/".join(
        "[redacted]" if _TOKEN_LIKE.match(part) and not _UUID.match(part) else part
        for part in bare.split("/")
    )


class SafeJsonFormatter(JsonFormatter):
    """One JSON object per line, allowlisted fields only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"}
        )
        super().__init__("{asctime}{levelname}{name}{message}", *args, style="{", **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        request_id = log_data.get("request_id") or request_id_if_any()
        if request_id:
            log_data["request_id"] = request_id
        if "path" in log_data:
            log_data["path"] = loggable_path(str(log_data["path"]))
        return {key: value for key, value in log_data.items() if key in ALLOWED_FIELDS}
