"""Open Referral HSDS 3.0 read API at /api/v1/hsds/: public, no login, published services only."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.timezone import get_current_timezone, is_naive, make_aware
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.catalogue import hsds, selectors
from tyollisyystalo.catalogue.models import ServiceAtLocation, Taxonomy, TaxonomyTerm
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.shared.text import NO_NUL_PATTERN, no_nul

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


LANGUAGES = ["fi", "sv", "en"]
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _given(request: Request, name: str) -> str | None:
    """A parameter's value, ``None`` when it was left out; given empty, it is a 400."""
    raw = request.query_params.get(name)
    if raw == "":
        raise ValidationError({name: [_("Anna arvo tai jätä parametri pois.")]})
    return raw


def _lang(request: Request) -> str:
    requested = _given(request, "lang")
    if requested is not None and requested in LANGUAGES:
        return requested
    if requested is not None:
        raise ValidationError({"lang": [_("Valitse kieli: fi, sv tai en.")]})
    return (
        (get_language() or "fi")[:2] if (get_language() or "fi")[:2] in {"fi", "sv", "en"} else "fi"
    )


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = _given(request, name)
    if raw is None:
        return default
    value = parse_int(raw)
    if value is None:
        raise ValidationError({name: [_("Anna kokonaisluku.")]})
    if not low <= value <= high:
        raise ValidationError(
            {name: [_("Arvon on oltava välillä %(low)d–%(high)d.") % {"low": low, "high": high}]}
        )
    return value


def _uuid(request: Request, name: str) -> uuid.UUID | None:
    raw = _given(request, name)
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise ValidationError({name: [_("Tunniste ei ole kelvollinen UUID.")]}) from exc


def _bool(request: Request, name: str) -> bool:
    raw = (_given(request, name) or "false").lower()
    if raw not in _TRUE | _FALSE:
        raise ValidationError({name: [_("Anna true tai false.")]})
    return raw in _TRUE


def _search(request: Request) -> str:
    text = request.query_params.get("search", "")
    try:
        no_nul(text)
    except DjangoValidationError as exc:
        raise ValidationError({"search": exc.messages}) from exc
    return text[:200]


def _datetime(request: Request, name: str) -> dt.datetime | None:
    raw = _given(request, name)
    if raw is None:
        return None
    message = _("Anna aika ISO 8601 -muodossa, esim. 2026-01-31T12:00:00Z.")
    try:
        # parse_datetime raises on a well-formed but impossible value (year 0, offset +99:00).
        value = parse_datetime(raw.replace(" ", "+"))
        if value is None:
            value = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time())
        value = make_aware(value, get_current_timezone()) if is_naive(value) else value
        # Asked in UTC: PostgreSQL refuses offsets past ±15:59 that Python accepts (-21:57), and
        # a time with no UTC year 1..9999 cannot be asked for.
        return value.astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise ValidationError({name: [message]}) from exc


def paged(
    request: Request, items: QuerySet[Any], render: Callable[[Any], dict[str, Any]]
) -> Response:
    """The HSDS Page envelope around ``contents``."""
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int(request, "page", 1, 1, 1_000_000)
    total = items.count()
    total_pages = max(1, math.ceil(total / per_page))
    rows: Iterable[Any] = items[(page - 1) * per_page : page * per_page]
    contents = [render(row) for row in rows]
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


P = OpenApiParameter
LIST_PARAMS = [
    P("search", {"type": "string", "pattern": NO_NUL_PATTERN}),
    P("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
    P(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        description=f"1–{MAX_PER_PAGE}, default {DEFAULT_PER_PAGE}",
    ),
    P("lang", str, enum=LANGUAGES),
]
SERVICE_PARAMS = [
    *LIST_PARAMS,
    P("taxonomy_term_id", OpenApiTypes.UUID),
    P("taxonomy_id", OpenApiTypes.UUID),
    P("organization_id", OpenApiTypes.UUID),
    P("modified_after", OpenApiTypes.DATETIME),
    P("full", bool),
]


class PublicView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]


class RootView(PublicView):
    @extend_schema(operation_id="hsds_root", responses=OpenApiTypes.OBJECT, tags=["hsds"])
    def get(self, request: Request) -> Response:
        schema = request.build_absolute_uri(reverse("schema"))
        return Response({"version": hsds.HSDS_VERSION, "profile": schema, "openapi_url": schema})


class ServiceListView(PublicView):
    @extend_schema(
        operation_id="hsds_services_list",
        parameters=SERVICE_PARAMS,
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request) -> Response:
        full = _bool(request, "full")
        services = selectors.services_for_hsds(
            search=_search(request),
            language=_lang(request),
            taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
            taxonomy_id=_uuid(request, "taxonomy_id"),
            organization_id=_uuid(request, "organization_id"),
            modified_after=_datetime(request, "modified_after"),
            full=full,
        )
        lang = _lang(request)
        return paged(request, services, lambda s: hsds.service(s, lang, full=full))


