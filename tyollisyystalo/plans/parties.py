"""Who acknowledges a plan version, and whom a new version asks again (pure rules, ADR 0028).

A plan's parties are the client and each organisation other than the plan's own (the owner
writes the plan) that an action names as responsible, itself or through its staff member.

A party's *part* is what it agrees to:
- the client's: the whole plan as agreed — the summary, every goal and every action;
- an organisation's: the actions it is responsible for, with the goals those actions serve.

An action's progress (``status``) is not part of what was agreed, so marking an action done
asks no one again. A new version asks again only the parties whose part changed (or who are new
in it); an unchanged party's acknowledgement of the previous version carries forward.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tyollisyystalo.plans.content import Action, Content

CLIENT = "client"  # the client's party key; an organisation's key is its id as text

# Fields of an action that record progress, not what was agreed.
PROGRESS_FIELDS = frozenset({"status"})


def party_key(organisation_id: int | None) -> str:
    return CLIENT if organisation_id is None else str(organisation_id)


def _agreed(action: Action) -> tuple[tuple[str, Any], ...]:
    return tuple((k, v) for k, v in asdict(action).items() if k not in PROGRESS_FIELDS)


def plan_parties(content: Content, owner_organisation_id: int) -> frozenset[str]:
    """The client and every other organisation with an action in the plan."""
    organisations = {a.organisation_id for a in content.actions if a.organisation_id}
    return frozenset({CLIENT} | organisations - {str(owner_organisation_id)})


def party_part(content: Content, party: str) -> tuple[Any, ...]:
    """What ``party`` agrees to in ``content``, in a form that compares equal when unchanged."""
    if party == CLIENT:
        return (
            content.summary,
            tuple(sorted(asdict(g).items()) for g in content.goals),
            tuple(_agreed(a) for a in content.actions),
        )
    actions = [a for a in content.actions if a.organisation_id == party]
    served = {a.goal for a in actions}
    return (
        tuple(_agreed(a) for a in actions),
        tuple(sorted(asdict(g).items()) for g in content.goals if g.id in served),
    )


def parties_asked_again(
    old: Content | None, new: Content, owner_organisation_id: int
) -> frozenset[str]:
    """The parties of ``new`` whose part differs from ``old`` (all of them for a first version)."""
    parties = plan_parties(new, owner_organisation_id)
    if old is None:
        return parties
    before = plan_parties(old, owner_organisation_id)
    return frozenset(
        p for p in parties if p not in before or party_part(old, p) != party_part(new, p)
    )
