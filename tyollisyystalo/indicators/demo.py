"""The demo region's goals (seed 002: Kymenlaakso's cooperation agreement) and public figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from tyollisyystalo.indicators.models import PublicIndicatorImport
from tyollisyystalo.indicators.periods import PeriodKind, period_of
from tyollisyystalo.indicators.services import public_indicators_import, region_goal_set

# Seed 002, "Yhteiset tavoitteemme": the four goals of the agreement with their latest results.
SEED_002_GOALS = (
    ("client_satisfaction", Decimal("8.5"), "TAVOITE #1: Asiakastyytyväisyys paranee"),
    ("client_activation", Decimal("35"), "TAVOITE #2: Aktivointiaste nousee"),
    (
        "placed_in_working_life",
        Decimal("28"),
        "TAVOITE #3: Työelämään sijoittuvien määrä lisääntyy",
    ),
    (
        "cooperation",
        Decimal("3.6"),
        "TAVOITE #4: Henkilöstö kokee monialaisen yhteistyön toimivaksi",
    ),
)
DEMO_CSV = Path(__file__).resolve().parent / "data" / "tem_tyonvalitystilasto_demo.csv"
DEMO_SOURCE = "Työ- ja elinkeinoministeriö, työnvälitystilasto (demoaineisto)"
DEMO_PUBLISHED = dt.date(2026, 11, 24)


def seed_indicators(*, today: dt.date | None = None) -> int:
    """The region's goals for this year and the two before (so trends have goals too) and the
    demo CSV of public figures, once. Returns how many goals were written."""
    year = period_of(PeriodKind.YEAR, today or timezone.localdate())
    written = 0
    for back in range(3):
        for key, target, basis in SEED_002_GOALS:
            region_goal_set(
                indicator_key=key,
                period=year.previous(back),
                target=target,
                basis=f"Kymenlaakson yhteistyösopimus, {basis}",
            )
            written += 1
    if not PublicIndicatorImport.objects.filter(file_name=DEMO_CSV.name).exists():
        public_indicators_import(
            text=DEMO_CSV.read_text(encoding="utf-8"),
            source=DEMO_SOURCE,
            published_on=DEMO_PUBLISHED,
            file_name=DEMO_CSV.name,
        )
    return written
