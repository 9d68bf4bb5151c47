"""The demo region's stated latent structure: five kinds of long-term unemployed clients.

The demo history and the segment benchmark draw every client from one of these classes, so
that an analysis of the records has something true to find and its recovery can be measured
(issue 19 part 8). Each class states the prevalence of each support-need checklist item, the
mean of each self-assessment area (0–10), the Work Ability Score, the unemployment months, the
benefit facts, the entry routes, the language and the age. Items a class does not name have
the background prevalence; areas it does not name the background mean.

Sex is drawn apart from the class (the classes do not differ by sex); age differs by class
(young people with little work experience, older people whose health limits work), which the
fairness check is expected to show.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tyollisyystalo.segments.features import (
    CHECKLIST,
    SELF_ASSESSMENT,
    WORK_ABILITY,
    ClientFacts,
    Feature,
    feature_row,
    features,
)

BACKGROUND_ITEM = 0.08
BACKGROUND_AREA = 7.0
AREA_SPREAD = 1.4
KNOWN = {"checklist": 0.8, "self_assessment": 0.75, "work_ability": 0.8, "facts": 0.7}


@dataclass(frozen=True)
class LatentClass:
    code: str
    name: str
    weight: float
    items: Mapping[str, float]
    areas: Mapping[str, float]
    work_ability: float
    unemployment: tuple[int, int, int]  # months: low, high, mode
    earnings_exhausted: float
    subsidy: float
    social_assistance: float
    routes: tuple[int, int, int, int]  # employment services, social and health, self, portal
    languages: tuple[int, int, int] = (90, 7, 3)  # fi, sv, other
    age: tuple[int, int, int] = (22, 63, 40)


LATENT_CLASSES: tuple[LatentClass, ...] = (
    LatentClass(
        "mental_health",
        "Mielenterveyden haasteet ja pitkä työttömyys",
        0.28,
        {
            "mental_health_challenges": 0.85,
            "social_functioning_problems": 0.6,
            "prolonged_unemployment": 0.8,
            "repeated_rehabilitation": 0.35,
        },
        {"mieli": 3.0, "osallisuus": 4.0, "arki": 5.0, "tyokyky": 4.5},
        4.0,
        (12, 72, 30),
        0.5,
        0.8,
        0.55,
        (30, 55, 10, 5),
    ),
    LatentClass(
        "language",
        "Kielitaito ja kotoutuminen",
        0.2,
        {
            "insufficient_language_skills": 0.9,
            "little_work_experience": 0.55,
            "unusual_education_history": 0.5,
        },
        {"osaaminen": 4.0, "tyo": 4.0},
        7.0,
        (3, 40, 12),
        0.1,
        0.85,
        0.35,
        (70, 10, 10, 10),
        languages=(5, 5, 90),
        age=(20, 60, 33),
    ),
    LatentClass(
        "health",
        "Terveys rajoittaa työkykyä",
        0.2,
        {"health_problems": 0.85, "repeated_rehabilitation": 0.6, "unusual_work_history": 0.3},
        {"terveys": 3.0, "tyokyky": 3.0},
        4.0,
        (6, 48, 20),
        0.65,
        0.6,
        0.2,
        (50, 40, 5, 5),
        age=(35, 64, 56),
    ),
    LatentClass(
        "young",
        "Nuori, vähän työkokemusta",
        0.18,
        {
            "little_work_experience": 0.85,
            "learning_difficulties": 0.4,
            "adapted_basic_education": 0.3,
            "cognitive_challenges": 0.2,
        },
        {"osaaminen": 5.0, "arki": 5.5, "talous": 5.5},
        7.5,
        (1, 24, 6),
        0.02,
        0.75,
        0.3,
        (35, 15, 25, 25),
        age=(18, 29, 22),
    ),
    LatentClass(
        "money_housing",
        "Talouden ja asumisen vaikeudet",
        0.14,
        {"financial_difficulties": 0.85, "housing_challenges": 0.7},
        {"talous": 2.5, "asuminen": 3.0, "arki": 5.0},
        6.0,
        (4, 48, 18),
        0.3,
        0.7,
        0.8,
        (40, 40, 10, 10),
    ),
)


@dataclass(frozen=True)
class Drawn:
    """One client's answers as drawn (None: not asked)."""

    latent: LatentClass
    checklist: dict[str, int] | None
    areas: dict[str, int] | None
    work_ability: int | None
    facts: dict[str, object] | None
    language: str
    route: str
    age: int


