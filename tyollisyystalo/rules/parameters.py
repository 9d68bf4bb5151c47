"""Dated legal parameters, loaded from ``parameters/*.toml`` and checked before anything runs.

Each file belongs to one rule::

    [meta]
    rule = "pay_subsidy"
    valid_from = 2017-01-01          # the first day the rule is modelled for

    [[parameters.skills_rate_percent]]
    from = 2023-07-01                # inclusive
    to = 2024-12-31                  # inclusive; omitted on the last period
    value = 50
    source = { act = "916/2012", section = "7 luku 3 §", amended_by = "371/2023" }

Every parameter must cover ``valid_from`` onwards without a gap or an overlap, and only its last
period may be open-ended. Loading fails loudly (``ParameterFileError``) otherwise.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tyollisyystalo.rules.evaluation import Source

# Conditions and parameters are cached per evaluation date; a screening run uses one date.
PERIOD_CACHE_SIZE = 1024
PARAMETER_DIR = Path(__file__).resolve().parent / "parameters"


class ParameterFileError(ValueError):
    """A parameter file is malformed, gapped or overlapping."""


class DateOutOfRange(ValueError):
    """The rule is not modelled for the requested date."""

    def __init__(self, rule: str, on: dt.date, valid_from: dt.date) -> None:
        super().__init__(f"{rule} is modelled from {valid_from.isoformat()}, not {on.isoformat()}")
        self.rule = rule
        self.on = on
        self.valid_from = valid_from


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date | None
    value: Any
    source: Source


@dataclass(frozen=True, slots=True)
class RuleParameters:
    rule: str
    valid_from: dt.date
    parameters: MappingProxyType[str, tuple[Period, ...]]
    path: Path

    def boundaries(self) -> list[dt.date]:
        """Every date on which some parameter of the rule changes."""
        days = {p.start for periods in self.parameters.values() for p in periods}
        return sorted(days)


class Params:
    """The parameter values of one rule on one date (as attributes), with their sources."""

    def __init__(self, values: dict[str, Any], sources: tuple[Source, ...], on: dt.date) -> None:
        self.__dict__.update(values)
        self.sources = sources
        self.on = on

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name that is not a parameter of the rule on this date.
        raise AttributeError(f"no parameter {name!r} on {self.on.isoformat()}")


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ParameterFileError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}")


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict) or not raw.get("act") or not raw.get("section"):
        raise ParameterFileError(f"{where}: every value needs source.act and source.section")
    unknown = set(raw) - {"act", "section", "amended_by", "note"}
    if unknown:
        raise ParameterFileError(f"{where}: unknown source keys {sorted(unknown)}")
    return Source(
        act=str(raw["act"]),
        section=str(raw["section"]),
        amended_by=str(raw.get("amended_by", "")),
        note=str(raw.get("note", "")),
    )


def parse_parameter_file(text: str, path: Path) -> RuleParameters:
    """Parse and validate one file's text; raises ``ParameterFileError`` naming the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterFileError(f"{path.name}: {exc}") from exc
    meta = data.get("meta") or {}
    rule = meta.get("rule")
    if not isinstance(rule, str) or not rule:
        raise ParameterFileError(f"{path.name}: [meta] rule is missing")
    valid_from = _date(meta.get("valid_from"), f"{path.name} [meta] valid_from")
    raw_parameters = data.get("parameters")
    if not isinstance(raw_parameters, dict) or not raw_parameters:
        raise ParameterFileError(f"{path.name}: no [[parameters.*]] tables")
    parameters: dict[str, tuple[Period, ...]] = {}
    for name, raw_periods in raw_parameters.items():
        where = f"{path.name} {name}"
        if not isinstance(raw_periods, list) or not raw_periods:
            raise ParameterFileError(f"{where}: expected [[parameters.{name}]] periods")
        periods = []
        for index, raw in enumerate(raw_periods):
            at = f"{where}[{index}]"
            if "value" not in raw:
                raise ParameterFileError(f"{at}: value is missing")
            unknown = set(raw) - {"from", "to", "value", "source"}
            if unknown:
                raise ParameterFileError(f"{at}: unknown keys {sorted(unknown)}")
            start = _date(raw.get("from"), f"{at} from")
            end = _date(raw["to"], f"{at} to") if "to" in raw else None
            if end is not None and end < start:
                raise ParameterFileError(f"{at}: ends before it starts")
            periods.append(Period(start, end, raw["value"], _source(raw.get("source"), at)))
        periods.sort(key=lambda p: p.start)
        if periods[0].start != valid_from:
            raise ParameterFileError(
                f"{where}: starts {periods[0].start.isoformat()}, "
                f"but the rule is valid from {valid_from.isoformat()} (gap)"
            )
        for before, after in itertools.pairwise(periods):
            if before.end is None or after.start <= before.end:
                raise ParameterFileError(
                    f"{where}: periods from {before.start.isoformat()} and "
                    f"{after.start.isoformat()} overlap"
                )
            if after.start != before.end + dt.timedelta(days=1):
                raise ParameterFileError(
                    f"{where}: gap between {before.end.isoformat()} and {after.start.isoformat()}"
                )
        if periods[-1].end is not None:
            raise ParameterFileError(
                f"{where}: the last period must be open-ended (no 'to'); "
                "a repealed provision is a period whose value says so"
            )
        parameters[name] = tuple(periods)
    return RuleParameters(rule, valid_from, MappingProxyType(parameters), path)


def load_directory(directory: Path) -> MappingProxyType[str, RuleParameters]:
    """Every parameter file of a directory, validated; any problem in any file stops loading."""
    rules: dict[str, RuleParameters] = {}
    for path in sorted(directory.glob("*.toml")):
        parsed = parse_parameter_file(path.read_text(encoding="utf-8"), path)
        if parsed.rule in rules:
            raise ParameterFileError(f"{path.name}: rule {parsed.rule} is defined twice")
        rules[parsed.rule] = parsed
    return MappingProxyType(rules)


@lru_cache(maxsize=1)
def load_all() -> MappingProxyType[str, RuleParameters]:
    """All rules' parameters, validated; any problem in any file stops the program."""
    return load_directory(PARAMETER_DIR)


@lru_cache(maxsize=4096)
def params_on(rule: str, on: dt.date) -> Params:
    """The values in force on ``on``; ``DateOutOfRange`` before the rule's first modelled day."""
    return params_of(load_all()[rule], on)


def params_of(definition: RuleParameters, on: dt.date) -> Params:
    """The values of one parameter file in force on ``on``."""
    rule = definition.rule
    if on < definition.valid_from:
        raise DateOutOfRange(rule, on, definition.valid_from)
    values: dict[str, Any] = {}
    sources: dict[Source, None] = {}
    for name, periods in definition.parameters.items():
        for period in periods:
            if period.start <= on and (period.end is None or on <= period.end):
                values[name] = period.value
                sources[period.source] = None
                break
    return Params(values, tuple(sources), on)
