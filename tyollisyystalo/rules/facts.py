"""The facts vocabulary (docs/rules.md) and strict conversion of outside input into ``Facts``."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from tyollisyystalo.rules.texts import gettext_noop
from tyollisyystalo.shared.numbers import parse_int

PAY_SUBSIDY_GROUNDS = (
    "skills",
    "reduced_work_ability",
    "association_100",
    "age_60",
    "apprenticeship",
)
EMPLOYER_TYPES = (
    "company",
    "association",
    "foundation",
    "religious_community",
    "municipality",
    "wellbeing_county",
    "state",
)
PURCHASE_CONTENTS = ("activity", "support_and_guidance")


@dataclass(frozen=True)
class Facts:
    """What is known about one person (or arrangement); None means not known."""

    birth_date: dt.date | None = None
    has_employment_plan: bool | None = None
    job_search_interview_held: bool | None = None
    labour_market_subsidy_days_total: int | None = None
    labour_market_subsidy_days_last_12_months: int | None = None
    earnings_related_max_period_reached: bool | None = None
    labour_market_subsidy_days_after_max_period: int | None = None
    social_assistance_main_income_months: int | None = None
    continuous_unemployment_months: int | None = None
    unemployed_months_last_14: int | None = None
    unemployed_months_last_15: int | None = None
    unemployed_months_last_28: int | None = None
    needs_coordinated_services: bool | None = None
    has_integration_plan: bool | None = None
    in_multisector_service: bool | None = None
    pay_subsidy_ground: str | None = None
    employer_type: str | None = None
    work_is_business_activity: bool | None = None
    purchased_content: str | None = None
    obligation_arose_on: dt.date | None = None
    last_review_date: dt.date | None = None
    plan_start_date: dt.date | None = None
    work_or_studies_start_date: dt.date | None = None
    mapping_start_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FactSpec:
    name: str
    kind: str  # "date" | "bool" | "int" | "choice"
    label: str
    choices: tuple[str, ...] = ()
    maximum: int | None = None


FACT_SPECS: dict[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec("birth_date", "date", gettext_noop("Syntymäaika")),
        FactSpec("has_employment_plan", "bool", gettext_noop("Työllistymissuunnitelma laadittu")),
        FactSpec("job_search_interview_held", "bool", gettext_noop("Työnhakukeskustelu käyty")),
        FactSpec(
            "labour_market_subsidy_days_total",
            "int",
            gettext_noop("Työmarkkinatukipäivät työttömyyden perusteella yhteensä"),
            maximum=20000,
        ),
        FactSpec(
            "labour_market_subsidy_days_last_12_months",
            "int",
            gettext_noop("Työmarkkinatukipäivät viimeisten 12 kalenterikuukauden aikana"),
            maximum=366,
        ),
        FactSpec(
            "earnings_related_max_period_reached",
            "bool",
            gettext_noop("Työttömyyspäivärahan enimmäisaika täyttynyt"),
        ),
        FactSpec(
            "labour_market_subsidy_days_after_max_period",
            "int",
            gettext_noop("Työmarkkinatukipäivät päivärahan enimmäisajan jälkeen"),
            maximum=20000,
        ),
        FactSpec(
            "social_assistance_main_income_months",
            "int",
            gettext_noop(
                "Kuukaudet, joina toimeentulotuki työttömyyden vuoksi on ollut pääasiallinen "
                "toimeentulo (yhtäjaksoisesti viimeisimmät)"
            ),
            maximum=1200,
        ),
        FactSpec(
            "continuous_unemployment_months",
            "int",
            gettext_noop("Yhtäjaksoisen työttömyyden kesto kuukausina"),
            maximum=1200,
        ),
        FactSpec(
            "unemployed_months_last_14",
            "int",
            gettext_noop("Työttömyyskuukaudet viimeisten 14 kuukauden aikana"),
            maximum=14,
        ),
        FactSpec(
            "unemployed_months_last_15",
            "int",
            gettext_noop("Työttömyyskuukaudet viimeisten 15 kuukauden aikana"),
            maximum=15,
        ),
        FactSpec(
            "unemployed_months_last_28",
            "int",
            gettext_noop("Työttömyyskuukaudet viimeisten 28 kuukauden aikana"),
            maximum=28,
        ),
        FactSpec(
            "needs_coordinated_services",
            "bool",
            gettext_noop(
                "Tarvitsee työvoima-, sosiaali-, terveys- ja kuntoutuspalvelujen yhteensovittamista"
            ),
        ),
        FactSpec("has_integration_plan", "bool", gettext_noop("Kotoutumissuunnitelma laadittu")),
        FactSpec(
            "in_multisector_service",
            "bool",
            gettext_noop("Monialaisen yhteispalvelun (TYP) asiakas"),
        ),
        FactSpec(
            "pay_subsidy_ground",
            "choice",
            gettext_noop("Palkkatuen peruste"),
            choices=PAY_SUBSIDY_GROUNDS,
        ),
        FactSpec(
            "employer_type",
            "choice",
            gettext_noop("Työnantajan tai tuottajan tyyppi"),
            choices=EMPLOYER_TYPES,
        ),
        FactSpec(
            "work_is_business_activity",
            "bool",
            gettext_noop("Työ on työnantajan elinkeinotoimintaa"),
        ),
        FactSpec(
            "purchased_content",
            "choice",
            gettext_noop("Mitä kuntouttavasta työtoiminnasta hankitaan"),
            choices=PURCHASE_CONTENTS,
        ),
        FactSpec(
            "obligation_arose_on",
            "date",
            gettext_noop("Päivä, jona velvoitetyöllistämisen velvoite syntyi"),
        ),
        FactSpec("last_review_date", "date", gettext_noop("Suunnitelman edellinen tarkistus")),
        FactSpec("plan_start_date", "date", gettext_noop("Suunnitelman laatimispäivä")),
        FactSpec(
            "work_or_studies_start_date",
            "date",
            gettext_noop("Työn, yritystoiminnan tai päätoimisten opintojen alkamispäivä"),
        ),
        FactSpec(
            "mapping_start_date",
            "date",
            gettext_noop("Monialaisen yhteispalvelun (kartoitusjakson) alkamispäivä"),
        ),
    )
}
assert set(FACT_SPECS) == {f.name for f in fields(Facts)}


class FactError(ValueError):
    """Unusable facts: ``errors`` maps each offending fact name to a plain-language message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


