"""Gunicorn settings for production: ``gunicorn -c config/gunicorn.py``.

Every value comes from the environment; the defaults suit one host behind a reverse proxy
(nginx, a load balancer) on the same machine. See README "Running in production".
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "config.wsgi:application"

# Where to listen: "127.0.0.1:8000" behind a local proxy, "0.0.0.0:8000" in a container.
bind = [p.strip() for p in (os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000").split(",")]
# Sync workers; each holds one database connection. 2 x cores + 1 is the usual start, capped so
# a large host does not exhaust PostgreSQL's connections.
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
# A request running longer than this is killed; plan PDFs are the slowest pages.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a deploy), workers finish the requests they have for this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-Proto/For only from the reverse proxy's addresses (comma-separated).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# Logs: JSON lines on stdout (access) and stderr (errors), no query strings or personal data.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
logger_class = "tyollisyystalo.ops.gunicorn_logging.JsonLogger"
# Refuse oversized request lines and headers early.
limit_request_line = 8190
limit_request_fields = 100
# No control socket (gunicorn 24+ opens one in the home directory by default); restarts and
# reloads go through signals from the process manager.
control_socket_disable = True
