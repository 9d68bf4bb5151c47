"""Evaluations for people: the rules' Finnish texts translated into the user's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.rules.evaluation import Evaluation, Source
from tyollisyystalo.rules.facts import FACT_SPECS, Facts
from tyollisyystalo.rules.parameters import DateOutOfRange
from tyollisyystalo.rules.registry import RULES

StrOrPromise = str | Promise


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


# --- Pages: answers for one client, grouped facts, labels of coded values -------------------

CHOICE_LABELS: dict[str, StrOrPromise] = {
    # pay_subsidy_ground
    "skills": _("puutteelliset ammatilliset valmiudet"),
    "reduced_work_ability": _("vamma tai sairaus, joka vähentää työkykyä"),
    "association_100": _("yhdistyksen, säätiön tai uskonnollisen yhdyskunnan 100 %:n palkkatuki"),
    "age_60": _("60 vuotta täyttänyt"),
    "apprenticeship": _("oppisopimuskoulutus"),
    # employer_type
    "company": _("yritys"),
    "association": _("yhdistys"),
    "foundation": _("säätiö"),
    "religious_community": _("rekisteröity uskonnollinen yhdyskunta"),
    "municipality": _("kunta"),
    "wellbeing_county": _("hyvinvointialue"),
    "state": _("valtio"),
    # purchased_content
    "activity": _("itse työtoiminta"),
    "support_and_guidance": _("tuki ja ohjaus"),
}

VALUE_LABELS: dict[str, StrOrPromise] = {
    "activation_plan_review_due": _("Aktivointisuunnitelma tarkistettava viimeistään"),
    "multisector_plan_review_due": _(
        "Monialainen työllistymissuunnitelma tarkistettava viimeistään"
    ),
    "earliest_interruption": _("Aktivointisuunnitelman voi keskeyttää aikaisintaan"),
    "mapping_period_end": _("Monialaisen palvelutarpeen kartoitus päättyy viimeistään"),
    "rate_percent": _("Tuen määrä palkkakustannuksista (%)"),
    "max_months": _("Enimmäiskesto (kuukautta)"),
    "max_months_if_long_unemployed": _("Enimmäiskesto pitkään työttömänä olleelle (kuukautta)"),
    "extension_max_months": _("Jatkon enimmäiskesto (kuukautta)"),
    "monthly_cap_eur": _("Enimmäismäärä kuukaudessa (euroa)"),
    "max_working_time_percent": _("Enimmäistyöaika (% alan säännöllisestä työajasta)"),
    "work_months": _("Järjestettävän työn kesto (kuukautta)"),
    "organiser": _("Järjestämisvastuu"),
}
DECISION_LABELS: dict[str, StrOrPromise] = {
    "yes": _("Kyllä"),
    "no": _("Ei"),
    "unknown": _("Ei voida päätellä: tietoja puuttuu"),
}

# The facts form in sections a caseworker recognises; every fact in exactly one.
FACT_GROUPS: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
    (_("Henkilö"), ("birth_date",)),
    (
        _("Suunnitelmat ja palvelut"),
        (
            "has_employment_plan",
            "job_search_interview_held",
            "has_integration_plan",
            "in_multisector_service",
            "needs_coordinated_services",
            "plan_start_date",
            "last_review_date",
            "mapping_start_date",
            "work_or_studies_start_date",
        ),
    ),
    (
        _("Työttömyys ja etuudet"),
        (
            "labour_market_subsidy_days_total",
            "labour_market_subsidy_days_last_12_months",
            "earnings_related_max_period_reached",
            "labour_market_subsidy_days_after_max_period",
            "social_assistance_main_income_months",
            "continuous_unemployment_months",
            "unemployed_months_last_14",
            "unemployed_months_last_15",
            "unemployed_months_last_28",
        ),
    ),
    (
        _("Palkkatuki ja työnantaja"),
        ("pay_subsidy_ground", "employer_type", "work_is_business_activity"),
    ),
    (_("Kuntouttava työtoiminta"), ("purchased_content",)),
    (_("Velvoitetyöllistäminen"), ("obligation_arose_on",)),
)


def fact_label(name: str) -> str:
    return gettext(FACT_SPECS[name].label)


def value_display(value: Any) -> str:
    """A fact's or a result's value as a person reads it: Kyllä/Ei, 1.2.2025, a code's label."""
    if value is None:
        return gettext("ei tiedossa")
    if isinstance(value, bool):
        return gettext("Kyllä") if value else gettext("Ei")
    if isinstance(value, dt.date):
        return date_format(value, "j.n.Y")
    if isinstance(value, str):
        return str(CHOICE_LABELS.get(value, value))
    return str(value)


def not_modelled_message(exc: DateOutOfRange) -> str:
    return gettext("Sääntö on mallinnettu %(date)s alkaen.") % {
        "date": date_format(exc.valid_from, "j.n.Y")
    }


@dataclass(frozen=True)
class ShownReason:
    text: str
    met: bool | None
    facts: list[tuple[str, str]]


@dataclass(frozen=True)
class ShownValue:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class RuleAnswer:
    """One rule's answer for one client, ready for a template."""

    rule_id: str
    title: str
    question: str
    decision: str = ""
    decision_label: str = ""
    missing: list[str] = field(default_factory=list)
    reasons: list[ShownReason] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    values: list[ShownValue] = field(default_factory=list)
    not_modelled: str = ""


def rule_answers(facts: Facts, on: dt.date) -> list[RuleAnswer]:
    """Every rule's answer on ``on``, with reasons, sources and values in the active language."""
    answers = []
    for rule in RULES.values():
        title, question = gettext(rule.title), gettext(rule.question)
        try:
            evaluation = rule.function(facts, on)
        except DateOutOfRange as exc:
            answers.append(
                RuleAnswer(rule.id, title, question, not_modelled=not_modelled_message(exc))
            )
            continue
        answers.append(
            RuleAnswer(
                rule.id,
                title,
                question,
                decision=evaluation.decision,
                decision_label=str(DECISION_LABELS[evaluation.decision]),
                missing=[fact_label(name) for name in evaluation.missing_facts],
                reasons=[
                    ShownReason(
                        reason.condition.render(gettext),
                        reason.met,
                        [
                            (fact_label(name), value_display(value))
                            for name, value in reason.facts.items()
                        ],
                    )
                    for reason in evaluation.reasons
                ],
                sources=[_source_text(source) for source in evaluation.sources],
                values=_shown_values(evaluation.values),
            )
        )
    return answers


def _source_text(source: Source) -> str:
    text = source.label()
    return f"{text}: {source.note}" if source.note else text


def _shown_values(values: Mapping[str, Any]) -> list[ShownValue]:
    shown = []
    for key, value in values.items():
        if key.endswith(("_falls_on", "_next_working_day")):
            continue
        text = gettext("ei enimmäisaikaa") if value is None else value_display(value)
        note = ""
        falls_on = values.get(f"{key}_falls_on")
        if falls_on:
            note = gettext("%(day)s; seuraava arkipäivä %(next)s") % {
                "day": gettext(falls_on),
                "next": date_format(values[f"{key}_next_working_day"], "j.n.Y"),
            }
        shown.append(ShownValue(str(VALUE_LABELS.get(key, key)), text, note))
    return shown
