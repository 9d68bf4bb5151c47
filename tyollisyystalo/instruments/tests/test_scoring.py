"""Instrument definitions and scoring: table-driven, pure, no database."""

import json
from decimal import Decimal

import pytest

from tyollisyystalo.instruments.definitions import DefinitionError, load_all, parse_definition
from tyollisyystalo.instruments.registry import instrument_get, instruments_current
from tyollisyystalo.instruments.scoring import AnswerErrors, answers_check, score

D = Decimal


def wai_answers(
    current=7, demands=7, diseases=5, impairment=5, sick_leave=4, prognosis=7, mental=3
):
    return {
        "current_vs_best": current,
        "demands": demands,
        "diseases": diseases,
        "impairment": impairment,
        "sick_leave": sick_leave,
        "prognosis": prognosis,
        "mental_resources": mental,
    }


def test_the_five_built_in_instruments_load_in_the_order_of_the_path():
    keys = [i.key for i in instruments_current()]
    assert keys == [
        "support_need_checklist",
        "self_assessment",
        "work_ability_score",
        "kykyviisari",
        "work_ability_index",
    ]
    for instrument in instruments_current():
        for text in (instrument.name, instrument.description):
            assert text.fi
            assert text.sv
            assert text.en


def test_the_checklist_has_the_fifteen_items_of_seed_003():
    checklist = instrument_get("support_need_checklist")
    assert len(checklist.items) == 15
    assert checklist.items[0].text.fi == "Peruskoulu suoritettu mukautetusti"
    assert checklist.items[-1].text.fi == "Asumisen haasteet"


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # The extremes of the 7-49 range.
        (wai_answers(0, 2, 1, 1, 1, 1, 1), D(7), "poor"),
        (wai_answers(10, 10, 7, 6, 5, 7, 4), D(49), "excellent"),
        # Each band's edges.
        (wai_answers(7, 7, 5, 3, 2, 1, 2), D(27), "poor"),
        (wai_answers(7, 7, 5, 3, 2, 1, 3), D(28), "moderate"),
        (wai_answers(8, 8, 5, 5, 4, 4, 2), D(36), "moderate"),
        (wai_answers(8, 8, 5, 5, 4, 4, 3), D(37), "good"),
        (wai_answers(9, 9, 6, 5, 4, 7, 3), D(43), "good"),
        (wai_answers(9, 9, 6, 5, 4, 7, 4), D(44), "excellent"),
        # Half points of the weighted demands item fall inside a band.
        (wai_answers(8, D("8.5"), 5, 5, 4, 4, 2), D("36.5"), "moderate"),
    ],
)
def test_work_ability_index_sums_the_seven_items_into_its_bands(answers, total, band):
    wai = instrument_get("work_ability_index")
    result = score(wai, answers_check(wai, answers))
    assert result.total == total
    assert result.band is not None
    assert result.band.code == band
    assert ("restore_work_ability" in result.suggestions) == (total < 28)


def test_work_ability_index_needs_every_item_and_items_on_their_own_scales():
    wai = instrument_get("work_ability_index")
    answers = wai_answers()
    del answers["sick_leave"]
    answers["prognosis"] = 5  # only 1, 4 or 7
    answers["demands"] = "7,5"  # a Finnish decimal comma is fine
    with pytest.raises(AnswerErrors) as caught:
        answers_check(wai, answers)
    assert set(caught.value.errors) == {"sick_leave", "prognosis"}


@pytest.mark.parametrize(
    ("value", "band", "suggested"),
    [
        (0, "poor", True),
        (5, "poor", True),
        (6, "moderate", True),
        (7, "moderate", False),
        (8, "good", False),
        (10, "excellent", False),
    ],
)
def test_work_ability_score_bands_and_the_below_7_suggestion(value, band, suggested):
    was = instrument_get("work_ability_score")
    result = score(was, answers_check(was, {"work_ability": value}))
    assert result.total == value
    assert result.band is not None
    assert result.band.code == band
    assert ("refer_to_coordinator" in result.suggestions) is suggested


