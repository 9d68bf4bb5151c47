"""Segment discovery and criteria over data with a known latent structure (pure, no database)."""

import math

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from tyollisyystalo.demo.latent import LATENT_CLASSES, latent_rows
from tyollisyystalo.segments.criteria import (
    MAX_DEPTH,
    Condition,
    Rule,
    SegmentRules,
    rules_assign,
    rules_fit,
    rules_match,
    ruleset_from_json,
    ruleset_json,
)
from tyollisyystalo.segments.dataset import dataset_pack, dataset_unpack
from tyollisyystalo.segments.discovery import SMALL, TooFewClients, profiles, segments_discover
from tyollisyystalo.segments.features import feature_index, features

NOT_IN_CRITERIA = {"sex", "age_group"} | {f.code for f in features() if f.code.startswith("used.")}


@pytest.fixture(scope="module")
def drawn():
    return latent_rows(900, seed=7)


@pytest.fixture(scope="module")
def discovered(drawn):
    columns, values, _truth = drawn
    return segments_discover(columns, values, ks=range(2, 8), resamples=4, starts=2, seed=1)


def test_the_analysis_finds_the_stated_structure(drawn, discovered):
    """Five kinds were drawn: the lowest BIC picks five, and the segments are those kinds."""
    _columns, _values, truth = drawn
    assert discovered.k == len(LATENT_CLASSES)
    best = min(discovered.fits, key=lambda f: f.bic)
    assert best.k == discovered.k  # the stated criterion, read apart
    assert adjusted_rand_score(truth, discovered.labels) >= 0.8
    assert len(discovered.stability) == 4
    assert all(-1 <= a <= 1 for a in discovered.stability)
    assert discovered.stability_mean > 0.6
    # Numbered by size, largest first.
    sizes = [c.size for c in discovered.candidates]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == len(truth)


def test_a_profile_compares_the_segment_with_the_whole(drawn, discovered):
    columns, values, _truth = drawn
    i = feature_index()["checklist.mental_health_challenges"]
    for candidate in discovered.candidates:
        inside = values[discovered.labels == candidate.label, i]
        row = next(r for r in candidate.profile if r.feature.code == columns[i].code)
        known = inside[~np.isnan(inside)]
        assert row.known == len(known)
        assert row.segment == pytest.approx(known.mean())
        whole = values[:, i][~np.isnan(values[:, i])]
        assert row.whole == pytest.approx(whole.mean())


def test_a_small_segment_is_flagged():
    columns, values, _truth = latent_rows(120, seed=3)
    labels = np.zeros(len(values), dtype=np.int64)
    labels[: SMALL - 1] = 1
    found = profiles(columns, values, labels)
    assert [c.small for c in found] == [False, True]


def test_fewer_than_a_hundred_clients_are_refused():
    columns, values, _truth = latent_rows(99, seed=3)
    with pytest.raises(TooFewClients):
        segments_discover(columns, values, ks=[2], resamples=0)


def test_criteria_are_shallow_readable_and_agree_with_the_clusters(drawn, discovered):
    columns, values, _truth = drawn
    ruleset, agreed = rules_fit(columns, values, discovered.labels)
    for segment in ruleset:
        for rule in segment.rules:
            assert 1 <= len(rule.conditions) <= MAX_DEPTH
            assert not {c.feature for c in rule.conditions} & NOT_IN_CRITERIA
            assert rule.text()
    # The agreement, counted again with a plain reading of the rules.
    order = [int(s.code[1:]) - 1 for s in ruleset]
    same = 0
    for row, label in zip(values.tolist(), discovered.labels, strict=True):
        first = None
        for position, segment in enumerate(ruleset):
            if any(_plain(rule, row) for rule in segment.rules):
                first = order[position]
                break
        same += first == label
    assert agreed.overall == pytest.approx(same / len(values))
    assert agreed.overall >= 0.75


def _plain(rule, row):
    index = feature_index()
    for c in rule.conditions:
        value = row[index[c.feature]]
        if math.isnan(value):
            if not c.unknown:
                return False
            continue
        feature = features()[index[c.feature]]
        if c.op == "eq" and feature.choices[int(value)] != c.value:
            return False
        if c.op == "ne" and feature.choices[int(value)] == c.value:
            return False
        if c.op == "le" and not value <= c.value:
            return False
        if c.op == "gt" and not value > c.value:
            return False
    return True


def test_the_first_segment_whose_rule_holds_is_the_suggestion():
    index = feature_index()
    row = [math.nan] * len(features())
    row[index["checklist.mental_health_challenges"]] = 1
    row[index["unemployment_months"]] = 30
    row[index["language"]] = 2  # other
    mental = Condition("checklist.mental_health_challenges", "gt", 0.5)
    long = Condition("unemployment_months", "gt", 23)
    ruleset = [
        SegmentRules("s1", (Rule((Condition("area.mieli", "le", 3),)),)),  # not known: no
        SegmentRules("s2", (Rule((mental, long)),)),
        SegmentRules("s3", (Rule((Condition("language", "eq", "other"),)),)),
    ]
    match = rules_match(row, ruleset)
    assert match is not None
    assert (match.segment, match.rule) == (1, 0)
    # An unknown answer holds only where the condition says so.
    ruleset[0] = SegmentRules("s1", (Rule((Condition("area.mieli", "le", 3, unknown=True),)),))
    unknown = rules_match(row, ruleset)
    assert unknown is not None
    assert unknown.segment == 0
    assert (
        rules_match(row, [SegmentRules("x", (Rule((Condition("language", "ne", "other"),)),))])
        is None
    )
    assert list(rules_assign(np.asarray([row]), ruleset[1:])) == [0]
    # The criteria survive their JSON form.
    assert ruleset_from_json(ruleset_json(ruleset)) == ruleset


def test_the_kept_data_set_is_the_data_set(drawn, discovered):
    columns, values, _truth = drawn
    codes, back, labels = dataset_unpack(
        dataset_pack([c.code for c in columns], values, discovered.labels)
    )
    assert codes == [c.code for c in columns]
    assert np.array_equal(np.isnan(back), np.isnan(values))
    assert np.array_equal(np.nan_to_num(back), np.nan_to_num(values))
    assert np.array_equal(labels, discovered.labels)


def test_a_split_of_known_from_missing_answers_reads_as_the_scale_s_top():
    """A tree may split the known answers from the missing ones (an infinite threshold)."""
    import math

    from tyollisyystalo.segments.criteria import _condition
    from tyollisyystalo.segments.features import feature_index, features

    area = features()[feature_index()["area.terveys"]]
    months = features()[feature_index()["unemployment_months"]]
    assert _condition(area, "", math.inf, True, False).value == 10.0
    known, missing = (
        _condition(area, "", math.inf, True, False),
        _condition(area, "", math.inf, False, True),
    )
    assert known.holds(3.0, area)
    assert not known.holds(math.nan, area)
    assert missing.holds(math.nan, area)
    assert not missing.holds(10.0, area)
    assert _condition(months, "", math.inf, True, False).value == 600.0
    assert _condition(area, "", 3.5, True, False).value == 3.0
