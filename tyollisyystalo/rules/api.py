"""POST /api/v1/rules/{rule_id}/evaluate: evaluate a statutory rule on given facts and date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.rules import RULES, DateOutOfRange, FactError, evaluate
from tyollisyystalo.rules.presentation import (
    evaluation_payload,
    fact_errors,
    not_modelled_message,
)
from tyollisyystalo.shared.text import no_nul


class EvaluateRequest(serializers.Serializer[None]):
    on = serializers.DateField(input_formats=["iso-8601"])
    facts = serializers.DictField(
        child=serializers.JSONField(), allow_empty=True, validators=[no_nul]
    )


class RuleEvaluateView(APIView):
    """Stateless: nothing is stored and no client is read, so nothing is logged as read."""

    @extend_schema(
        operation_id="rule_evaluate",
        request=EvaluateRequest,
        responses={
            200: inline_serializer(
                "Evaluation",
                {
                    "rule": serializers.CharField(),
                    "on": serializers.DateField(),
                    "decision": serializers.ChoiceField(choices=["yes", "no", "unknown"]),
                    "missing_facts": serializers.ListField(child=serializers.CharField()),
                    "reasons": serializers.ListField(child=serializers.DictField()),
                    "sources": serializers.ListField(child=serializers.DictField()),
                    "values": serializers.DictField(),
                },
            ),
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request: Request, rule_id: str) -> Response:
        if rule_id not in RULES:
            raise NotFound(_("Tuntematon sääntö."))
        params = EvaluateRequest(data=request.data)
        params.is_valid(raise_exception=True)
        on: dt.date = params.validated_data["on"]
        facts: dict[str, Any] = params.validated_data["facts"]
        try:
            evaluation = evaluate(rule_id, facts, on)
        except FactError as exc:
            raise ValidationError({"facts": fact_errors(exc.errors)}) from exc
        except DateOutOfRange as exc:
            raise ValidationError({"on": [not_modelled_message(exc)]}) from exc
        return Response(evaluation_payload(evaluation))
