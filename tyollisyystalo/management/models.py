"""The reporting store (ADR 0026): management figures as counted, kept for the page views after."""

from __future__ import annotations

from django.db import models


class ReportSnapshot(models.Model):
    """One report's raw figures (before the small-number rule) for one set of parameters.

    ``report`` names the computation (``indicator``, ``situation``), ``key`` is the SHA-256 of
    its parameters, kept readable in ``params`` so that ``run_scheduled`` can count them again.
    ``computed_for`` is the day the figures were counted on: figures of a running period depend
    on it, so a snapshot of another day is never served. ``read_on`` is the last day a page or
    the API used it (written at most once a day): the ones in use are recounted before they
    grow old. Counts, never a person: nothing here identifies anyone.
    """

    report = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    params = models.JSONField()
    payload = models.JSONField()
    computed_at = models.DateTimeField()
    computed_for = models.DateField()
    read_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_snapshot_unique")
        ]
        indexes = [models.Index(fields=["read_on", "computed_at"], name="report_snapshot_in_use")]

    def __str__(self) -> str:
        return f"{self.report} {self.key[:12]}"
