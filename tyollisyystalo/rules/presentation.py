"""Evaluations for people: the rules' Finnish texts translated into the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from tyollisyystalo.rules.evaluation import Evaluation
from tyollisyystalo.rules.facts import FACT_SPECS


def evaluation_payload(evaluation: Evaluation) -> dict[str, Any]:
    """``Evaluation.as_dict()`` with each reason's text in the active language."""
    data = evaluation.as_dict()
    for reason, item in zip(evaluation.reasons, data["reasons"], strict=True):
        item["text"] = reason.condition.render(gettext)
    for key, value in data["values"].items():
        if key.endswith("_falls_on") and isinstance(value, str):
            data["values"][key] = gettext(value)
    return data


def fact_errors(errors: dict[str, str]) -> dict[str, list[str]]:
    """A ``FactError``'s messages translated, with the allowed values of a choice fact."""
    out: dict[str, list[str]] = {}
    for name, message in errors.items():
        text = gettext(message)
        spec = FACT_SPECS.get(name)
        if spec is not None and spec.choices:
            text = f"{text} ({', '.join(spec.choices)})"
        out[name] = [text]
    return out
