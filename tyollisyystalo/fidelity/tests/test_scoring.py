"""The IPS-25 definition and its scoring; bands written from the issue, not from the code."""

import json
from pathlib import Path

import pytest

from tyollisyystalo.fidelity.definition import (
    BUILT_IN,
    DefinitionError,
    all_scales,
    scale_get,
    scale_parse,
)
from tyollisyystalo.fidelity.scoring import ScoreError, score

# Issue 14 part 6, in its order.
ISSUE_KEYS = [
    "caseload_size",
    "employment_services_staff",
    "vocational_generalists",
    "integration_team_assignment",
    "integration_team_contact",
    "collaboration_with_vr",
    "vocational_unit",
    "employment_supervisor_role",
    "zero_exclusion",
    "agency_focus_competitive",
    "executive_support",
    "work_incentives_planning",
    "disclosure",
    "ongoing_assessment",
    "rapid_job_search",
    "individualised_job_search",
    "job_development_frequency",
    "job_development_quality",
    "diversity_of_job_types",
    "diversity_of_employers",
    "competitive_jobs",
    "individualised_follow_along",
    "time_unlimited_follow_along",
    "community_based_services",
    "assertive_engagement",
]


def expected_band(total):
    if total >= 115:
        return "exemplary"
    if total >= 100:
        return "good"
    if total >= 74:
        return "fair"
    return "not_supported_employment"


def items_totalling(total):
    """25 scores adding up to ``total`` (25–125)."""
    extra = total - 25
    scores = {}
    for key in ISSUE_KEYS:
        add = min(4, extra)
        scores[key] = 1 + add
        extra -= add
    assert sum(scores.values()) == total
    return scores


def test_definition_has_the_issues_items_in_order_with_texts():
    scale = scale_get()
    assert list(scale.keys) == ISSUE_KEYS
    sections = [item.section for item in scale.items]
    assert sections == ["staffing"] * 3 + ["organisation"] * 8 + ["services"] * 14
    for item in scale.items:
        for language in ("fi", "sv", "en"):
            assert item.title.get(language)
            assert all(item.anchor(s, language) for s in range(1, 6))
    assert scale.item("caseload_size").anchor(5, "fi").startswith("Enintään 20")


@pytest.mark.parametrize(
    "total",
    [25, 26, 72, 73, 74, 75, 98, 99, 100, 101, 113, 114, 115, 116, 124, 125],
)
def test_band_boundaries(total):
    result = score(scale_get(), items_totalling(total))
    assert result.total == total
    assert result.band == expected_band(total)
    assert result.complete is True
    assert result.missing == ()


def test_incomplete_has_no_band_and_lists_missing_in_scale_order():
    scores = items_totalling(125)
    for key in ("competitive_jobs", "caseload_size", "disclosure"):
        del scores[key]
    result = score(scale_get(), scores)
    assert result.band is None
    assert result.complete is False
    assert result.total == 110
    assert result.missing == ("caseload_size", "disclosure", "competitive_jobs")
    assert score(scale_get(), {}).missing == tuple(ISSUE_KEYS)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, "out_of_range"),
        (6, "out_of_range"),
        (-1, "out_of_range"),
        (3.5, "not_integer"),
        ("3", "not_integer"),
        (True, "not_integer"),
        (None, "not_integer"),
    ],
)
def test_bad_scores_are_refused(value, code):
    with pytest.raises(ScoreError) as exc:
        score(scale_get(), {"caseload_size": 5, "disclosure": value})
    assert exc.value.errors == {"disclosure": code}


def test_unknown_key_is_refused():
    with pytest.raises(ScoreError) as exc:
        score(scale_get(), {"caseload": 5})
    assert exc.value.errors == {"caseload": "unknown_item"}


def _raw():
    return json.loads(Path(BUILT_IN / "ips_fidelity_v1.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "breakage",
    ["gap_in_bands", "missing_anchor", "missing_language", "duplicate_key", "unknown_section"],
)
def test_a_broken_definition_is_refused(breakage):
    raw = _raw()
    if breakage == "gap_in_bands":
        raw["bands"][0]["min"] = 116
    elif breakage == "missing_anchor":
        del raw["items"][3]["anchors"]["4"]
    elif breakage == "missing_language":
        del raw["items"][0]["title"]["sv"]
    elif breakage == "duplicate_key":
        raw["items"][1]["key"] = raw["items"][0]["key"]
    else:
        raw["items"][0]["section"] = "finance"
    with pytest.raises(DefinitionError):
        scale_parse(raw)


def test_the_shipped_definition_loads():
    assert "ips25-v1" in all_scales()
