"""Services suggested for an area of life where a person's self-assessment is low.

Ranked by relevance to the area's need (the self-assessment's own words for a low score,
"Rahat eivät riitä, on velkaa", searched within the area), then preferring, where the need
allows, free services and ones a person can go to without a referral, and services for the
person's municipality and situation when they gave them. Each suggestion says why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tyollisyystalo.catalogue.models import Attribute, Service, ServiceArea, TaxonomyTerm
from tyollisyystalo.catalogue.search.needs import area_need
from tyollisyystalo.catalogue.search.query import Filters, catalogue_search, filtered_services

CANDIDATES = 80
# Preferences multiply the relevance, so that a service unrelated to the need stays below a
# related one however free and open it is.
FREE_BONUS = 0.25
SELF_REFERRAL_BONUS = 0.25
GROUP_BONUS = 0.5
LOCAL_BONUS = 0.15
SELF_REFERRAL = "itse_hakeutuen"
TIE = 0.01
RANK_DECAY = 0.2


@dataclass(frozen=True)
class Suggestion:
    service: Service
    reasons: list[str]
    score: float


def _terms_of(service: Service, taxonomy: str) -> list[TaxonomyTerm]:
    return [
        a.taxonomy_term
        for a in service.attributes.all()
        if a.taxonomy_term.taxonomy.code == taxonomy
    ]


def area_suggestions(
    *,
    area: str,
    language: str,
    need: str = "",
    municipality: str = "",
    target_group: str = "",
    limit: int = 4,
) -> list[Suggestion]:
    """The ``limit`` best services of ``area`` for a person whose need is ``need`` (by default,
    what a low score in the area most often means: ``needs.area_need``)."""
    need = need or area_need(area, language)
    filters = Filters(area=area, municipality=municipality)
    found = catalogue_search(
        q=need, language=language, filters=filters, limit=CANDIDATES, any_word=True
    )
    # Relevance by rank in the search: the first 1, then less and less.
    relevance: dict[object, float] = defaultdict(float)
    for rank, hit in enumerate(found.hits):
        relevance[hit.service.pk] = 1 / (1 + RANK_DECAY * rank)
    # The area's other services too, so that an area is never left without suggestions.
    others = filtered_services(filters).values_list("pk", flat=True).distinct()[:CANDIDATES]
    ids = set(relevance) | set(others)
    services = (
        Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "attributes", queryset=Attribute.objects.select_related("taxonomy_term__taxonomy")
            ),
            Prefetch(
                "service_areas",
                queryset=ServiceArea.objects.select_related("municipality"),
            ),
        )
    )
    ranked = []
    for service in services:
        score = relevance.get(service.pk, 0.0)
        reasons = []
        if score > 0:
            reasons.append(_("Sopii tähän tarpeeseen"))
        multiplier = 1.0
        if service.is_free:
            multiplier += FREE_BONUS
            reasons.append(_("Maksuton"))
        access = [t.code for t in _terms_of(service, "tt-access")]
        if SELF_REFERRAL in access:
            multiplier += SELF_REFERRAL_BONUS
            reasons.append(_("Voit hakeutua itse, lähetettä ei tarvita"))
        bonus = 0.0
        groups = _terms_of(service, "tt-target-group")
        if target_group and any(t.code == target_group for t in groups):
            bonus += GROUP_BONUS
            term = next(t for t in groups if t.code == target_group)
            reasons.append(_("Tarkoitettu ryhmälle: %(group)s") % {"group": term.name})
        if municipality and any(
            a.municipality is not None and a.municipality.name_fi == municipality
            for a in service.service_areas.all()
        ):
            bonus += LOCAL_BONUS
            reasons.append(_("Kunnassasi: %(municipality)s") % {"municipality": municipality})
        # Unrelated services keep their order of preference among themselves, below the related.
        preference = multiplier + bonus
        ranked.append(Suggestion(service, reasons, round((score + TIE) * preference, 4)))
    ranked.sort(key=lambda s: (-s.score, s.service.name_fi, str(s.service.pk)))
    return ranked[:limit]
