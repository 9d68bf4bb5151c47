"""What the analysis data set is read from: one organisation's own records, apart.

Who is in it: the clients with a service path owned by the organisation, except those whose
identity has been anonymised (their data is being erased). The organisation is the controller
of these records and analyses them to plan and steer its own services (knowledge management,
552/2019 § 2 and § 37; docs/legal-sources.md), so no consent is asked. Read: the newest answer
of the checklist, the self-assessment and the Work Ability Score, the newest rule facts, the
newest path's entry route, the language, sex and birth date (coarsened to an age band in the
row), and the areas of life of the services the client was referred to. Never a name, an
identifier in the row, a date of its own or a free text. A fixed number of queries whatever the
amount of data (one per kind of record), all on ``reporting_db()``.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from tyollisyystalo.cases.models import Case
from tyollisyystalo.catalogue.models import Attribute
from tyollisyystalo.catalogue.vocabularies import AREA
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.rules.models import ClientRuleFacts
from tyollisyystalo.segments.features import INSTRUMENTS, ClientFacts
from tyollisyystalo.segments.models import ProcessStep, Segment, SegmentAnalysis, SegmentVersion


@dataclass
class Source:
    facts: dict[uuid.UUID, ClientFacts] = field(default_factory=dict)
    categories: set[str] = field(default_factory=set)  # the data categories read


def analysis_source(organisation: Organisation) -> Source:
    db = reporting_db()
    cases = Case.objects.using(db).filter(owner_organisation=organisation)
    routes: dict[uuid.UUID, str] = {}
    for client_id, route in cases.order_by("referred_on", "created_at").values_list(
        "client_id", "entry_route"
    ):
        routes[client_id] = route  # the newest path's route wins
    identities = {
        client_id: (language, sex, birth)
        for client_id, language, sex, birth in ClientIdentity.objects.using(db)
        .filter(client_id__in=cases.values("client_id"), anonymized_at__isnull=True)
        .values_list("client_id", "language", "sex", "birth_date")
    }
    source = Source()
    if not identities:
        return source
    source.categories.add("identity")
    answers: dict[uuid.UUID, dict[str, dict[str, float]]] = defaultdict(dict)
    for client_id, key, raw, category in (
        InstrumentResponse.objects.using(db)
        .filter(owner_organisation=organisation, instrument_key__in=INSTRUMENTS)
        .order_by("answered_on", "created_at", "id")
        .values_list("client_id", "instrument_key", "answers_json", "category")
    ):
        values = {code: float(v) for code, v in json.loads(raw or "{}").items()}
        answers[client_id][key] = values  # the newest answer wins
        source.categories.add(category)
    facts: dict[uuid.UUID, dict[str, object]] = {}
    for client_id, raw, category in (
        ClientRuleFacts.objects.using(db)
        .filter(owner_organisation=organisation)
        .order_by("created_at", "id")
        .values_list("client_id", "facts_json", "category")
    ):
        facts[client_id] = json.loads(raw or "{}")
        source.categories.add(category)
    referred = Referral.objects.using(db).filter(
        Q(case__owner_organisation=organisation) & Q(service__isnull=False)
    )
    areas_of: dict[uuid.UUID, set[str]] = defaultdict(set)
    for service_id, code in (
        Attribute.objects.using(db)
        .filter(service_id__in=referred.values("service_id"), taxonomy_term__taxonomy__code=AREA)
        .values_list("service_id", "taxonomy_term__code")
    ):
        areas_of[service_id].add(code)
    used: dict[uuid.UUID, set[str]] = defaultdict(set)
    for client_id, service_id, category in referred.values_list(
        "case__client_id", "service_id", "category"
    ):
        used[client_id] |= areas_of.get(service_id, set())
        source.categories.add(category)
    for client_id, (language, sex, birth) in identities.items():
        source.facts[client_id] = ClientFacts(
            answers=answers.get(client_id, {}),
            facts=facts.get(client_id, {}),
            language=language,
            entry_route=routes.get(client_id, ""),
            areas_used=frozenset(used.get(client_id, set())),
            birth_date=birth,
            sex=sex,
        )
    return source


def analyses_of(organisation: Organisation) -> QuerySet[SegmentAnalysis]:
    """The organisation's analyses, newest first (what the workshop lists)."""
    return SegmentAnalysis.objects.filter(organisation=organisation).select_related("made_by__user")


def versions_of(organisation: Organisation) -> QuerySet[SegmentVersion]:
    return SegmentVersion.objects.filter(organisation=organisation).select_related(
        "created_by__user", "approved_by__user"
    )


def version_segments(version: SegmentVersion) -> QuerySet[Segment]:
    """A version's segments with their process steps and the steps' services."""
    return version.segments.order_by("position").prefetch_related(
        Prefetch("steps", queryset=ProcessStep.objects.prefetch_related("services"))
    )