def test_checklist_counts_the_items_that_apply_and_one_is_enough_to_suggest():
    checklist = instrument_get("support_need_checklist")
    none = score(checklist, answers_check(checklist, {i.code: 0 for i in checklist.items}))
    assert none.total == 0
    assert none.suggestions == ()
    assert none.band is not None
    assert none.band.code == "none"
    one = score(
        checklist, answers_check(checklist, {"prolonged_unemployment": 1, "health_problems": 0})
    )
    assert one.total == 1
    assert one.suggestions == ("refer_to_coordinator",)


def test_self_assessment_flags_every_area_below_7_and_suggests_only_for_work_capacity():
    sa = instrument_get("self_assessment")
    result = score(sa, answers_check(sa, {"terveys": 6, "talous": 7, "tyokyky": "6.0"}))
    assert result.total is None
    assert result.domains == {"terveys": D(6), "tyokyky": D(6), "talous": D(7)}
    assert result.flagged == ("terveys", "tyokyky")
    assert result.suggestions == ("refer_to_coordinator",)
    fine = score(sa, answers_check(sa, {"terveys": 3, "tyokyky": 7}))
    assert fine.flagged == ("terveys",)
    assert fine.suggestions == ()


def test_kykyviisari_records_area_scores_with_one_decimal():
    kv = instrument_get("kykyviisari")
    result = score(kv, answers_check(kv, {"work_and_functional_capacity": "6.9", "skills": 8}))
    assert result.domains["work_and_functional_capacity"] == D("6.9")
    assert result.suggestions == ("refer_to_coordinator",)
    with pytest.raises(AnswerErrors) as caught:
        answers_check(kv, {"skills": "6.95"})
    assert "skills" in caught.value.errors


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({}, "__all__"),
        ({"terveys": "paljon"}, "terveys"),
        ({"terveys": 11}, "terveys"),
        ({"terveys": -1}, "terveys"),
        ({"terveys": "NaN"}, "terveys"),
        ({"terveys": True}, "terveys"),
        ({"unknown": 5}, "unknown"),
    ],
)
def test_bad_answers_are_named_item_by_item(raw, problem):
    with pytest.raises(AnswerErrors) as caught:
        answers_check(instrument_get("self_assessment"), raw)
    assert problem in caught.value.errors


def minimal(**overrides):
    texts = {"fi": "a", "sv": "b", "en": "c"}
    data = {
        "key": "region_x",
        "version": "1",
        "name": texts,
        "description": texts,
        "scales": {"s": {"min": 0, "max": 4}},
        "domains": [{"code": "d", "name": texts}],
        "items": [{"code": "q", "domain": "d", "scale": "s", "text": texts}],
        "scoring": {"total": "sum"},
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"key": "not an identifier"}, "identifier"),
        ({"version": ""}, "version"),
        ({"name": {"fi": "vain suomeksi"}}, "fi, sv and en"),
        ({"items": [{"code": "q", "domain": "d", "scale": "nope", "text": {}}]}, "unknown scale"),
        ({"scoring": {"total": "median"}}, "scoring.total"),
        (
            {
                "scoring": {"total": "none"},
                "bands": [{"code": "x", "min": 0, "label": {"fi": "a", "sv": "b", "en": "c"}}],
            },
            "bands need a total",
        ),
        (
            {"suggestions": [{"code": "s", "score": "nope", "op": "lt", "value": 1, "text": {}}]},
            "unknown score",
        ),
    ],
)
def test_a_broken_definition_is_refused_with_where_it_is(overrides, message):
    with pytest.raises(DefinitionError, match=message):
        parse_definition(minimal(**overrides))


def test_a_region_adds_its_own_instrument_and_a_new_version_by_a_file(tmp_path, settings):
    (tmp_path / "x1.json").write_text(json.dumps(minimal()), encoding="utf-8")
    (tmp_path / "x2.json").write_text(json.dumps(minimal(version="2")), encoding="utf-8")
    settings.INSTRUMENT_DIRS = [str(tmp_path)]
    assert instrument_get("region_x").version == "2"
    assert instrument_get("region_x", "1").version == "1"
    assert "region_x" in [i.key for i in instruments_current()]
    (tmp_path / "dup.json").write_text(json.dumps(minimal()), encoding="utf-8")
    load_all.cache_clear()
    with pytest.raises(DefinitionError, match="defined twice"):
        load_all((str(tmp_path),))