_TRUE = {"true", "1", "yes", "kyllä", "k"}
_FALSE = {"false", "0", "no", "ei", "e"}


def _to_bool(value: Any, spec: FactSpec, text: bool) -> bool:
    if isinstance(value, bool):
        return value
    if text and isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(gettext_noop("Arvon on oltava true tai false."))


def _to_int(value: Any, spec: FactSpec, text: bool) -> int:
    if isinstance(value, bool):
        raise ValueError(gettext_noop("Arvon on oltava kokonaisluku."))
    if isinstance(value, int):
        number = value
    elif text and isinstance(value, str) and parse_int(value.strip()) is not None:
        number = int(value.strip())
    else:
        raise ValueError(gettext_noop("Arvon on oltava kokonaisluku."))
    if number < 0:
        raise ValueError(gettext_noop("Arvo ei voi olla negatiivinen."))
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(gettext_noop("Arvo on suurempi kuin mahdollista."))
    return number


def _to_date(value: Any, spec: FactSpec, text: bool) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(gettext_noop("Päivämäärän muoto on VVVV-KK-PP."))


def _to_choice(value: Any, spec: FactSpec, text: bool) -> str:
    if isinstance(value, str) and value in spec.choices:
        return value
    raise ValueError(gettext_noop("Arvo ei ole sallittu vaihtoehto."))


_CONVERTERS: dict[str, Callable[[Any, FactSpec, bool], Any]] = {
    "bool": _to_bool,
    "int": _to_int,
    "date": _to_date,
    "choice": _to_choice,
}
_SPEC_CONVERTERS = {name: (spec, _CONVERTERS[spec.kind]) for name, spec in FACT_SPECS.items()}
# (type, maximum) of the facts whose JSON value needs no conversion: booleans and counts.
_NATIVE: dict[str, tuple[type, int]] = {
    name: (int, spec.maximum if spec.maximum is not None else sys.maxsize)
    for name, spec in FACT_SPECS.items()
    if spec.kind == "int"
} | {name: (bool, True) for name, spec in FACT_SPECS.items() if spec.kind == "bool"}


def facts_from_mapping(data: Mapping[str, Any], *, text: bool = False) -> Facts:
    """Validate and convert; ``text=True`` also accepts strings (CSV). Empty means unknown."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    native = _NATIVE
    for name, raw in data.items():
        if raw is None:
            if name not in FACT_SPECS:
                errors[name] = gettext_noop("Tuntematon tieto.")
            continue
        # Fast path for JSON input already of the right type (the batch's common case).
        expected = native.get(name)
        if expected is not None and type(raw) is expected[0]:
            number: Any = raw
            if 0 <= number <= expected[1]:
                values[name] = raw
                continue
        entry = _SPEC_CONVERTERS.get(name)
        if entry is None:
            errors[name] = gettext_noop("Tuntematon tieto.")
            continue
        if text and raw == "":
            continue
        spec, convert = entry
        try:
            values[name] = convert(raw, spec, text)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise FactError(errors)
    return _build(values)


_UNKNOWN: dict[str, Any] = {f.name: None for f in fields(Facts)}


def _build(values: dict[str, Any]) -> Facts:
    return facts_from_validated({**_UNKNOWN, **values})


def facts_from_validated(attributes: dict[str, Any]) -> Facts:
    """``Facts`` from already validated values of every fact (None when unknown).

    Skips the frozen dataclass's per-field ``__setattr__`` detour: the batch screening builds a
    million of these, and filling the instance dictionary directly is ten times as fast. Nothing
    else ``__init__`` would do is skipped. (This is why ``Facts`` has no ``__slots__``.)
    """
    facts = object.__new__(Facts)
    object.__setattr__(facts, "__dict__", attributes)
    return facts


def facts_as_dict(facts: Facts) -> dict[str, Any]:
    """The known facts, JSON-ready (dates as ISO strings)."""
    out: dict[str, Any] = {}
    for name in FACT_SPECS:
        value = getattr(facts, name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years on ``on``.

    The birthday in a year is found like a time limit under 150/1930 § 3: the same day number,
    or the last day of the month when there is none, so a person born on 29 February turns a year
    older on 28 February in a common year.
    """
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
        if birth_date.month == 2 and birth_date.day == 29 and on.month == 2 and on.day == 28:
            years += 0 if _calendar.isleap(on.year) else 1
    return years
