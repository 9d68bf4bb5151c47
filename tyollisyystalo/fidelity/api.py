"""POST /api/v1/coaching/fidelity/score: the IPS fidelity total and band of given item scores.

A calculator: nothing is stored and no client is read, so nothing is logged. It authenticates
like every other endpoint of the API (a verified staff member's token or session), as the
rules calculator does: the API has no anonymous endpoints besides its schema and token.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.fidelity.definition import scale_get
from tyollisyystalo.fidelity.scoring import ScoreError, score


def _message(code: str) -> str:
    if code == "unknown_item":
        return _("Tuntematon kohta.")
    if code == "not_integer":
        return _("Pisteiden pitää olla kokonaisluku 1–5.")
    return _("Pisteiden pitää olla 1–5.")


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            key: {"type": "integer", "minimum": 1, "maximum": 5} for key in scale_get().keys
        },
        "additionalProperties": False,
        "description": "Item key → score 1–5, keys of the IPS-25 scale in its order. Items "
        "left out are missing: the review is incomplete and has no band.",
    }
)
class ItemScoresField(serializers.DictField):
    """Any JSON values here; the scoring function says which are wrong, by key."""


class ScoreRequest(serializers.Serializer[None]):
    items = ItemScoresField(child=serializers.JSONField(), allow_empty=True)


class FidelityScoreView(APIView):
    """Stateless: scores the given items on the current IPS-25 scale."""

    @extend_schema(
        operation_id="fidelity_score",
        summary="Total and band of an IPS fidelity review (IPS-25)",
        description=(
            "Band: 115–125 exemplary, 100–114 good, 74–99 fair, 73 or below "
            "not_supported_employment. An incomplete review (an item not scored) has band "
            "null and lists the missing item keys in the scale's order. 400 for a score "
            "outside 1–5, a score that is not an integer, an unknown item key or a body "
            "without an `items` object."
        ),
        request=ScoreRequest,
        responses={
            200: inline_serializer(
                "FidelityScore",
                {
                    "total": serializers.IntegerField(),
                    "band": serializers.ChoiceField(
                        choices=["exemplary", "good", "fair", "not_supported_employment"],
                        allow_null=True,
                    ),
                    "complete": serializers.BooleanField(),
                    "missing": serializers.ListField(child=serializers.CharField()),
                },
            ),
            400: OpenApiTypes.OBJECT,
        },
        examples=[
            OpenApiExample(
                "Incomplete",
                request_only=True,
                value={"items": {"caseload_size": 5, "employment_services_staff": 4}},
            )
        ],
    )
    def post(self, request: Request) -> Response:
        params = ScoreRequest(data=request.data)
        params.is_valid(raise_exception=True)
        items: dict[str, Any] = params.validated_data["items"]
        try:
            result = score(scale_get(), items)
        except ScoreError as exc:
            raise ValidationError(
                {"items": {key: [_message(code)] for key, code in exc.errors.items()}}
            ) from exc
        return Response(
            {
                "total": result.total,
                "band": result.band,
                "complete": result.complete,
                "missing": list(result.missing),
            }
        )
