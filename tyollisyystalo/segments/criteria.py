"""Explainable criteria: segments as readable rules, fitted by a shallow tree, decided as data.

A decision tree of depth at most three is fitted to the cluster labels over the modelled
features (sex and age never; services used never). Each leaf becomes a rule: the conditions on
its way from the root, merged where they repeat a feature. A segment's criteria are the rules
of its leaves. People edit them, and the **approved rules decide the suggestion**, not the
clustering model: ``rules_assign`` reads a client's features and returns the first segment one
of whose rules holds (segments in their order, rules in theirs), or none.

A condition is ``feature op value``: ``le``/``gt`` for yes-no answers and scores, ``eq``/``ne``
for a category. When the client's value is not known the condition holds only if it says so
(``unknown``): the tree learns which side missing answers go to, and the rule says it aloud
("Mielenterveyden haasteet: ei tai ei tiedossa").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from tyollisyystalo.segments.features import Feature, Kind, feature_index, features

MAX_DEPTH = 3
OPS = ("le", "gt", "eq", "ne")


@dataclass(frozen=True)
class Condition:
    feature: str
    op: str
    value: float | str
    unknown: bool = False  # does the condition hold when the value is not known?

    def holds(self, value: float, feature: Feature) -> bool:
        if math.isnan(value):
            return self.unknown
        if self.op in ("eq", "ne"):
            code = feature.choices[int(value)]
            return (code == self.value) == (self.op == "eq")
        threshold = float(self.value)
        return value <= threshold if self.op == "le" else value > threshold

    def text(self) -> str:
        """The condition in the active language."""
        feature = features()[feature_index()[self.feature]]
        if feature.kind == Kind.BINARY:
            answer = _("kyllä") if self.op == "gt" else _("ei")
        elif feature.kind == Kind.CATEGORY:
            chosen = (
                [str(self.value)]
                if self.op == "eq"
                else [c for c in feature.choices if c != self.value]
            )
            labels = [feature.choice_label(feature.choices.index(c)) for c in chosen]
            if self.unknown:
                labels.append(_("ei tiedossa"))
            return f"{feature.title()}: {_or(labels)}"
        else:
            shown = _number(float(self.value))
            sign = "≤" if self.op == "le" else ">"
            unit = f" {feature.unit}" if str(feature.unit) not in ("", "0–10") else ""
            answer = f"{sign} {shown}{unit}"
        if self.unknown:
            answer = _or([answer, _("ei tiedossa")])
        return f"{feature.title()}: {answer}"

    def as_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "op": self.op,
            "value": self.value,
            "unknown": self.unknown,
        }


def value_text(feature: Feature, value: float) -> str:
    """A client's value of a feature in words ("ei tiedossa" when not known)."""
    if math.isnan(value):
        return _("ei tiedossa")
    if feature.kind == Kind.BINARY:
        return _("kyllä") if value > 0.5 else _("ei")
    if feature.kind == Kind.CATEGORY:
        return feature.choice_label(value)
    unit = f" {feature.unit}" if str(feature.unit) not in ("", "0–10") else ""
    return f"{_number(value)}{unit}"


