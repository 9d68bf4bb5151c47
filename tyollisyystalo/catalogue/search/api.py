"""GET /api/v1/catalogue/search: the ranked, Finnish-aware catalogue search (public)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.catalogue.search.query import Filters, catalogue_search

MAX_LIMIT = 100


class _OptionalBoolean(serializers.BooleanField):
    # DRF reads a boolean left out of a query string as an unticked checkbox (False).
    default_empty_html = empty


class SearchParams(serializers.Serializer[None]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    lang = serializers.ChoiceField(choices=["fi", "sv", "en"], default="fi")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    area = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    target_group = serializers.CharField(
        required=False, allow_blank=True, max_length=40, default=""
    )
    municipality = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )
    service_type = serializers.CharField(
        required=False, allow_blank=True, max_length=40, default=""
    )
    access = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    language = serializers.CharField(required=False, allow_blank=True, max_length=8, default="")
    channel = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    # Left out: free and paid services alike; given, it must be a boolean (not empty).
    free = _OptionalBoolean(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # DRF reads an empty value as "left out"; for a typed parameter it is an error.
        blank = [name for name in ("lang", "limit", "free") if self.initial_data.get(name) == ""]
        if blank:
            raise ValidationError(
                {name: [_("Anna arvo tai jätä parametri pois.")] for name in blank}
            )
        return attrs


class CatalogueSearchView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="catalogue_search",
        parameters=[SearchParams],
        responses=OpenApiTypes.OBJECT,
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        params = SearchParams(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        data = params.validated_data
        filters = Filters(
            area=data["area"],
            target_group=data["target_group"],
            municipality=data["municipality"],
            service_type=data["service_type"],
            access=data["access"],
            language=data["language"],
            channel=data["channel"],
            free=data.get("free"),
        )
        if not data["q"].strip() and filters == Filters():
            raise ValidationError({"q": [_("Kirjoita hakusana tai valitse rajaus.")]})
        lang = data["lang"]
        results = catalogue_search(q=data["q"], language=lang, filters=filters, limit=data["limit"])
        return Response(
            {
                "count": results.count,
                "matched_all_words": results.strict_count,
                "relaxed": results.relaxed,
                # The language the words were searched in (a Swedish query in the Finnish
                # interface is searched in Swedish), whether no result is strong, and the areas
                # of life the need vocabulary read in the words.
                "query_language": results.language,
                "unsure": results.unsure,
                "need_areas": results.need_areas(),
                "results": [
                    {
                        "id": str(hit.service.id),
                        "source_id": hit.service.source_id,
                        "name": getattr(hit.service, f"name_{lang}") or hit.service.name_fi,
                        "organization": getattr(hit.service.organization, f"name_{lang}")
                        or hit.service.organization.name_fi,
                        "score": hit.score,
                        "words_matched": hit.words_matched,
                        "is_free": hit.service.is_free,
                    }
                    for hit in results.hits
                ],
            }
        )
