"""The printable plan (PDF) in the plan's language, rendered by WeasyPrint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from tyollisyystalo.plans.selectors import PlanPage


def plan_pdf(page: PlanPage) -> bytes:
    """One version as a PDF; every heading and label in the plan's (the client's) language."""
    # Imported here: loading Pango is slow and only PDFs need it.
    from weasyprint import HTML  # type: ignore[import-untyped]

    with translation.override(page.plan.language or "fi"):
        html = render_to_string(
            "plans/plan_print.html",
            {"page": page, "plan": page.plan, "content": page.version.content},
        )
    document: bytes = HTML(string=html).write_pdf()
    return document
