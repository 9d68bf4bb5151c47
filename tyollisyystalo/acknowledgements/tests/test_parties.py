"""Who a new plan version asks again: only the parties whose part changed (pure rules)."""

from typing import Any

from tyollisyystalo.plans.content import content_from_json
from tyollisyystalo.plans.parties import CLIENT, parties_asked_again, plan_parties

OWNER = 1
COUNTY = 2
KELA = 3


def plan(**changes: Any) -> Any:
    raw: dict[str, Any] = {
        "summary": "Haluan remonttitöihin.",
        "goals": [
            {"id": "g1", "text": "Työkokeilu"},
            {"id": "g2", "text": "Selkä kestää"},
        ],
        "actions": [
            {"id": "a1", "goal": "g1", "what": "Paikan etsiminen", "organisation_id": "1"},
            {"id": "a2", "goal": "g2", "what": "Selkäharjoittelu", "organisation_id": "2"},
            {"id": "a3", "goal": "g1", "what": "Kuntoutusselvitys", "organisation_id": "3"},
            {"id": "a4", "goal": "g1", "what": "Oma työnhaku", "responsible_kind": "client"},
        ],
    }
    for action_id, fields in changes.items():
        for action in raw["actions"]:
            if action["id"] == action_id:
                action.update(fields)
    return content_from_json(raw)


def test_the_parties_are_the_client_and_the_other_organisations_with_an_action():
    assert plan_parties(plan(), OWNER) == {CLIENT, "2", "3"}


def test_a_first_version_asks_every_party():
    assert parties_asked_again(None, plan(), OWNER) == {CLIENT, "2", "3"}


def test_changing_one_organisations_action_asks_that_organisation_and_the_client():
    changed = plan(a2={"what": "Fysioterapeutin ohjaama selkäharjoittelu"})
    assert parties_asked_again(plan(), changed, OWNER) == {CLIENT, "2"}


def test_changing_the_owners_own_action_asks_only_the_client():
    changed = plan(a1={"due_on": "2027-05-01"})
    assert parties_asked_again(plan(), changed, OWNER) == {CLIENT}


def test_marking_progress_asks_no_one_again():
    changed = plan(a2={"status": "done"}, a3={"status": "ongoing"})
    assert parties_asked_again(plan(), changed, OWNER) == frozenset()


def test_moving_an_action_to_another_organisation_asks_both_and_the_client():
    changed = plan(a3={"organisation_id": "2"})
    assert parties_asked_again(plan(), changed, OWNER) == {CLIENT, "2"}
    assert plan_parties(changed, OWNER) == {CLIENT, "2"}  # Kela is no longer a party


def test_a_new_organisation_is_asked_and_the_rest_only_if_their_part_changed():
    changed = plan(a1={"organisation_id": "4"})
    assert parties_asked_again(plan(), changed, OWNER) == {CLIENT, "4"}


def test_changing_a_goal_an_organisation_serves_asks_it_again():
    before = plan()
    raw = before.as_json()
    raw["goals"][1]["target"] = "7/10"
    assert parties_asked_again(before, content_from_json(raw), OWNER) == {CLIENT, "2"}


def test_the_summary_is_the_clients_part_only():
    before = plan()
    raw = before.as_json()
    raw["summary"] = "Haluan kevyempiin töihin."
    assert parties_asked_again(before, content_from_json(raw), OWNER) == {CLIENT}
