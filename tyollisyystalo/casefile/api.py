"""The client card over the API: the same composition as the page."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.casefile.selectors import ClientCard, client_card_get
from tyollisyystalo.clients import services
from tyollisyystalo.clients.api import (
    EntrySerializer,
    IdentityDetailSerializer,
    RegisterSerializer,
    TeamSerializer,
    require,
    staff_of,
)
from tyollisyystalo.coaching.api import CoachingPeriodSerializer


class CardSerializer(serializers.Serializer[ClientCard]):
    id = serializers.UUIDField(source="client_id")
    identity = IdentityDetailSerializer(allow_null=True)
    entries = EntrySerializer(many=True)
    more_exists = serializers.BooleanField(
        help_text="True when the client has data the caller may not see (nothing more is told)."
    )
    team = TeamSerializer(many=True)
    consent_ids = serializers.ListField(child=serializers.IntegerField())
    coaching = CoachingPeriodSerializer(
        many=True, help_text="Job coaching periods the caller may read (ADR 0023)."
    )


class ClientCollectionView(APIView):
    """Registering a client answers with the new client's card."""

    @extend_schema(request=RegisterSerializer, responses={201: CardSerializer})
    def post(self, request: Request) -> Response:
        staff = require(request, Capability.CLIENT_REGISTER)
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = services.client_register(
            actor=staff, data=services.IdentityInput(**serializer.validated_data)
        )
        card = client_card_get(staff=staff, client_id=client.id, purpose="api register")
        return Response(CardSerializer(card).data, status=status.HTTP_201_CREATED)


class ClientCardView(APIView):
    @extend_schema(responses=CardSerializer)
    def get(self, request: Request, client_id: uuid.UUID) -> Response:
        card = client_card_get(
            staff=staff_of(request), client_id=client_id, purpose="api client card"
        )
        return Response(CardSerializer(card).data)
