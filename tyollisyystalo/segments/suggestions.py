"""A client's segment: what the approved rules suggest, read only through the reader's access.

The suggestion is worked out when a professional opens it, from what that professional may read
of the client (the newest checklist, self-assessment and Work Ability Score answers, rule facts,
the newest path's entry route and, when the identity is readable, the language): anything they
may not read counts as not known, as the rules say. Nothing is stored until a person confirms
or changes it (``services.segment_suggestion_decide``); the stored decisions are the client's
segment history, read like any record of the category ``assessments``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.audit.models import Basis
from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.segments.criteria import rules_match, ruleset_from_json, value_text
from tyollisyystalo.segments.features import (
    INSTRUMENTS,
    ClientFacts,
    feature_index,
    feature_row,
    features,
)
from tyollisyystalo.segments.models import (
    Segment,
    SegmentSuggestion,
    SegmentVersion,
    VersionStatus,
)

CATEGORY = DataCategory.ASSESSMENTS  # a decided segment is an assessment of the client's needs
OBJECT_TYPE = "segment_suggestion"

ReadBy = dict[tuple[Basis, int | None], set[str]]


def approved_version(organisation_id: int | None) -> SegmentVersion | None:
    """The organisation's approved segment version (at most one), or None."""
    if organisation_id is None:
        return None
    return (
        SegmentVersion.objects.filter(
            organisation_id=organisation_id, status=VersionStatus.APPROVED
        )
        .select_related("organisation")
        .first()
    )


def client_facts_read(access: ClientAccess, read: ReadBy) -> ClientFacts:
    """The client's facts the reader may read, the categories read recorded in ``read``."""
    answers: dict[str, dict[str, float]] = {}
    for key, raw, owner, category in (
        InstrumentResponse.objects.filter(access.records_q(), instrument_key__in=INSTRUMENTS)
        .order_by("answered_on", "created_at", "id")
        .values_list("instrument_key", "answers_json", "owner_organisation_id", "category")
    ):
        answers[key] = {code: float(v) for code, v in json.loads(raw or "{}").items()}
        _mark(access, read, owner, category)
    facts: dict[str, object] = {}
    for raw, owner, category in (
        ClientRuleFacts.objects.filter(access.records_q())
        .order_by("created_at", "id")
        .values_list("facts_json", "owner_organisation_id", "category")
    ):
        facts = json.loads(raw or "{}")
        _mark(access, read, owner, category)
    route = ""
    for entry_route, owner, category in (
        Case.objects.filter(access.records_q())
        .order_by("referred_on", "created_at")
        .values_list("entry_route", "owner_organisation_id", "category")
    ):
        route = entry_route
        _mark(access, read, owner, category)
    language = ""
    if access.identity.allowed:
        language = (
            ClientIdentity.objects.filter(client_id=access.client_id)
            .values_list("language", flat=True)
            .first()
            or ""
        )
        if language:
            read[(access.identity.basis, access.identity.consent_id)].add("identity")
    return ClientFacts(
        answers=answers,
        facts=facts,
        language=language,
        entry_route=route,
        areas_used=frozenset(),  # never in the criteria
        birth_date=None,
        sex="",
    )


def _mark(access: ClientAccess, read: ReadBy, owner: int, category: str) -> None:
    decision = access.decision(owner, category)
    read[(decision.basis, decision.consent_id)].add(category)


@dataclass(frozen=True)
class Live:
    """What the approved rules suggest now, and why."""

    version: SegmentVersion
    segments: tuple[Segment, ...]
    suggested: Segment | None
    rule: int | None  # index of the rule that held in the suggested segment's criteria
    reason: str  # the rule in words ("" when none held)
    read: ReadBy = field(default_factory=lambda: defaultdict(set))
    # Each condition of the rule that held, in words, with the client's value in words.
    conditions: tuple[tuple[str, str], ...] = ()
    unknown: int = 0  # of those, how many held only because the value is not known

    @property
    def resting_on_unknown(self) -> bool:
        """Held only where the rule counts a missing answer as a match: no real ground."""
        return bool(self.conditions) and self.unknown == len(self.conditions)


def suggestion_live(access: ClientAccess, on: dt.date | None = None) -> Live | None:
    """The suggestion of the reader's organisation's approved rules, or None without them."""
    version = approved_version(access.staff.organisation_id)
    if version is None:
        return None
    segments = tuple(version.segments.order_by("position"))
    ruleset = ruleset_from_json([{"code": s.code, "rules": s.rules_json} for s in segments])
    read: ReadBy = defaultdict(set)
    known = client_facts_read(access, read)
    row = feature_row(known, on or timezone.localdate(access.at))
    match = rules_match(row, ruleset)
    if match is None:
        return Live(version, segments, None, None, "", read)
    rule = ruleset[match.segment].rules[match.rule]
    columns, index = features(), feature_index()
    conditions = tuple(
        (c.text(), value_text(columns[index[c.feature]], row[index[c.feature]]))
        for c in rule.conditions
    )
    unknown = sum(1 for c in rule.conditions if math.isnan(row[index[c.feature]]))
    return Live(
        version,
        segments,
        segments[match.segment],
        match.rule,
        rule.text(),
        read,
        conditions,
        unknown,
    )


def suggestions_readable(access: ClientAccess) -> QuerySet[SegmentSuggestion]:
    """The client's decided segments the reader may read, newest first."""
    return SegmentSuggestion.objects.filter(access.records_q(category=CATEGORY)).select_related(
        "version", "suggested", "chosen", "decided_by__user", "owner_organisation"
    )
