"""The analysis data set's features: what is known of a client, from the records only.

One row per client of an organisation, built from the newest answer of each instrument, the
newest rule facts, the path and the referrals — never a name, an identifier, a date of its own
or a free text. Missing is missing (``nan``): the latent-class model takes it as such.

Sex and age group are in the data set for the profiles and the fairness check only: the model
and the criteria never use them (ADR 0037).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.evaluation.coarsening import age_on
from tyollisyystalo.instruments.definitions import Texts
from tyollisyystalo.instruments.registry import instrument_get

CHECKLIST = "support_need_checklist"
SELF_ASSESSMENT = "self_assessment"
WORK_ABILITY = "work_ability_score"
INSTRUMENTS = (CHECKLIST, SELF_ASSESSMENT, WORK_ABILITY)
LOW_BELOW = 7  # the self-assessment's "< 7 suggests services" (its definition's flag_below)


class Kind(StrEnum):
    BINARY = "binary"  # 0 or 1
    SCORE = "score"  # a number on a scale (0–10, months)
    CATEGORY = "category"  # one of ``choices``, coded by its index


Label = Texts | Promise  # an instrument's own texts, or a gettext text of ours


@dataclass(frozen=True)
class Feature:
    code: str
    kind: Kind
    label: Label
    choices: tuple[str, ...] = ()
    choice_labels: tuple[Label, ...] = ()
    unit: str | Promise = ""
    modelled: bool = True  # False: profiles and the fairness check only

    def title(self) -> str:
        """The feature's name in the active language."""
        return _text(self.label)

    def choice_label(self, value: float) -> str:
        return _text(self.choice_labels[int(value)])


def _text(label: Label) -> str:
    if isinstance(label, Texts):
        return label.get(get_language() or "fi")
    return str(label)


AGE_BANDS = ("-29", "30-49", "50-")
SEXES = ("female", "male")
LANGUAGES = ("fi", "sv", "other")
ROUTES = ("employment_services", "social_health", "self", "portal")
# Services used, by the catalogue's area of life of the services the client was referred to.
USED_AREAS = (
    ("terveys", _("Käyttänyt palveluja: terveys ja fyysinen toimintakyky")),
    ("mieli", _("Käyttänyt palveluja: mielen hyvinvointi ja päihteet")),
    ("tyokyky", _("Käyttänyt palveluja: työkyky ja kuntoutus")),
    ("osaaminen", _("Käyttänyt palveluja: osaaminen, koulutus ja kieli")),
    ("tyo", _("Käyttänyt palveluja: työnhaku ja työllistyminen")),
    ("talous", _("Käyttänyt palveluja: toimeentulo, etuudet ja velat")),
    ("asuminen", _("Käyttänyt palveluja: asuminen")),
    ("arki", _("Käyttänyt palveluja: arjen hallinta")),
    ("osallisuus", _("Käyttänyt palveluja: osallisuus ja sosiaaliset suhteet")),
)


