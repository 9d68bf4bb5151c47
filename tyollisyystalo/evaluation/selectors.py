"""The rows an evaluation package is made of: one organisation's own records, read apart.

Every read goes to ``reporting_db()`` and filters on the record's owner organisation; a fixed
number of queries whatever the amount of data (one per kind of record). Rows come back as
they are stored (database identifiers, exact dates); ``package`` coarsens and pseudonymises
them, and nothing here leaves the server as such.

Who is in the package: the clients with a service path or a coaching period owned by the
organisation, except those whose identity has been anonymised (their data is being erased);
and, apart from them, the anonymous survey answers counted for the organisation. Free texts
(reasons, notes, answers' texts, names) are never selected.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent
from tyollisyystalo.catalogue.models import Attribute
from tyollisyystalo.catalogue.vocabularies import AREA
from tyollisyystalo.clients.models import Client
from tyollisyystalo.coaching.models import (
    CoachingEvent,
    CoachingPeriod,
    Placement,
    PlacementFeedback,
)
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.surveys.models import Answer, AnswerValue
from tyollisyystalo.worktrials.models import RATED, WorkTrialFeedback

RATING_FIELDS = tuple(name for name, _label in RATED)

Row = tuple[Any, ...]
STREAM_CHUNK = 5000


@dataclass
class SourceRows:
    """One organisation's records as stored, in the order of ``schema.TABLES``."""

    clients: list[Row] = field(default_factory=list)  # id, birth_date, municipality code
    cases: list[Row] = field(default_factory=list)
    case_events: Iterable[Row] = ()  # a stream, read once
    deadlines: Iterable[Row] = ()  # a stream, read once
    responses: list[Row] = field(default_factory=list)
    referrals: list[Row] = field(default_factory=list)
    service_areas: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    work_trial_feedback: list[Row] = field(default_factory=list)
    periods: list[Row] = field(default_factory=list)
    coaching_events: list[Row] = field(default_factory=list)
    placements: list[Row] = field(default_factory=list)
    placement_feedback: list[Row] = field(default_factory=list)
    survey_answers: list[Row] = field(default_factory=list)  # anonymous: no client
    survey_values: list[Row] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)  # the data categories read


def _take(rows: list[Row], categories: set[str]) -> list[Row]:
    """Rows whose last value is their data category: collect it, return the rest."""
    categories.update(row[-1] for row in rows)
    return [row[:-1] for row in rows]


def evaluation_rows(organisation: Organisation) -> SourceRows:
    db = reporting_db()
    own = Q(owner_organisation=organisation)
    source = SourceRows()
    seen = source.categories
    cases = Case.objects.using(db).filter(own)
    periods = CoachingPeriod.objects.using(db).filter(own)
    source.clients = list(
        Client.objects.using(db)
        .filter(Q(pk__in=cases.values("client_id")) | Q(pk__in=periods.values("client_id")))
        .exclude(identity__anonymized_at__isnull=False)
        .values_list("id", "identity__birth_date", "identity__municipality__code")
    )
    source.cases = _take(
        list(
            cases.values_list(
                "id",
                "client_id",
                "entry_route",
                "status",
                "referred_on",
                "started_on",
                "closed_on",
                "outcome",
                "outcome_on",
                "category",
            )
        ),
        seen,
    )
    # The two largest tables are read as a stream when the package is built (one query each).
    source.case_events = (
        CaseEvent.objects.using(db)
        .filter(case__owner_organisation=organisation)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "effective_on", "kind", "from_status", "to_status", "outcome")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    source.deadlines = (
        CaseDeadline.objects.using(db)
        .filter(case__owner_organisation=organisation)
        .order_by("case_id", "due_on", "id")
        .values_list("case_id", "kind", "months", "due_on", "done_on", "cancelled_at")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    source.responses = _take(
        list(
            InstrumentResponse.objects.using(db)
            .filter(own)
            .values_list(
                "id",
                "client_id",
                "instrument_key",
                "instrument_version",
                "answered_on",
                "respondent",
                "result_json",
                "category",
            )
        ),
        seen,
    )
    referrals = Referral.objects.using(db).filter(own)
    source.referrals = _take(
        list(
            referrals.values_list(
                "id",
                "case_id",
                "receiving_organisation__type",
                "service_id",
                "status",
                "created_at",
                "answer_due_on",
                "answered_at",
                "completed_at",
                "category",
            )
        ),
        seen,
    )
    areas: dict[uuid.UUID, list[tuple[int, str]]] = defaultdict(list)
    for service_id, code, position in (
        Attribute.objects.using(db)
        .filter(
            service_id__in=referrals.filter(service__isnull=False).values("service_id"),
            taxonomy_term__taxonomy__code=AREA,
        )
        .values_list("service_id", "taxonomy_term__code", "taxonomy_term__position")
    ):
        areas[service_id].append((position, code))
    source.service_areas = {sid: [c for _p, c in sorted(terms)] for sid, terms in areas.items()}
    source.work_trial_feedback = _take(
        list(
            WorkTrialFeedback.objects.using(db)
            .filter(own)
            .order_by("created_at", "id")
            .values_list("case_id", "created_at", *RATING_FIELDS, "category")
        ),
        seen,
    )
    source.periods = _take(
        list(
            periods.values_list(
                "id",
                "client_id",
                "case_id",
                "kind",
                "intensity",
                "status",
                "started_on",
                "ended_on",
                "ending_reason",
                "category",
            )
        ),
        seen,
    )
    source.coaching_events = list(
        CoachingEvent.objects.using(db)
        .filter(period__owner_organisation=organisation)
        .order_by("created_at", "id")
        .values_list("period_id", "effective_on", "from_status", "to_status", "ending_reason")
    )
    source.placements = _take(
        list(
            Placement.objects.using(db)
            .filter(own)
            .values_list(
                "id",
                "period_id",
                "started_on",
                "ended_on",
                "hours_per_week",
                "contract_type",
                "competitive",
                "hourly_wage",
                "pay_subsidy",
                "ended_by",
                "category",
            )
        ),
        seen,
    )
    source.placement_feedback = _take(
        list(
            PlacementFeedback.objects.using(db)
            .filter(own)
            .order_by("created_at", "id")
            .values_list("placement_id", "created_at", *RATING_FIELDS, "category")
        ),
        seen,
    )
    # Anonymous survey answers counted for the organisation: they name no one and join no
    # client row (surveys keep them apart from identity; ADR 0025).
    source.survey_answers = list(
        Answer.objects.using(db)
        .filter(organisation=organisation)
        .values_list("id", "survey", "version", "month", "municipality__code")
    )
    source.survey_values = list(
        AnswerValue.objects.using(db)
        .filter(organisation=organisation)
        .values_list("answer_id", "item", "value")
    )
    return source
