"""Reads of a client's instrument answers, through the gatekeeper, with every read logged."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language

from tyollisyystalo.access.gatekeeper import (
    Decision,
    access_context_load,
    candidate_owners,
    decide_write,
    readable_pairs,
    readable_records_q,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_reads
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.clients.selectors import identity_if_allowed
from tyollisyystalo.instruments.charts import Chart, line_chart
from tyollisyystalo.instruments.definitions import Instrument, format_score
from tyollisyystalo.instruments.models import (
    InstrumentResponse,
    InstrumentSuggestion,
    SuggestionStatus,
)
from tyollisyystalo.instruments.registry import instruments_current
from tyollisyystalo.staff.models import StaffMember

OBJECT_TYPE = "instrument_responses"
# Answers shown per instrument: a year of monthly answers and more.
HISTORY_LIMIT = 24


@dataclass
class History:
    """One instrument's answers for the client, oldest first, with charts and a table."""

    instrument: Instrument
    responses: list[InstrumentResponse]

    @property
    def latest(self) -> InstrumentResponse:
        return self.responses[-1]

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(score code, heading) of the table: the total first, then the domains."""
        language = get_language() or "fi"
        columns = []
        if self.instrument.score_method != "none":
            columns.append(("total", str(self.instrument.name.get(language))))
        if self.instrument.score_method == "none" or len(self.instrument.domains) > 1:
            columns += [(d.code, d.name.get(language)) for d in self.instrument.domains]
        return columns

    @property
    def rows(self) -> list[tuple[InstrumentResponse, list[str]]]:
        rows = []
        for response in reversed(self.responses):
            scores = response.domain_scores
            cells = []
            for code, _ in self.columns:
                value = response.total if code == "total" else scores.get(code)
                cells.append(format_score(value))
            rows.append((response, cells))
        return rows

    @property
    def charts(self) -> list[Chart]:
        """The total over time, or each domain over time (small multiples, not a tangle)."""
        instrument = self.instrument
        if instrument.total_range is not None:
            low, high = instrument.total_range
            series = [(r.answered_on, r.total) for r in self.responses if r.total is not None]
            return [line_chart(self.columns[0][1], series, y_min=low, y_max=high)]
        low, high = instrument.domain_range
        charts = []
        for code, heading in self.columns:
            series = [
                (r.answered_on, r.domain_scores[code])
                for r in self.responses
                if code in r.domain_scores
            ]
            if series:
                charts.append(
                    line_chart(
                        heading, series, y_min=low, y_max=high, threshold=instrument.flag_below
                    )
                )
        return charts


@dataclass
class ClientInstruments:
    client_id: uuid.UUID
    histories: list[History]
    open_suggestions: list[InstrumentSuggestion]
    writable: list[Instrument] = field(default_factory=list)
    more_exists: bool = False
    identity: ClientIdentity | None = None

    def history_of(self, key: str) -> History | None:
        for history in self.histories:
            if history.instrument.key == key:
                return history
        return None


def client_instruments_get(
    *,
    staff: StaffMember,
    client_id: uuid.UUID,
    purpose: str,
    at: dt.datetime | None = None,
) -> ClientInstruments:
    """The client's answers the staff member may read, by instrument, and open suggestions,
    with the identity. A denied request is a 404, logged as denied, with nothing read.
    (The card's section is ``instruments.sections``.)"""
    at = at or timezone.now()
    ctx = access_context_load(client_id, at=at)
    instruments = instruments_current()
    categories = {i.category for i in instruments}
    pairs: dict[tuple[int, str], Decision] = {
        pair: decision
        for pair, decision in readable_pairs(staff, ctx, candidate_owners(staff, ctx)).items()
        if pair[1] in categories
    }
    writable = [
        i
        for i in instruments
        if decide_write(
            staff, ctx, owner_organisation_id=staff.organisation_id, category=i.category
        ).allowed
    ]
    if not pairs and not writable:
        raise deny_and_log(
            staff=staff, client_id=client_id, action=Action.READ, at=at, purpose=purpose
        )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    identity, decision = identity_if_allowed(staff, ctx)
    if identity is not None:
        read[(decision.basis, decision.consent_id)].add(DataCategory.IDENTITY)
    data = client_instruments_build(client_id=client_id, pairs=pairs, writable=writable, read=read)
    data.identity = identity
    access_log_reads(
        actor=staff,
        client_id=client_id,
        read=read,
        object_type=OBJECT_TYPE,
        object_id=str(client_id),
        purpose=purpose,
        at=at,
    )
    return data


def client_instruments_build(
    *,
    client_id: uuid.UUID,
    pairs: Mapping[tuple[int, str], Decision],
    writable: list[Instrument],
    read: dict[tuple[Basis, int | None], set[str]],
) -> ClientInstruments:
    """Answers and open suggestions of the readable ``pairs``; adds what it read to ``read``.
    The caller has decided ``pairs`` (instrument categories only) and logs ``read``."""
    instruments = instruments_current()
    allowed = readable_records_q(pairs)
    by_key: dict[str, list[InstrumentResponse]] = defaultdict(list)
    responses = (
        InstrumentResponse.objects.filter(client_id=client_id)
        .filter(allowed)
        .select_related("entered_by__user", "owner_organisation")
        .order_by("-answered_on", "-created_at", "-id")[: HISTORY_LIMIT * len(instruments)]
    )
    for response in responses:
        held = by_key[response.instrument_key]
        if len(held) < HISTORY_LIMIT:
            held.append(response)
            decision = pairs[(response.owner_organisation_id, response.category)]
            read[(decision.basis, decision.consent_id)].add(response.category)
    histories = [
        History(instrument, list(reversed(by_key[instrument.key])))
        for instrument in instruments
        if by_key.get(instrument.key)
    ]
    suggestions = list(
        InstrumentSuggestion.objects.filter(client_id=client_id, status=SuggestionStatus.OPEN)
        .filter(allowed)
        .select_related("response")
    )
    return ClientInstruments(
        client_id=client_id,
        histories=histories,
        open_suggestions=suggestions,
        writable=writable,
        more_exists=InstrumentResponse.objects.filter(client_id=client_id)
        .exclude(allowed)
        .exists(),
    )