@cache
def features() -> tuple[Feature, ...]:
    """Every feature in a fixed order (the data set's columns)."""
    checklist = instrument_get(CHECKLIST)
    areas = instrument_get(SELF_ASSESSMENT)
    found: list[Feature] = [
        Feature(f"checklist.{item.code}", Kind.BINARY, item.text) for item in checklist.items
    ]
    found += [
        Feature(f"area.{domain.code}", Kind.SCORE, domain.name, unit="0–10")
        for domain in areas.domains
    ]
    found += [
        Feature("work_ability", Kind.SCORE, _("Työkykypistemäärä"), unit="0–10"),
        Feature(
            "unemployment_months",
            Kind.SCORE,
            _("Yhtäjaksoinen työttömyys"),
            unit=pgettext_lazy("unit", "kk"),
        ),
        Feature(
            "earnings_related_exhausted", Kind.BINARY, _("Ansiopäivärahan enimmäisaika täyttynyt")
        ),
        Feature("labour_market_subsidy", Kind.BINARY, _("Saanut työmarkkinatukea")),
        Feature("social_assistance", Kind.BINARY, _("Toimeentulotuki pääasiallisena tulona")),
        Feature(
            "language",
            Kind.CATEGORY,
            _("Asiointikieli"),
            LANGUAGES,
            (_("suomi"), _("ruotsi"), _("muu")),
        ),
        Feature(
            "entry_route",
            Kind.CATEGORY,
            _("Tulokanava"),
            ROUTES,
            (
                _("Työllisyyspalveluiden kautta"),
                _("Sosiaali- ja terveyspalveluiden kautta"),
                _("Asiakas otti itse yhteyttä"),
                _("Yhteydenottopyyntö verkkopalvelusta"),
            ),
        ),
    ]
    # Services used come after identification: in the profiles, never in the criteria.
    found += [
        Feature(f"used.{code}", Kind.BINARY, name, modelled=False) for code, name in USED_AREAS
    ]
    found += [
        Feature(
            "age_group",
            Kind.CATEGORY,
            _("Ikäryhmä"),
            AGE_BANDS,
            (_("alle 30"), _("30–49"), _("50 tai yli")),
            modelled=False,
        ),
        Feature(
            "sex", Kind.CATEGORY, _("Sukupuoli"), SEXES, (_("nainen"), _("mies")), modelled=False
        ),
    ]
    return tuple(found)


def feature_index() -> dict[str, int]:
    return {feature.code: i for i, feature in enumerate(features())}


def age_band(birth_date: dt.date | None, on: dt.date) -> str:
    if birth_date is None:
        return ""
    age = age_on(birth_date, on)
    return AGE_BANDS[0] if age < 30 else AGE_BANDS[1] if age < 50 else AGE_BANDS[2]


@dataclass(frozen=True)
class ClientFacts:
    """What the records say of one client, as read (answers by item code, facts by name)."""

    answers: Mapping[str, Mapping[str, float]]  # instrument key → item code → value
    facts: Mapping[str, object]
    language: str
    entry_route: str
    areas_used: frozenset[str]
    birth_date: dt.date | None
    sex: str


def feature_row(known: ClientFacts, on: dt.date) -> list[float]:
    """The client's features in ``features()`` order; ``nan`` where the records say nothing."""
    row: list[float] = []
    checklist = known.answers.get(CHECKLIST)
    areas = known.answers.get(SELF_ASSESSMENT)
    work_ability = known.answers.get(WORK_ABILITY)
    facts = known.facts
    for feature in features():
        group, _dot, code = feature.code.partition(".")
        value: float | None
        if group == "checklist":
            value = None if checklist is None else _binary(checklist.get(code))
        elif group == "area":
            value = None if areas is None else areas.get(code)
        elif group == "used":
            value = 1.0 if code in known.areas_used else 0.0
        elif group == "work_ability":
            value = None if work_ability is None else work_ability.get("work_ability")
        elif group == "unemployment_months":
            value = _number(facts.get("continuous_unemployment_months"))
        elif group == "earnings_related_exhausted":
            value = _flag(facts.get("earnings_related_max_period_reached"))
        elif group == "labour_market_subsidy":
            days = _number(facts.get("labour_market_subsidy_days_total"))
            value = None if days is None else float(days > 0)
        elif group == "social_assistance":
            months = _number(facts.get("social_assistance_main_income_months"))
            value = None if months is None else float(months > 0)
        elif group == "language":
            value = _choice(feature, known.language if known.language in LANGUAGES else "other")
        elif group == "entry_route":
            value = _choice(feature, known.entry_route)
        elif group == "age_group":
            value = _choice(feature, age_band(known.birth_date, on))
        else:  # sex
            value = _choice(feature, known.sex)
        row.append(math.nan if value is None else float(value))
    return row


def _binary(value: float | None) -> float | None:
    return None if value is None else float(value > 0)


def _flag(value: object) -> float | None:
    return None if value is None else float(bool(value))


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _choice(feature: Feature, value: str) -> float | None:
    return float(feature.choices.index(value)) if value in feature.choices else None
