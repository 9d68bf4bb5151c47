"""Plan content: checking, what a good plan still lacks, and the readable diff."""

from typing import Any

import pytest

from tyollisyystalo.plans.content import (
    ContentErrors,
    content_from_json,
    plan_diff,
    plan_gaps,
)

GOOD: dict[str, Any] = {
    "summary": "Klaus haluaa takaisin työelämään.",
    "goals": [
        {
            "id": "g1",
            "text": "Työkokeilu kevään aikana",
            "area": "tyo",
            "measure": "Työkokeilupäiviä viikossa",
            "target": "3 päivää",
            "follow_up_on": "2027-03-01",
        }
    ],
    "actions": [
        {
            "id": "a1",
            "goal": "g1",
            "what": "Työkokeilupaikan etsiminen",
            "responsible_kind": "person",
            "responsible": "Aino Koordinaattori",
            "due_on": "2027-01-15",
            "status": "ongoing",
        },
        {"id": "a2", "goal": "g1", "what": "Oma työnhaku", "responsible_kind": "client"},
    ],
}


def test_a_good_plan_has_no_gaps():
    assert plan_gaps(content_from_json(GOOD)) == []


def test_an_empty_plan_lacks_goals_and_actions():
    gaps = [g.message for g in plan_gaps(content_from_json({}))]
    assert gaps == ["Suunnitelmassa ei ole tavoitteita.", "Suunnitelmassa ei ole toimenpiteitä."]


def test_gaps_name_the_goal_or_action_that_lacks_a_measure_follow_up_or_responsible():
    content = content_from_json(
        {
            "goals": [{"id": "g1", "text": "Kuntoutus"}, {"id": "g2", "text": "Talous"}],
            "actions": [
                {"what": "Lääkärinlausunto", "goal": "g1", "responsible_kind": "organisation"},
            ],
        }
    )
    gaps = [(g.message.split("”")[0], g.name) for g in plan_gaps(content)]
    assert ("Tavoitteelta ", "Kuntoutus") in gaps
    assert ("Tavoitteeseen ", "Talous") in gaps
    assert ("Toimenpiteeltä ", "Lääkärinlausunto") in gaps


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"goals": [{"text": ""}]}, "goals.0.text"),
        ({"goals": [{"text": "x", "follow_up_on": "31.12.2026"}]}, "goals.0.follow_up_on"),
        ({"actions": [{"what": ""}]}, "actions.0.what"),
        ({"actions": [{"what": "x", "responsible_kind": "boss"}]}, "actions.0.responsible_kind"),
        ({"actions": [{"what": "x", "status": "maybe"}]}, "actions.0.status"),
        ({"actions": [{"what": "x", "goal": "nope"}]}, "actions.0.goal"),
        ({"actions": [{"what": "x", "service_id": "not-a-uuid"}]}, "actions.0.service_id"),
    ],
)
def test_bad_content_names_the_row_and_field(raw, key):
    with pytest.raises(ContentErrors) as caught:
        content_from_json(raw)
    assert key in caught.value.errors


def test_the_diff_names_what_was_added_removed_and_changed_field_by_field():
    old = content_from_json(GOOD)
    changed = {
        **GOOD,
        "goals": [{**GOOD["goals"][0], "target": "4 päivää"}],
        "actions": [
            GOOD["actions"][0],
            {"id": "a3", "goal": "g1", "what": "Terveystarkastus", "responsible_kind": "client"},
        ],
    }
    diff = plan_diff(old, content_from_json(changed))
    summary = [(c.kind, c.section, c.name) for c in diff]
    assert ("changed", "goal", "Työkokeilu kevään aikana") in summary
    assert ("added", "action", "Terveystarkastus") in summary
    assert ("removed", "action", "Oma työnhaku") in summary
    goal_change = next(c for c in diff if c.section == "goal")
    assert [(f.field, f.old, f.new) for f in goal_change.fields] == [
        ("target", "3 päivää", "4 päivää")
    ]
    assert plan_diff(old, old) == []
