"""What every rule returns: a decision with its reasons, missing facts, sources and values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

DecisionValue = Literal["yes", "no", "unknown"]
YES: DecisionValue = "yes"
NO: DecisionValue = "no"
UNKNOWN: DecisionValue = "unknown"


@dataclass(frozen=True, slots=True)
class Source:
    """A statute section applied: act number, section, and the amending act if any."""

    act: str
    section: str
    amended_by: str = ""
    note: str = ""

    def label(self) -> str:
        text = f"{self.act} {self.section}"
        if self.amended_by:
            text += f" ({self.amended_by})"
        return text

    def as_dict(self) -> dict[str, str]:
        data = {"act": self.act, "section": self.section}
        if self.amended_by:
            data["amended_by"] = self.amended_by
        if self.note:
            data["note"] = self.note
        return data


class Condition:
    """A condition of a rule; ``text`` is Finnish with ``{name}`` placeholders from ``params``.

    Built once per rule and parameter period (cached), so ``rendered`` is computed once.
    """

    __slots__ = ("id", "params", "rendered", "text")

    def __init__(self, id: str, text: str, params: tuple[tuple[str, Any], ...] = ()) -> None:
        self.id = id
        self.text = text
        self.params = params
        self.rendered = text.format(**dict(params)) if params else text

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        if translate is None:
            return self.rendered
        template = translate(self.text)
        return template.format(**dict(self.params)) if self.params else template

    def __repr__(self) -> str:
        return f"Condition({self.id!r})"


class Reason(NamedTuple):
    """One condition as evaluated: the fact values used and whether it was met (None: unknown)."""

    condition: Condition
    met: bool | None
    facts: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition.id,
            "text": self.condition.rendered,
            "met": self.met,
            "facts": {k: _jsonable(v) for k, v in self.facts.items()},
        }


class Evaluation(NamedTuple):
    rule: str
    on: dt.date
    decision: DecisionValue
    missing_facts: tuple[str, ...]
    reasons: tuple[Reason, ...]
    sources: tuple[Source, ...]
    values: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings), for the API and the pages."""
        return {
            "rule": self.rule,
            "on": self.on.isoformat(),
            "decision": self.decision,
            "missing_facts": list(self.missing_facts),
            "reasons": [r.as_dict() for r in self.reasons],
            "sources": [s.as_dict() for s in self.sources],
            "values": {k: _jsonable(v) for k, v in self.values.items()},
        }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def decision_of(value: bool | None) -> DecisionValue:
    return UNKNOWN if value is None else YES if value else NO


def at_least(value: int | None, limit: int) -> bool | None:
    return None if value is None else value >= limit


_NONE: frozenset[str] = frozenset()


class Tri:
    """A three-valued truth (True, False, None = unknown) with the facts that would decide it.

    ``missing`` is non-empty only when ``value`` is None, and then names exactly the absent facts
    whose value could still change the outcome (Kleene logic: a False in an AND, or a True in
    an OR, makes the unknown parts irrelevant).
    """

    __slots__ = ("missing", "value")

    def __init__(self, value: bool | None, missing: frozenset[str] = _NONE) -> None:
        self.value = value
        self.missing = missing if value is None else _NONE


TRUE = Tri(True)
FALSE = Tri(False)


def all3(parts: Iterable[Tri]) -> Tri:
    missing: frozenset[str] | None = None
    for part in parts:
        value = part.value
        if value is False:
            return FALSE
        if value is None:
            missing = part.missing if missing is None else missing | part.missing
    return TRUE if missing is None else Tri(None, missing)


def any3(parts: Iterable[Tri]) -> Tri:
    missing: frozenset[str] | None = None
    for part in parts:
        value = part.value
        if value is True:
            return TRUE
        if value is None:
            missing = part.missing if missing is None else missing | part.missing
    return FALSE if missing is None else Tri(None, missing)


def by_case(case: Tri, if_true: Tri, if_false: Tri) -> Tri:
    """``if_true`` when ``case`` holds, else ``if_false``; when ``case`` is unknown, the two
    branches decide only if they agree (an unknown age does not matter when both age groups'
    conditions are met, or neither is)."""
    if case.value is True:
        return if_true
    if case.value is False:
        return if_false
    if if_true.value is not None and if_true.value == if_false.value:
        return if_true
    return Tri(None, case.missing | if_true.missing | if_false.missing)


_new_tuple = tuple.__new__


class Trace:
    """Collects a rule's reasons; ``check`` records one condition and returns it as a ``Tri``.

    ``explain=False`` (batch screening of decisions only) leaves the reasons out of the answer;
    the decision and the missing facts are the same.
    """

    __slots__ = ("explain", "reasons")

    def __init__(self, explain: bool = True) -> None:
        self.explain = explain
        self.reasons: list[Reason] = []

    def check(self, condition: Condition, met: bool | None, used: dict[str, Any]) -> Tri:
        # Without explanations only the reasons that can name a missing fact are kept (for the
        # order of ``missing_facts``). tuple.__new__ skips the NamedTuple's Python-level
        # __new__: the batch makes millions of these.
        if self.explain or None in used.values():
            self.reasons.append(_new_tuple(Reason, (condition, met, used)))
        if met is True:
            return TRUE
        if met is False:
            return FALSE
        return Tri(None, frozenset([k for k, v in used.items() if v is None]))

    def evaluation(
        self,
        rule: str,
        on: dt.date,
        result: Tri,
        sources: tuple[Source, ...],
        values: Mapping[str, Any] | None = None,
    ) -> Evaluation:
        """The rule's answer: ``result`` with the reasons recorded and its deciding facts."""
        value = result.value
        return _new_tuple(
            Evaluation,
            (
                rule,
                on,
                decision_of(value),
                self.missing_in_order(result.missing) if value is None else (),
                tuple(self.reasons) if self.explain else (),
                sources,
                values if values is not None else {},
            ),
        )

    def missing_in_order(self, missing: frozenset[str]) -> tuple[str, ...]:
        """The missing facts in the order the reasons first mention them."""
        if not missing:
            return ()
        ordered: dict[str, None] = {}
        for reason in self.reasons:
            for name in reason.facts:
                if name in missing:
                    ordered[name] = None
        return tuple(ordered)
