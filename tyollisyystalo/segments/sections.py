"""The client's segment on the card: what the approved rules suggest and why, what a person
decided, the segment's instructions and service process."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import reads_from
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.cases.models import Case, CaseStatus
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.plans.models import Plan
from tyollisyystalo.segments.forms import NO_SEGMENT, SuggestionForm
from tyollisyystalo.segments.models import SuggestionState
from tyollisyystalo.segments.suggestions import (
    CATEGORY,
    OBJECT_TYPE,
    ReadBy,
    suggestion_live,
    suggestions_readable,
)

HISTORY_SHOWN = 10


@card_section("segments", order=65)
def segments_section(access: ClientAccess) -> Section | None:
    return segments_section_with(access, None)


def segments_section_with(access: ClientAccess, form: SuggestionForm | None) -> Section | None:
    """The part, with a bound decision form when a POST is shown again with its errors."""
    history = list(suggestions_readable(access)[:HISTORY_SHOWN])
    can_decide = (
        access.staff.can(Capability.CLIENT_RECORD_WRITE) and access.may_write(CATEGORY).allowed
    )
    live = suggestion_live(access) if can_decide else None
    if not history and live is None:
        return None
    read: ReadBy = live.read if live is not None else defaultdict(set)
    for decided in history:
        decision = access.decision(decided.owner_organisation_id, CATEGORY)
        read[(decision.basis, decision.consent_id)].add(CATEGORY)
    # The newest decision of the reader's own organisation is the one its process follows.
    current = next(
        (
            d
            for d in history
            if d.owner_organisation_id == access.staff.organisation_id
            and d.state != SuggestionState.OPEN
        ),
        None,
    )
    segment = current.chosen if current is not None else None
    steps = list(segment.steps.prefetch_related("services")) if segment is not None else []
    plans = []
    if steps and can_decide:
        plans = list(
            Plan.objects.filter(access.records_q(category=DataCategory.PLAN))
            .filter(owner_organisation_id=access.staff.organisation_id)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("-started_on")
        )
        for plan in plans:
            decision = access.decision(plan.owner_organisation_id, DataCategory.PLAN)
            read[(decision.basis, decision.consent_id)].add(DataCategory.PLAN)
    if live is not None and form is None:
        form = SuggestionForm(
            segments=live.segments,
            # A suggestion resting on missing answers only is not chosen for the person.
            initial={
                "segment": str(live.suggested.pk)
                if live.suggested and not live.unknown
                else (NO_SEGMENT if live.suggested is None else "")
            },
        )
    page = reverse("casefile:section", kwargs={"client_id": access.client_id, "key": "segments"})
    todo: tuple[tuple[str, str], ...] = ()
    leads_a_path = (
        live is not None
        and Case.objects.filter(access.records_q())
        .filter(owner_organisation_id=access.staff.organisation_id)
        .exclude(status=CaseStatus.CLOSED)
        .exists()
    )
    if leads_a_path and live and (current is None or current.version_id != live.version.pk):
        todo = ((_("Vahvista asiakassegmentti"), page),)
    facts: tuple[tuple[str, str, str], ...] = ()
    if current is not None:
        facts = ((_("Asiakassegmentti"), segment.name if segment else _("ei segmenttiä"), page),)
    return Section(
        "segments",
        "segments/_card_segments.html",
        {
            "live": live,
            "form": form,
            "current": current,
            "segment": segment,
            "steps": steps,
            "history": history,
            "plans": plans,
            "can_decide": can_decide,
        },
        reads=reads_from(read, object_type=OBJECT_TYPE, object_id=str(access.client_id)),
        data={
            "segment": segment.name if segment else None,
            "state": current.state if current else None,
        },
        facts=facts,
        todo=todo,
    )