ROUTES = ("employment_services", "social_health", "self", "portal")
LANGUAGES = ("fi", "sv", "other")


def latent_draw(
    rng: random.Random, items: tuple[str, ...], areas: tuple[str, ...], *, complete: bool = False
) -> Drawn:
    """A client of a class drawn by the classes' weights; ``complete`` answers everything."""
    latent = rng.choices(LATENT_CLASSES, [c.weight for c in LATENT_CLASSES])[0]

    def asked(what: str) -> bool:
        return complete or rng.random() < KNOWN[what]

    checklist = (
        {code: int(rng.random() < latent.items.get(code, BACKGROUND_ITEM)) for code in items}
        if asked("checklist")
        else None
    )
    scores = (
        {
            code: _clip(rng.gauss(latent.areas.get(code, BACKGROUND_AREA), AREA_SPREAD))
            for code in areas
        }
        if asked("self_assessment")
        else None
    )
    work_ability = _clip(rng.gauss(latent.work_ability, 1.3)) if asked("work_ability") else None
    facts: dict[str, object] | None = None
    if asked("facts"):
        low, high, mode = latent.unemployment
        facts = {
            "continuous_unemployment_months": round(rng.triangular(low, high, mode)),
            "earnings_related_max_period_reached": rng.random() < latent.earnings_exhausted,
            "labour_market_subsidy_days_total": (
                rng.randrange(20, 900) if rng.random() < latent.subsidy else 0
            ),
            "social_assistance_main_income_months": (
                rng.randrange(1, 36) if rng.random() < latent.social_assistance else 0
            ),
        }
    low, high, mode = latent.age
    return Drawn(
        latent=latent,
        checklist=checklist,
        areas=scores,
        work_ability=work_ability,
        facts=facts,
        language=rng.choices(LANGUAGES, latent.languages)[0],
        route=rng.choices(ROUTES, latent.routes)[0],
        age=round(rng.triangular(low, high, mode)),
    )


def _clip(value: float) -> int:
    return max(0, min(10, round(value)))


def latent_items_areas() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The checklist's item codes and the self-assessment's area codes."""
    columns = features()
    items = tuple(f.code.partition(".")[2] for f in columns if f.code.startswith("checklist."))
    areas = tuple(f.code.partition(".")[2] for f in columns if f.code.startswith("area."))
    return items, areas


def drawn_facts(drawn: Drawn, today: dt.date, sex: str) -> ClientFacts:
    """What the records would say of a drawn client (no services used yet)."""
    answers: dict[str, dict[str, float]] = {}
    if drawn.checklist is not None:
        answers[CHECKLIST] = {k: float(v) for k, v in drawn.checklist.items()}
    if drawn.areas is not None:
        answers[SELF_ASSESSMENT] = {k: float(v) for k, v in drawn.areas.items()}
    if drawn.work_ability is not None:
        answers[WORK_ABILITY] = {"work_ability": float(drawn.work_ability)}
    return ClientFacts(
        answers=answers,
        facts=drawn.facts or {},
        language=drawn.language,
        entry_route=drawn.route,
        areas_used=frozenset(),
        birth_date=today.replace(year=today.year - drawn.age - 1),
        sex=sex,
    )


def latent_rows(
    n: int, *, seed: int = 2026, today: dt.date | None = None
) -> tuple[tuple[Feature, ...], np.ndarray, np.ndarray]:
    """``n`` drawn clients as the analysis data set would hold them, with the true classes."""
    today = today or dt.date(2026, 12, 1)
    items, areas = latent_items_areas()
    rng = random.Random(f"{seed}:latent")  # noqa: S311 - demo data
    codes = {c.code: i for i, c in enumerate(LATENT_CLASSES)}
    rows, truth = [], []
    for _n in range(n):
        drawn = latent_draw(rng, items, areas)
        sex = rng.choice(("female", "male"))
        rows.append(feature_row(drawn_facts(drawn, today, sex), today))
        truth.append(codes[drawn.latent.code])
    return features(), np.asarray(rows, dtype=np.float64), np.asarray(truth, dtype=np.int64)
