"""GET /api/v1/indicators/ (definitions) and GET /api/v1/indicators/{key}/values (figures).

Figures follow the management pages' rules: a manager reads their own organisation and the
municipalities it serves, readers of the region the whole region in aggregate; a foreign
organisation or municipality is 404, a role without management figures 403. The small-number
rule is the page's: a suppressed period has value, numerator, denominator and n null.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.clients.api import staff_of
from tyollisyystalo.indicators.access import view_municipality
from tyollisyystalo.indicators.definitions import (
    TEXT_FIELDS,
    Indicator,
    indicator_get,
    indicators_all,
)
from tyollisyystalo.indicators.periods import (
    PeriodError,
    PeriodKind,
    parse_period,
    period_of,
    periods_between,
)
from tyollisyystalo.indicators.selectors import indicator_values
from tyollisyystalo.management.access import management_scope, organisation_for
from tyollisyystalo.management.reporting import reporting_db

DEFAULT_PERIODS = 4


def definition_json(indicator: Indicator) -> dict[str, Any]:
    return {
        "key": indicator.key,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "decimals": indicator.decimals,
        **{
            field: {lang: getattr(indicator, field).get(lang) for lang in ("fi", "sv", "en")}
            for field in TEXT_FIELDS
        },
    }


_texts = inline_serializer(
    "IndicatorTexts",
    {lang: serializers.CharField() for lang in ("fi", "sv", "en")},
)


class IndicatorListView(APIView):
    @extend_schema(
        operation_id="indicators_list",
        summary="Indicator definitions",
        description="Every indicator with its written definition in fi, sv and en.",
        responses={
            200: inline_serializer(
                "IndicatorDefinition",
                {
                    "key": serializers.CharField(),
                    "kind": serializers.ChoiceField(choices=["computed", "survey", "public"]),
                    "unit": serializers.ChoiceField(
                        choices=["percent", "score", "days", "points", "count"]
                    ),
                    "direction": serializers.ChoiceField(choices=["higher", "lower"]),
                    "decimals": serializers.IntegerField(),
                    **dict.fromkeys(TEXT_FIELDS, _texts),
                },
                many=True,
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response([definition_json(i) for i in indicators_all().values()])


class DayOrPeriodField(serializers.Field[Any, Any, Any, Any]):
    """A day (``2026-07-01``) or a period's code (``2026-Q3``, ``2026-H2``, ``2026-07``,
    ``2026``): a ``(first day, last day, kind or None)``."""

    default_error_messages = {
        "invalid": gettext_lazy("Anna päivä muodossa VVVV-KK-PP tai kausi, esimerkiksi 2026-Q3.")
    }

    def to_internal_value(self, data: Any) -> tuple[dt.date, dt.date, PeriodKind | None]:
        text = str(data).strip()
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if len(text) == 10:
                return day, day, None
        try:
            period = parse_period(text)
        except PeriodError:
            self.fail("invalid")
        return period.start, period.end, period.kind

    def to_representation(self, value: Any) -> Any:
        return value


class ValuesQuery(serializers.Serializer[None]):
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=64)
    municipality = serializers.CharField(required=False, allow_blank=True, max_length=3)
    region = serializers.BooleanField(required=False, default=False)
    period = serializers.ChoiceField(
        choices=[k.value for k in PeriodKind],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Kausi on month, quarter, half tai year.")},
    )
    # "from" is a Python keyword: the field is renamed below.
    from_ = DayOrPeriodField(required=False)
    to = DayOrPeriodField(required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class IndicatorValuesView(APIView):
    @extend_schema(
        operation_id="indicator_values",
        summary="An indicator's figures per period",
        description=(
            "Figures of one indicator per period (oldest first) for the caller's organisation "
            "(or `organisation`, which must be the caller's own), one municipality it serves "
            "(`municipality`), or with `region=true` the whole region in aggregate. Periods of "
            "kind `period` (default: the kind of a period code given, else quarter) from the one "
            "holding `from` to the one holding `to` (a day or a period code such as 2026-Q3) "
            "(default: the last four up to today; at most 120). A suppressed figure (the small-"
            "number rule: a count of 1–4 people, a mean or median of fewer than five, or a "
            "figure that would reveal one) has value, numerator, denominator and n null. 400 for "
            "bad parameters, 403 without management figures, 404 for an unknown key or a "
            "foreign organisation or municipality."
        ),
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.STR, description="Organisation code."),
            OpenApiParameter("municipality", OpenApiTypes.STR, description="Municipality code."),
            OpenApiParameter("region", OpenApiTypes.BOOL, description="The whole region."),
            OpenApiParameter(
                "period", OpenApiTypes.STR, enum=[k.value for k in PeriodKind], description="Kind."
            ),
            OpenApiParameter(
                "from",
                OpenApiTypes.STR,
                description="First day (YYYY-MM-DD) or period (2026-Q3, 2026-H2, 2026-07, 2026).",
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.STR,
                description="Last day (YYYY-MM-DD) or last period (its last day counts).",
            ),
        ],
        responses={
            200: inline_serializer(
                "IndicatorValue",
                {
                    "key": serializers.CharField(),
                    "period": serializers.CharField(),
                    "start": serializers.DateField(),
                    "end": serializers.DateField(),
                    "value": serializers.FloatField(allow_null=True),
                    "numerator": serializers.IntegerField(allow_null=True),
                    "denominator": serializers.IntegerField(allow_null=True),
                    "n": serializers.IntegerField(allow_null=True),
                    "goal": serializers.FloatField(allow_null=True),
                    "suppressed": serializers.BooleanField(),
                },
                many=True,
            ),
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request, key: str) -> Response:
        scope = management_scope(staff_of(request))
        if scope is None:
            raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
        indicator = indicator_get(key)
        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        regional = params["region"] or scope.organisation is None
        if regional and not scope.regional:
            raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
        requested = organisation_for(scope, params.get("organisation"))  # 404: foreign
        if regional and params.get("organisation"):
            raise ValidationError(
                {"organisation": [_("Alueen luvuille ei anneta organisaatiota.")]}
            )
        organisation = None if regional else requested
        municipality = view_municipality(
            scope, params.get("municipality") or None, regional=regional
        )
        today = timezone.localdate()
        asked_from, asked_to = params.get("from"), params.get("to")
        # The kind: as asked, else that of a period code given, else quarters.
        codes = [b[2] for b in (asked_from, asked_to) if b is not None and b[2] is not None]
        kind = PeriodKind(params.get("period") or (codes[0] if codes else PeriodKind.QUARTER))
        last: dt.date = asked_to[1] if asked_to else today
        first: dt.date = (
            asked_from[0]
            if asked_from
            else period_of(kind, last).previous(DEFAULT_PERIODS - 1).start
        )
        try:
            periods = periods_between(kind, first, last)
        except PeriodError as exc:
            message = (
                _("Alun pitää olla ennen loppua.")
                if str(exc) == "order"
                else _("Liian monta kautta: enintään 120.")
            )
            raise ValidationError({"from": [message]}) from exc
        values = indicator_values(
            indicator.key,
            organisation_id=None if organisation is None else organisation.pk,
            municipality_code=None if municipality is None else municipality.code,
            periods=periods,
            using=reporting_db(),
            today=today,
            reader_organisation_id=(
                scope.organisation.pk if regional and scope.organisation is not None else None
            ),
        )
        return Response([value.as_json() for value in values])
