"""Modular coaching's part of the client card: each readable modular period's modules and what
has been chosen after them, with a link to the period's "Moduulit" page."""

from __future__ import annotations

from django.db.models import Count, Q

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import read_of
from tyollisyystalo.access.sections import Section, card_section
from tyollisyystalo.coaching.models import CoachingKind, CoachingPeriod


@card_section("coaching_modules", order=65)
def modules_section(access: ClientAccess) -> Section | None:
    periods = list(
        CoachingPeriod.objects.filter(access.records_q(), kind=CoachingKind.MODULAR)
        .annotate(
            module_count=Count("modules", distinct=True),
            chosen_count=Count("modules", filter=Q(modules__choice__isnull=False), distinct=True),
        )
        .select_related("coach__user")
        .order_by("-started_on")
    )
    if not periods:
        return None
    reads = tuple(
        read_of(
            access,
            owner=p.owner_organisation_id,
            category=p.category,
            object_type="coaching_modules.period",
            object_id=str(p.pk),
        )
        for p in periods
    )
    more = CoachingPeriod.objects.filter(
        access.client_q(), kind=CoachingKind.MODULAR
    ).count() > len(periods)
    return Section(
        "coaching_modules",
        "coaching_modules/_card_modules.html",
        {"periods": periods},
        reads=reads,
        more_exists=more,
        data={
            "modular_periods": [
                {
                    "id": str(p.pk),
                    "started_on": p.started_on.isoformat(),
                    "status": p.status,
                    "modules": p.module_count,
                }
                for p in periods
            ]
        },
    )
