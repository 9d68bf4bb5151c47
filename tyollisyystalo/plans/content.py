"""A plan's content: goals and actions, checked, compared between versions, and its gaps.

Pure Python. A version stores the whole content as JSON, so every version can be shown and
printed exactly as it was agreed, and two versions are compared item by item (by stable ids).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from tyollisyystalo.rules.texts import gettext_noop

RESPONSIBLE_KINDS = ("client", "person", "organisation")
ACTION_STATUSES = ("planned", "ongoing", "done", "cancelled")


@dataclass(frozen=True)
class Goal:
    id: str
    text: str
    area: str = ""  # an area of life (the self-assessment's areas)
    measure: str = ""  # how progress is seen (mittari)
    target: str = ""  # the level aimed at
    follow_up_on: str = ""  # ISO date of the follow-up


@dataclass(frozen=True)
class Action:
    id: str
    what: str
    goal: str = ""  # id of the goal it serves
    responsible_kind: str = ""  # client, person or organisation
    responsible: str = ""  # the person's or organisation's name (the client needs none)
    # The organisation responsible, or the named person's: a party who acknowledges the plan.
    organisation_id: str = ""
    service_id: str = ""  # a catalogue service, if the action uses one
    coaching_period_id: str = ""  # a job coaching period the action points to
    due_on: str = ""
    status: str = "planned"


@dataclass(frozen=True)
class Content:
    goals: tuple[Goal, ...] = ()
    actions: tuple[Action, ...] = ()
    summary: str = ""  # the client's situation and wishes in their own words

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "goals": [asdict(g) for g in self.goals],
            "actions": [asdict(a) for a in self.actions],
        }


class ContentErrors(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


MSG_DATE = gettext_noop("Anna päivämäärä muodossa VVVV-KK-PP.")
MSG_GOAL_TEXT = gettext_noop("Kirjoita tavoite.")
MSG_ACTION_TEXT = gettext_noop("Kirjoita, mitä tehdään.")
MSG_KIND = gettext_noop("Valitse, kuka vastaa.")
MSG_STATUS = gettext_noop("Valitse tilanne.")
MSG_GOAL_REF = gettext_noop("Valitse tavoite tästä suunnitelmasta.")
MSG_SERVICE = gettext_noop("Palvelun tunniste ei kelpaa.")
MSG_COACHING = gettext_noop("Valmennusjakson tunniste ei kelpaa.")
MSG_ORGANISATION = gettext_noop("Organisaation tunniste ei kelpaa.")


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split()) if not isinstance(value, str) else value.strip()


def _known(cls: type, raw: Mapping[str, Any]) -> dict[str, str]:
    names = {f.name for f in fields(cls)}
    return {k: _clean(v) for k, v in raw.items() if k in names}


def content_from_json(raw: Mapping[str, Any]) -> Content:
    """Build and check content; ``ContentErrors`` keys are ``goals.N.field``/``actions.N.field``."""
    errors: dict[str, str] = {}
    goals: list[Goal] = []
    for n, item in enumerate(raw.get("goals", ())):
        values = _known(Goal, item)
        values["id"] = values.get("id") or uuid.uuid4().hex[:8]
        goal = Goal(**{"text": "", **values})
        if not goal.text:
            errors[f"goals.{n}.text"] = MSG_GOAL_TEXT
        if goal.follow_up_on and not _is_date(goal.follow_up_on):
            errors[f"goals.{n}.follow_up_on"] = MSG_DATE
        goals.append(goal)
    goal_ids = {g.id for g in goals}
    actions: list[Action] = []
    for n, item in enumerate(raw.get("actions", ())):
        values = _known(Action, item)
        values["id"] = values.get("id") or uuid.uuid4().hex[:8]
        action = Action(**{"what": "", **values})
        if not action.what:
            errors[f"actions.{n}.what"] = MSG_ACTION_TEXT
        if action.responsible_kind and action.responsible_kind not in RESPONSIBLE_KINDS:
            errors[f"actions.{n}.responsible_kind"] = MSG_KIND
        if action.status not in ACTION_STATUSES:
            errors[f"actions.{n}.status"] = MSG_STATUS
        if action.goal and action.goal not in goal_ids:
            errors[f"actions.{n}.goal"] = MSG_GOAL_REF
        if action.due_on and not _is_date(action.due_on):
            errors[f"actions.{n}.due_on"] = MSG_DATE
        if action.service_id and not _is_uuid(action.service_id):
            errors[f"actions.{n}.service_id"] = MSG_SERVICE
        if action.coaching_period_id and not _is_uuid(action.coaching_period_id):
            errors[f"actions.{n}.coaching_period_id"] = MSG_COACHING
        if action.organisation_id and not (
            action.organisation_id.isascii() and action.organisation_id.isdigit()
        ):
            errors[f"actions.{n}.organisation_id"] = MSG_ORGANISATION
        actions.append(action)
    if errors:
        raise ContentErrors(errors)
    return Content(tuple(goals), tuple(actions), _clean(raw.get("summary", "")))


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# What a good plan has (seed 003): goals, measures, follow-up and a responsible party.
GAP_NO_GOALS = gettext_noop("Suunnitelmassa ei ole tavoitteita.")
GAP_NO_ACTIONS = gettext_noop("Suunnitelmassa ei ole toimenpiteitä.")
GAP_MEASURE = gettext_noop("Tavoitteelta ”{name}” puuttuu mittari: miten edistyminen näkyy?")
GAP_FOLLOW_UP = gettext_noop("Tavoitteelta ”{name}” puuttuu seurantapäivä.")
GAP_RESPONSIBLE = gettext_noop("Toimenpiteeltä ”{name}” puuttuu vastuutaho.")
GAP_GOAL_WITHOUT_ACTION = gettext_noop("Tavoitteeseen ”{name}” ei liity toimenpiteitä.")


@dataclass(frozen=True)
class Gap:
    message: str
    name: str = ""


def plan_gaps(content: Content) -> list[Gap]:
    """What is still missing from a good plan, in the order a person would fix it."""
    gaps: list[Gap] = []
    if not content.goals:
        gaps.append(Gap(GAP_NO_GOALS))
    if not content.actions:
        gaps.append(Gap(GAP_NO_ACTIONS))
    served = {a.goal for a in content.actions if a.goal}
    for goal in content.goals:
        if not goal.measure:
            gaps.append(Gap(GAP_MEASURE, goal.text))
        if not goal.follow_up_on:
            gaps.append(Gap(GAP_FOLLOW_UP, goal.text))
        if content.actions and goal.id not in served:
            gaps.append(Gap(GAP_GOAL_WITHOUT_ACTION, goal.text))
    for action in content.actions:
        if not action.responsible_kind or (
            action.responsible_kind != "client" and not action.responsible
        ):
            gaps.append(Gap(GAP_RESPONSIBLE, action.what))
    return gaps


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    section: str  # "goal", "action", "summary"
    name: str
    fields: tuple[FieldChange, ...] = field(default_factory=tuple)


def plan_diff(old: Content, new: Content) -> list[Change]:
    """Item-by-item changes from ``old`` to ``new``: added, removed, and changed fields."""
    changes: list[Change] = []
    if old.summary != new.summary:
        changes.append(
            Change("changed", "summary", "", (FieldChange("summary", old.summary, new.summary),))
        )
    for section, before, after, label in (
        ("goal", old.goals, new.goals, "text"),
        ("action", old.actions, new.actions, "what"),
    ):
        old_by_id = {item.id: item for item in before}
        new_by_id = {item.id: item for item in after}
        for item in after:
            previous = old_by_id.get(item.id)
            if previous is None:
                changes.append(Change("added", section, getattr(item, label)))
                continue
            diffs = tuple(
                FieldChange(f.name, getattr(previous, f.name), getattr(item, f.name))
                for f in fields(item)
                if f.name != "id" and getattr(previous, f.name) != getattr(item, f.name)
            )
            if diffs:
                changes.append(Change("changed", section, getattr(item, label), diffs))
        for item in before:
            if item.id not in new_by_id:
                changes.append(Change("removed", section, getattr(item, label)))
    return changes