def _or(labels: Sequence[str]) -> str:
    if len(labels) < 2:
        return "".join(labels)
    return _("%(some)s tai %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True)
class Rule:
    conditions: tuple[Condition, ...]

    def holds(self, row: Sequence[float], index: Mapping[str, int]) -> bool:
        columns = features()
        return all(
            c.holds(row[index[c.feature]], columns[index[c.feature]]) for c in self.conditions
        )

    def text(self) -> str:
        return _(" JA ").join(c.text() for c in self.conditions) or _("kaikki muut")


def segment_code(label: int) -> str:
    """The code of an analysis' segment by its label (label 0 is "s1")."""
    return f"s{label + 1}"


def segment_label(code: str) -> int:
    """The analysis label a segment code names ("s3" → 2), -2 for a code of no analysis."""
    return int(code[1:]) - 1 if code[:1] == "s" and code[1:].isdigit() else -2


@dataclass(frozen=True)
class SegmentRules:
    code: str
    rules: tuple[Rule, ...] = field(default=())


@dataclass(frozen=True)
class Match:
    segment: int  # index in the rule set
    rule: int  # index of the rule that held


def rules_match(row: Sequence[float], ruleset: Sequence[SegmentRules]) -> Match | None:
    """The first segment (in order) one of whose rules holds for the row, or None."""
    index = feature_index()
    for s, segment in enumerate(ruleset):
        for r, rule in enumerate(segment.rules):
            if rule.holds(row, index):
                return Match(s, r)
    return None


def rules_assign(values: NDArray[np.float64], ruleset: Sequence[SegmentRules]) -> NDArray[np.int64]:
    """Each row's segment index by ``rules_match`` (-1: none)."""
    found = [rules_match(row, ruleset) for row in values.tolist()]
    return np.asarray([-1 if m is None else m.segment for m in found], dtype=np.int64)


@dataclass(frozen=True)
class Agreement:
    overall: float  # share of clients whose rule segment is their cluster
    per_segment: tuple[float, ...]  # of each cluster's clients, the share the rules put there
    unmatched: int  # clients no rule holds for


def agreement(labels: NDArray[np.int64], assigned: NDArray[np.int64], segments: int) -> Agreement:
    per = tuple(
        float((assigned[labels == s] == s).mean()) if (labels == s).any() else math.nan
        for s in range(segments)
    )
    return Agreement(float((assigned == labels).mean()), per, int((assigned < 0).sum()))


def _tree_columns(columns: Sequence[Feature]) -> list[tuple[int, Feature, str]]:
    """The tree's inputs: each modelled yes-no or score feature, and each category as yes-no
    columns of its choices."""
    found: list[tuple[int, Feature, str]] = []
    for i, feature in enumerate(columns):
        if not feature.modelled:
            continue
        if feature.kind == Kind.CATEGORY:
            found += [(i, feature, code) for code in feature.choices]
        else:
            found.append((i, feature, ""))
    return found


def _tree_matrix(
    values: NDArray[np.float64], inputs: Sequence[tuple[int, Feature, str]]
) -> NDArray[np.float64]:
    out = np.empty((len(values), len(inputs)))
    for j, (i, feature, code) in enumerate(inputs):
        column = values[:, i]
        if code:
            hit = (column == feature.choices.index(code)).astype(np.float64)
            hit[np.isnan(column)] = np.nan
            out[:, j] = hit
        else:
            out[:, j] = column
    return out


def _condition(
    feature: Feature, code: str, threshold: float, left: bool, unknown: bool
) -> Condition:
    if code:  # a category's yes-no column: left is "not this choice"
        return Condition(feature.code, "ne" if left else "eq", code, unknown)
    # Answers are 0 or 1; scores are whole numbers, so x ≤ 3.5 is x ≤ 3. A split of the known
    # answers from the missing ones has an infinite threshold: "≤ the scale's top" (any known
    # answer) against "> the top" (none; the missing ones by ``unknown``).
    top = 10.0 if str(feature.unit) == "0–10" else 600.0
    if feature.kind == Kind.BINARY:
        threshold = 0.5
    else:
        threshold = float(math.floor(min(max(threshold, 0.0), top)))
    return Condition(feature.code, "le" if left else "gt", threshold, unknown)


def _merge(conditions: Sequence[Condition]) -> tuple[Condition, ...]:
    """One condition per feature and direction: the tightest bound; unknown only if all say so."""
    merged: dict[tuple[str, str, object], Condition] = {}
    for c in conditions:
        key: tuple[str, str, object] = (c.feature, c.op, c.value if c.op in ("eq", "ne") else "")
        before = merged.get(key)
        if before is None:
            merged[key] = c
            continue
        if c.op == "le":
            value: float | str = min(float(before.value), float(c.value))
        elif c.op == "gt":
            value = max(float(before.value), float(c.value))
        else:
            value = c.value
        merged[key] = Condition(c.feature, c.op, value, before.unknown and c.unknown)
    return tuple(merged.values())


def _leaf_rules(
    tree: Any, inputs: Sequence[tuple[int, Feature, str]], wanted: Callable[[int], bool]
) -> list[tuple[Rule, list[int]]]:
    """The rules of the leaves ``wanted`` picks, with their leaves; a subtree whose leaves are
    all wanted is one rule (its split says nothing about the segment)."""
    structure = tree.tree_
    found: list[tuple[Rule, list[int]]] = []

    def leaves(node: int) -> list[int]:
        left, right = structure.children_left[node], structure.children_right[node]
        return [node] if left == right else leaves(left) + leaves(right)

    def walk(node: int, path: list[Condition]) -> None:
        under = leaves(node)
        if all(wanted(leaf) for leaf in under):
            found.append((Rule(_merge(path)), under))
            return
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:
            return
        _i, feature, code = inputs[structure.feature[node]]
        missing_left = bool(structure.missing_go_to_left[node])
        threshold = float(structure.threshold[node])
        walk(left, [*path, _condition(feature, code, threshold, True, missing_left)])
        walk(right, [*path, _condition(feature, code, threshold, False, not missing_left)])

    walk(0, [])
    return found


def rules_fit(
    columns: Sequence[Feature],
    values: NDArray[np.float64],
    labels: NDArray[np.int64],
    *,
    depth: int = MAX_DEPTH,
    seed: int = 0,
) -> tuple[list[SegmentRules], Agreement]:
    """Readable rules for each cluster label, and how well they agree with the clusters.

    One shallow tree per segment tells the segment from the rest (its classes weighted alike,
    so that a small segment is not drowned); the leaves where the segment is the majority are
    its rules. Segments are ordered by the precision of their rules, the most specific first,
    since the first segment whose rule holds is the suggestion.
    """
    from sklearn.tree import DecisionTreeClassifier

    depth = min(depth, MAX_DEPTH)
    inputs = _tree_columns(columns)
    matrix = _tree_matrix(values, inputs)
    segments = int(labels.max()) + 1
    fitted: list[tuple[float, SegmentRules]] = []
    for s in range(segments):
        target = (labels == s).astype(np.int64)
        tree = DecisionTreeClassifier(
            max_depth=depth,
            min_samples_leaf=max(5, len(values) // 200),
            class_weight="balanced",
            random_state=seed,
        ).fit(matrix, target)
        value = tree.tree_.value
        positive = list(tree.classes_).index(1) if 1 in tree.classes_ else None

        def wanted(node: int, value: Any = value, positive: int | None = positive) -> bool:
            return positive is not None and float(value[node][0][positive]) > 0.5

        found = _leaf_rules(tree, inputs, wanted)
        leaves = tree.apply(matrix)
        chosen = np.isin(leaves, [leaf for _rule, under in found for leaf in under])
        precision = float(target[chosen].mean()) if chosen.any() else 0.0
        fitted.append((precision, SegmentRules(segment_code(s), tuple(r for r, _n in found))))
    order = sorted(range(segments), key=lambda s: -fitted[s][0])
    ruleset = [fitted[s][1] for s in order]
    # The agreement is read in the rule set's order: segment i of the rules is label order[i].
    assigned = rules_assign(values, ruleset)
    back = np.asarray([*order, -1], dtype=np.int64)
    return ruleset, agreement(labels, back[assigned], segments)


def ruleset_json(ruleset: Sequence[SegmentRules]) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "rules": [[c.as_json() for c in r.conditions] for r in s.rules]}
        for s in ruleset
    ]


def ruleset_from_json(data: Sequence[Mapping[str, Any]]) -> list[SegmentRules]:
    return [
        SegmentRules(
            str(s["code"]),
            tuple(
                Rule(
                    tuple(
                        Condition(
                            str(c["feature"]), str(c["op"]), c["value"], bool(c.get("unknown"))
                        )
                        for c in rule
                    )
                )
                for rule in s["rules"]
            ),
        )
        for s in data
    ]
