"""Reads of the catalogue: the public one (published services only) and providers' editing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.catalogue.gatekeeper import editable_filter
from tyollisyystalo.catalogue.models import (
    OPEN_REVISION_STATUSES,
    Attribute,
    CatalogueOrganization,
    RevisionStatus,
    Service,
    ServiceAtLocation,
    ServiceRevision,
    TaxonomyTerm,
)
from tyollisyystalo.catalogue.revisions import stale_before
from tyollisyystalo.catalogue.search.needs import file_needs
from tyollisyystalo.catalogue.search.query import catalogue_search_ids
from tyollisyystalo.staff.models import StaffMember

SEARCH_LIMIT = 500


def services_published() -> QuerySet[Service]:
    return Service.objects.filter(is_published=True)


def services_referable() -> QuerySet[Service]:
    """Published services of the network's own providers: the ones a referral can be sent to."""
    return services_published().filter(organization__network_organisation__isnull=False)


def services_for_hsds(
    *,
    search: str = "",
    language: str = "fi",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: dt.datetime | None = None,
    full: bool = False,
) -> QuerySet[Service]:
    """Published services for the HSDS API, by name; with ``search``, the services the
    Finnish-aware catalogue search finds (base forms, compound parts, synonyms, typos), most
    relevant first, at most ``SEARCH_LIMIT``."""
    services = services_published().select_related("organization")
    ranked: list[uuid.UUID] = []
    if search:
        ranked = catalogue_search_ids(q=search, language=language, limit=SEARCH_LIMIT)
        services = services.filter(pk__in=ranked)
    if taxonomy_term_id:
        services = services.filter(attributes__taxonomy_term_id=taxonomy_term_id)
    if taxonomy_id:
        services = services.filter(attributes__taxonomy_term__taxonomy_id=taxonomy_id)
    if organization_id:
        services = services.filter(organization_id=organization_id)
    if modified_after:
        services = services.filter(last_modified__gte=modified_after)
    if full:
        services = services.prefetch_related(*FULL_SERVICE)
    services = services.distinct()
    if ranked:
        position = Case(
            *[When(pk=pk, then=Value(n)) for n, pk in enumerate(ranked)],
            output_field=IntegerField(),
        )
        return services.annotate(relevance=position).order_by("relevance", "id")
    return services.order_by("name_fi", "id")


FULL_SERVICE = (
    Prefetch(
        "attributes",
        queryset=Attribute.objects.select_related(
            "taxonomy_term__taxonomy", "taxonomy_term__parent"
        ).order_by("taxonomy_term__taxonomy__code", "taxonomy_term__position"),
    ),
    "languages",
    "service_areas__municipality",
    "phones",
    "cost_options",
    Prefetch("at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
)


def organizations_for_hsds(
    *, search: str = "", full_service: bool = False
) -> QuerySet[CatalogueOrganization]:
    orgs = CatalogueOrganization.objects.prefetch_related("phones", "locations")
    if search:
        orgs = orgs.filter(
            Q(name_fi__icontains=search)
            | Q(name_sv__icontains=search)
            | Q(name_en__icontains=search)
        )
    if full_service:
        orgs = orgs.prefetch_related(
            Prefetch(
                "services",
                queryset=services_published()
                .select_related("organization")
                .prefetch_related(*FULL_SERVICE),
            )
        )
    return orgs.order_by("name_fi", "id")


def taxonomy_terms_for_hsds(
    *,
    search: str = "",
    taxonomy_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    top_only: bool = False,
) -> QuerySet[TaxonomyTerm]:
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent")
    if search:
        terms = terms.filter(Q(name_fi__icontains=search) | Q(code__iexact=search))
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    if parent_id:
        terms = terms.filter(parent_id=parent_id)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    return terms.order_by("taxonomy__code", "position", "code")


def areas_with_counts() -> list[TaxonomyTerm]:
    """The nine areas of life, each with ``service_count`` of published services (one query)."""
    return list(
        TaxonomyTerm.objects.filter(taxonomy__code="tt-area")
        .annotate(
            service_count=Count("services", filter=Q(services__is_published=True), distinct=True)
        )
        .order_by("position")
    )


def areas_of_services(service_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Each service's areas of life (tt-area codes), in one query."""
    found: dict[uuid.UUID, list[str]] = {pk: [] for pk in service_ids}
    rows = Attribute.objects.filter(
        service_id__in=service_ids, taxonomy_term__taxonomy__code="tt-area"
    ).values_list("service_id", "taxonomy_term__code")
    for service_id, code in rows:
        found.setdefault(service_id, []).append(code)
    return found


def reviewed_need_counts() -> dict[str, int]:
    """Entries of the reviewed need vocabulary (``data/needs.toml``) per language."""
    counts: dict[str, int] = {}
    for need in file_needs():
        counts[need.language] = counts.get(need.language, 0) + 1
    return counts


def terms_of(taxonomy_code: str) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy__code=taxonomy_code).order_by("position", "code")


def service_for_page(pk: uuid.UUID) -> Service | None:
    return (
        services_published()
        .select_related("organization")
        .prefetch_related(
            *FULL_SERVICE,
            "organization__phones",
            "schedules",
            "contacts",
        )
        .filter(pk=pk)
        .first()
    )


# --- Provider self-service (staff only) ----------------------------------------------------------


@dataclass(frozen=True)
class EditorRow:
    service: Service
    open_revision: ServiceRevision | None
    stale: bool


def services_for_editor(staff: StaffMember, *, show: str = "") -> list[EditorRow]:
    """The services the staff member may edit, stalest first, each with its open edit.

    ``show``: "" all, "stale" only those not reviewed within the period, "pending" only those
    with an edit waiting for publication, "drafts" only those with an unsubmitted draft.
    """
    cutoff = stale_before()
    services = Service.objects.filter(editable_filter(staff))
    if show == "stale":
        services = services.filter(reviewed_at__lt=cutoff)
    elif show == "pending":
        services = services.filter(revisions__status=RevisionStatus.SUBMITTED)
    elif show == "drafts":
        services = services.filter(revisions__status=RevisionStatus.DRAFT)
    services = (
        services.select_related("organization")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=ServiceRevision.objects.filter(status__in=OPEN_REVISION_STATUSES),
                to_attr="open_revisions",
            )
        )
        .order_by("reviewed_at", "name_fi")
    )
    return [
        EditorRow(
            service=s,
            open_revision=s.open_revisions[0] if s.open_revisions else None,
            stale=s.reviewed_at < cutoff,
        )
        for s in services
    ]


def editor_attention_count(staff: StaffMember) -> int:
    """For the navigation badge: stale services, plus edits waiting for an administrator or
    returned to the editor."""
    services = Service.objects.filter(editable_filter(staff))
    waiting = (
        Q(revisions__status=RevisionStatus.SUBMITTED)
        if staff.can(Capability.CATALOGUE_PUBLISH)
        else Q(revisions__status=RevisionStatus.DRAFT) & ~Q(revisions__note="")
    )
    return services.filter(Q(reviewed_at__lt=stale_before()) | waiting).distinct().count()


def service_history(service: Service) -> list[ServiceRevision]:
    return list(
        service.revisions.exclude(status__in=OPEN_REVISION_STATUSES)
        .exclude(status=RevisionStatus.DISCARDED)
        .select_related("created_by__user", "decided_by__user")
    )
