"""Liveness and readiness probes for the process manager and the load balancer.

``/healthz`` answers while the process serves requests and touches nothing else. ``/readyz``
answers 200 only when the database is reachable, no migration is left unapplied and the access
log's chain head can be read, so a new release takes traffic only once it can write the log.
Both are answered by a middleware placed first, before the host check, HTTPS redirect, session
and login: a probe comes over plain HTTP from an internal address and must not need a cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

from tyollisyystalo.audit.selectors import log_heads_readable

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def _database_reachable() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _log_head_readable() -> bool:
    """The chain heads that appends lock can be read (a chain's head is made by its first
    append, so a new deployment may have none)."""
    log_heads_readable()
    return True


READINESS_CHECKS: dict[str, Callable[[], bool]] = {
    "database": _database_reachable,
    "migrations": _migrations_applied,
    "access_log": _log_head_readable,
}


def readiness() -> dict[str, bool]:
    """Each check's answer; a check that cannot reach the database fails, the rest still run."""
    results: dict[str, bool] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            results[name] = check()
        except DatabaseError:
            results[name] = False
    return results


def _json(payload: dict[str, object], status: int) -> HttpResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answer the two probe paths (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in (HEALTH_PATH, READY_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json({"status": "method not allowed"}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        if request.path_info == HEALTH_PATH:
            return _json({"status": "ok"}, 200)
        checks = readiness()
        ready = all(checks.values())
        return _json(
            {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
        )