class ServiceDetailView(PublicView):
    @extend_schema(
        operation_id="hsds_service_get",
        parameters=[P("lang", str, enum=LANGUAGES)],
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        service = get_object_or_404(selectors.services_for_hsds(full=True), pk=pk)
        return Response(hsds.service(service, _lang(request), full=True))


class OrganizationListView(PublicView):
    @extend_schema(
        operation_id="hsds_organizations_list",
        parameters=[*LIST_PARAMS, P("full_service", bool), P("full", bool)],
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request) -> Response:
        full_service = _bool(request, "full_service")
        orgs = selectors.organizations_for_hsds(search=_search(request), full_service=full_service)
        lang = _lang(request)
        full = _bool(request, "full") or full_service
        return paged(
            request, orgs, lambda o: _organization(o, lang, full=full, full_service=full_service)
        )


def _organization(org: Any, lang: str, *, full: bool, full_service: bool) -> dict[str, Any]:
    data = hsds.organization(org, lang, full=full)
    if full_service:
        data["services"] = [hsds.service(s, lang, full=True) for s in org.services.all()]
    return data


class OrganizationDetailView(PublicView):
    @extend_schema(
        operation_id="hsds_organization_get",
        parameters=[P("full_service", bool), P("lang", str, enum=LANGUAGES)],
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        full_service = _bool(request, "full_service")
        org = get_object_or_404(selectors.organizations_for_hsds(full_service=True), pk=pk)
        data = _organization(org, _lang(request), full=True, full_service=True)
        if not full_service:
            data["services"] = [
                {"id": s["id"], "name": s["name"], "status": s["status"]} for s in data["services"]
            ]
        return Response(data)


class TaxonomyListView(PublicView):
    @extend_schema(
        operation_id="hsds_taxonomies_list",
        parameters=LIST_PARAMS,
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request) -> Response:
        _lang(request)  # taxonomies have one name, but a bad lang is still a 400
        taxonomies = Taxonomy.objects.order_by("code")
        search = _search(request)
        if search:
            taxonomies = taxonomies.filter(name__icontains=search)
        return paged(request, taxonomies, hsds.taxonomy)


class TaxonomyDetailView(PublicView):
    @extend_schema(operation_id="hsds_taxonomy_get", responses=OpenApiTypes.OBJECT, tags=["hsds"])
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        return Response(hsds.taxonomy(get_object_or_404(Taxonomy, pk=pk)))


class TaxonomyTermListView(PublicView):
    @extend_schema(
        operation_id="hsds_taxonomy_terms_list",
        parameters=[
            *LIST_PARAMS,
            P("taxonomy_id", OpenApiTypes.UUID),
            P("parent_id", OpenApiTypes.UUID),
            P("top_only", bool),
        ],
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request) -> Response:
        terms = selectors.taxonomy_terms_for_hsds(
            search=_search(request),
            taxonomy_id=_uuid(request, "taxonomy_id"),
            parent_id=_uuid(request, "parent_id"),
            top_only=_bool(request, "top_only"),
        )
        lang = _lang(request)
        return paged(request, terms, lambda t: hsds.taxonomy_term(t, lang))


class TaxonomyTermDetailView(PublicView):
    @extend_schema(
        operation_id="hsds_taxonomy_term_get",
        parameters=[P("lang", str, enum=LANGUAGES)],
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        term = get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy", "parent"), pk=pk)
        return Response(hsds.taxonomy_term(term, _lang(request)))


def _service_at_locations() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(service__is_published=True).select_related(
        "location", "service__organization"
    )


class ServiceAtLocationListView(PublicView):
    @extend_schema(
        operation_id="hsds_service_at_locations_list",
        parameters=[
            *LIST_PARAMS,
            P("organization_id", OpenApiTypes.UUID),
            P("taxonomy_term_id", OpenApiTypes.UUID),
        ],
        responses=OpenApiTypes.OBJECT,
        tags=["hsds"],
    )
    def get(self, request: Request) -> Response:
        rows = _service_at_locations()
        organization_id = _uuid(request, "organization_id")
        if organization_id:
            rows = rows.filter(service__organization_id=organization_id)
        term = _uuid(request, "taxonomy_term_id")
        if term:
            rows = rows.filter(service__attributes__taxonomy_term_id=term)
        search = _search(request)
        if search:
            rows = rows.filter(
                service__in=selectors.services_for_hsds(search=search, language=_lang(request))
            )
        lang = _lang(request)
        return paged(
            request,
            rows.order_by("service__name_fi", "id"),
            lambda r: hsds.service_at_location(r, lang),
        )


class ServiceAtLocationDetailView(PublicView):
    @extend_schema(
        operation_id="hsds_service_at_location_get", responses=OpenApiTypes.OBJECT, tags=["hsds"]
    )
    def get(self, request: Request, pk: uuid.UUID) -> Response:
        row = get_object_or_404(_service_at_locations(), pk=pk)
        return Response(hsds.service_at_location(row, _lang(request)))
