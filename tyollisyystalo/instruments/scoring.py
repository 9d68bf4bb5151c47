"""Checking and scoring answers to an instrument. Pure functions over the definition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tyollisyystalo.instruments.definitions import Band, Instrument
from tyollisyystalo.rules.texts import gettext_noop

Answers = dict[str, Decimal]


@dataclass(frozen=True)
class Result:
    total: Decimal | None
    domains: dict[str, Decimal]
    band: Band | None
    flagged: tuple[str, ...]  # domain codes below the instrument's flag threshold
    suggestions: tuple[str, ...]  # suggestion codes that apply
    complete: bool  # every item answered

    def as_json(self) -> dict[str, object]:
        return {
            "total": None if self.total is None else str(self.total),
            "domains": {code: str(value) for code, value in self.domains.items()},
            "band": self.band.code if self.band else None,
            "flagged": list(self.flagged),
            "suggestions": list(self.suggestions),
            "complete": self.complete,
        }


class AnswerErrors(ValueError):
    """Per-item messages (Finnish source texts, translated where shown)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


MSG_NOT_NUMBER = gettext_noop("Anna vastaus numerona.")
MSG_NOT_ALLOWED = gettext_noop("Vastaus ei ole tämän kysymyksen asteikolla.")
MSG_REQUIRED = gettext_noop("Tähän kysymykseen on vastattava, jotta pisteet voidaan laskea.")
MSG_NOTHING = gettext_noop("Vastaa vähintään yhteen kysymykseen.")
MSG_UNKNOWN = gettext_noop("Tuntematon kysymys.")


def answers_check(
    instrument: Instrument, raw: Mapping[str, object], *, strict: bool = True
) -> Answers:
    """The answers as numbers on each item's scale; ``AnswerErrors`` lists every problem.

    An empty value means "not answered". Unknown keys are refused when ``strict``.
    """
    errors: dict[str, str] = {}
    answers: Answers = {}
    codes = {item.code for item in instrument.items}
    if strict:
        for key in raw:
            if key not in codes:
                errors[str(key)] = MSG_UNKNOWN
    for item in instrument.items:
        value = raw.get(item.code)
        if value is None or (isinstance(value, str) and not value.strip()):
            if instrument.requires_all:
                errors[item.code] = MSG_REQUIRED
            continue
        if isinstance(value, bool):
            errors[item.code] = MSG_NOT_NUMBER
            continue
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            errors[item.code] = MSG_NOT_NUMBER
            continue
        if not number.is_finite() or not item.scale.allows(number):
            errors[item.code] = MSG_NOT_ALLOWED
            continue
        answers[item.code] = number
    if not answers and not errors:
        errors["__all__"] = MSG_NOTHING
    if errors:
        raise AnswerErrors(errors)
    return answers


def score(instrument: Instrument, answers: Answers) -> Result:
    """Total, domain scores (means of the answered items), band, flags and suggestions."""
    complete = all(item.code in answers for item in instrument.items)
    total: Decimal | None = None
    if instrument.score_method == "sum" and complete:
        total = sum(answers.values(), Decimal(0))
    elif instrument.score_method == "count":
        total = Decimal(sum(1 for value in answers.values() if value > 0))
    by_domain: dict[str, list[Decimal]] = {}
    for item in instrument.items:
        if item.code in answers:
            by_domain.setdefault(item.domain, []).append(answers[item.code])
    domains = {
        domain.code: _mean(by_domain[domain.code])
        for domain in instrument.domains
        if domain.code in by_domain
    }
    band = None
    if total is not None:
        for candidate in instrument.bands:
            if total >= candidate.minimum:
                band = candidate
    flagged: tuple[str, ...] = ()
    if instrument.flag_below is not None:
        limit = instrument.flag_below
        flagged = tuple(code for code, value in domains.items() if value < limit)
    suggestions = tuple(
        s.code
        for s in instrument.suggestions
        if s.applies(total if s.score == "total" else domains.get(s.score))
    )
    return Result(total, domains, band, flagged, suggestions, complete)


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")).normalize()
