"""Gunicorn's own logs as JSON lines: the error log and an access log without personal data.

An access line has method, path (no query string, token-like segments redacted), status,
duration, response size and the request id the application gave; no address, no user agent, no
referrer, no user name (a query string or a referrer may hold a name or a henkilötunnus).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from tyollisyystalo.ops.logs import SafeJsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = SafeJsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta
    ) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), ""
        )
        self.access_log.log(
            logging.INFO,
            "request",
            extra={
                "method": environ.get("REQUEST_METHOD", ""),
                "path": environ.get("PATH_INFO", ""),
                "status": int(status),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "bytes": getattr(resp, "sent", None),
                "request_id": request_id,
            },
        )
