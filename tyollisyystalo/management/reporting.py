"""Where management reads go (issue 15 part 6).

Management pages, the indicator API and the exports read through ``reporting_db()``: the
``replica`` database alias when ``DATABASE_REPLICA_URL`` names a PostgreSQL read replica, the
primary otherwise, so that reporting at scale never slows down caseworkers' writes.
"""

from __future__ import annotations

from django.conf import settings


def reporting_db() -> str:
    alias: str = getattr(settings, "REPORTING_DATABASE", "default")
    return alias
