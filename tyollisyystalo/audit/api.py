from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.audit import selectors
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.api import staff_of


class AccessLogEntrySerializer(serializers.ModelSerializer[AccessLogEntry]):
    categories = serializers.ListField(source="category_list", child=serializers.CharField())

    class Meta:
        model = AccessLogEntry
        fields = [
            "chain",
            "seq",
            "at",
            "actor_name",
            "actor_organisation_name",
            "actor_role",
            "client_id",
            "categories",
            "action",
            "outcome",
            "basis",
            "consent_id",
            "purpose",
            "request_id",
        ]


class ClientAccessLogView(APIView):
    @extend_schema(responses=AccessLogEntrySerializer(many=True))
    def get(self, request: Request, client_id: uuid.UUID) -> Response:
        entries = selectors.access_log_for_client(
            staff=staff_of(request), client_id=client_id, f=selectors.LogFilter()
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(AccessLogEntrySerializer(page, many=True).data)
