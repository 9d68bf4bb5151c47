"""The shipped surveys load and are what the issue asks; broken files refuse to load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tyollisyystalo.shared.formdefs import DefinitionError
from tyollisyystalo.surveys.definitions import (
    DIRECTORY,
    parse_survey,
    survey_current,
    surveys_load,
)


def test_the_four_surveys_ship_with_their_scales() -> None:
    loaded = surveys_load()
    assert {key for key, _version in loaded} == {
        "client_satisfaction",
        "work_ability_change",
        "employer_feedback",
        "cooperation",
    }
    satisfaction = survey_current("client_satisfaction")
    overall = satisfaction.item("overall")
    assert (overall.kind, overall.minimum, overall.maximum) == ("scale", 4, 10)
    assert overall.scale_values == [4, 5, 6, 7, 8, 9, 10]
    assert {i.key for i in satisfaction.items} >= {"heard", "plan_mine", "repeated_story"}
    assert satisfaction.item("repeated_story").kind == "yesno"
    change = survey_current("work_ability_change")
    assert [(i.key, i.minimum, i.maximum) for i in change.items] == [
        ("now", 0, 10),
        ("at_start", 0, 10),
    ]
    employer = survey_current("employer_feedback")
    assert {i.kind for i in employer.items} == {"scale", "text"}
    assert all(i.minimum == 1 and i.maximum == 5 for i in employer.items if i.kind == "scale")
    cooperation = survey_current("cooperation")
    assert cooperation.audience == "staff"
    assert cooperation.indicator_item == "overall"
    assert all((i.minimum, i.maximum) == (1, 5) for i in cooperation.items)


def test_client_surveys_have_easy_finnish_and_every_text_three_languages() -> None:
    for survey in surveys_load().values():
        texts = [survey.name, survey.description]
        for item in survey.items:
            texts.append(item.label)
            texts += [t for t in (item.min_label, item.max_label) if t is not None]
        for text in texts:
            assert text.fi
            assert text.sv
            assert text.en
            if survey.for_clients:
                assert text.fi_easy, survey.key
        if survey.for_clients:
            assert survey.name.get("fi", easy=True) != survey.name.get("fi")


def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (Path(DIRECTORY) / f"{name}_v1.json").read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(audience="public"), "audience"),
        (lambda d: d["items"][0].update(kind="slider"), "kind"),
        (lambda d: d["items"][0].update(min=10, max=4), "min must be below max"),
        (lambda d: d["items"][0].update(min=4.5), "whole numbers"),
        (lambda d: d["items"][0]["label"].pop("fi_easy"), "easy Finnish"),
        (lambda d: d["items"][0]["label"].pop("sv"), "fi, sv and en"),
        (lambda d: d.update(indicator_item="repeated_story"), "indicator_item"),
        (lambda d: d["items"][3].update(min=1), "only scales"),
        (lambda d: d["items"].append(dict(d["items"][0])), "unique"),
    ],
)
def test_a_broken_survey_is_refused_with_where(change: Any, message: str) -> None:
    raw = _raw("client_satisfaction")
    change(raw)
    with pytest.raises(DefinitionError, match=message):
        parse_survey(raw)


def test_a_directory_with_a_broken_file_refuses_to_load(tmp_path: Path) -> None:
    raw = _raw("cooperation")
    raw["items"][0]["max"] = "five"
    (tmp_path / "cooperation_v1.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"cooperation_v1\.json"):
        surveys_load(str(tmp_path))


def test_the_same_version_twice_is_refused(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.json").write_text(json.dumps(_raw("cooperation")), encoding="utf-8")
    with pytest.raises(DefinitionError, match="defined twice"):
        surveys_load(str(tmp_path))
