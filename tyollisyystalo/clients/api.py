"""Client API: the same selectors (gatekeeper + log) and services as the pages."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.clients import selectors, services
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import (
    ClientEntry,
    ClientIdentity,
    Language,
    StartBasis,
    TeamMembership,
)
from tyollisyystalo.clients.services import START_REASON_MAX_LENGTH
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.api import TextField
from tyollisyystalo.staff.models import StaffMember


def staff_of(request: Request) -> StaffMember:
    staff: StaffMember = request.staff  # type: ignore[attr-defined]
    return staff


def require(request: Request, capability: Capability) -> StaffMember:
    from rest_framework.exceptions import PermissionDenied

    staff = staff_of(request)
    if not staff.can(capability):
        raise PermissionDenied
    return staff


class IdentitySerializer(serializers.ModelSerializer[ClientIdentity]):
    id = serializers.UUIDField(source="client_id")
    municipality = serializers.CharField(source="municipality.name", default=None, allow_null=True)

    class Meta:
        model = ClientIdentity
        fields = [
            "id",
            "first_names",
            "last_name",
            "birth_date",
            "municipality",
            "language",
            "needs_interpreter",
            "interpreter_language",
        ]


class IdentityDetailSerializer(IdentitySerializer):
    class Meta(IdentitySerializer.Meta):
        fields = [*IdentitySerializer.Meta.fields, "sex", "phone", "email", "address"]


class EntrySerializer(serializers.ModelSerializer[ClientEntry]):
    owner_organisation = serializers.CharField(source="owner_organisation.name")
    author = serializers.CharField(source="author.display_name")

    class Meta:
        model = ClientEntry
        fields = ["id", "category", "owner_organisation", "entry_date", "title", "body", "author"]


class TeamSerializer(serializers.ModelSerializer[TeamMembership]):
    name = serializers.CharField(source="staff_member.display_name")
    organisation = serializers.CharField(source="staff_member.organisation.name")
    role = serializers.CharField(source="staff_member.role")

    class Meta:
        model = TeamMembership
        fields = ["id", "name", "organisation", "role", "is_coordinator", "started_at"]


class SearchRequestSerializer(serializers.Serializer[None]):
    name = TextField(required=False, allow_blank=True, max_length=100)
    hetu = TextField(required=False, allow_blank=True, max_length=20)

    def validate(self, attrs: dict[str, str]) -> dict[str, str]:
        from django.utils.translation import gettext as _

        if not attrs.get("name", "").strip() and not attrs.get("hetu", "").strip():
            raise serializers.ValidationError(_("Anna nimi tai henkilötunnus."))
        return attrs


class SearchResponseSerializer(serializers.Serializer[None]):
    results = IdentitySerializer(many=True)
    truncated = serializers.BooleanField()
    hetu_exists_elsewhere = serializers.BooleanField()


class ClientSearchView(APIView):
    """Search is a POST so that a henkilötunnus never appears in a URL."""

    @extend_schema(request=SearchRequestSerializer, responses=SearchResponseSerializer)
    def post(self, request: Request) -> Response:
        staff = require(request, Capability.CLIENT_SEARCH)
        serializer = SearchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = selectors.client_search(staff=staff, **serializer.validated_data)
        return Response(
            {
                "results": IdentitySerializer(result.identities, many=True).data,
                "truncated": result.truncated,
                "hetu_exists_elsewhere": result.hetu_exists_elsewhere,
            }
        )


class RegisterSerializer(serializers.Serializer[None]):
    first_names = TextField(max_length=150)
    last_name = TextField(max_length=150)
    hetu = TextField(required=False, allow_blank=True, max_length=20, default="")
    phone = TextField(required=False, allow_blank=True, max_length=40, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = TextField(required=False, allow_blank=True, max_length=300, default="")
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.FI)
    other_language = TextField(required=False, allow_blank=True, max_length=60, default="")
    needs_interpreter = serializers.BooleanField(default=False)
    interpreter_language = TextField(required=False, allow_blank=True, max_length=60, default="")


class EntryCreateSerializer(serializers.Serializer[None]):
    category = serializers.ChoiceField(choices=DataCategory.choices)
    entry_date = serializers.DateField()
    title = TextField(max_length=200)
    body = TextField(max_length=10000)


class ClientEntriesView(APIView):
    @extend_schema(request=EntryCreateSerializer, responses={201: EntrySerializer})
    def post(self, request: Request, client_id: uuid.UUID) -> Response:
        staff = require(request, Capability.CLIENT_RECORD_WRITE)
        serializer = EntryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.client_entry_create(
            actor=staff, client_id=client_id, **serializer.validated_data
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class RelationshipStartSerializer(serializers.Serializer[None]):
    hetu = serializers.CharField(max_length=20)
    basis = serializers.ChoiceField(
        choices=StartBasis.choices,
        help_text="Why the relationship is started with another organisation's client.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=START_REASON_MAX_LENGTH, default=""
    )


class RelationshipStartResponseSerializer(serializers.Serializer[None]):
    id = serializers.UUIDField()


class ClientRelationshipStartView(APIView):
    """Start a relationship with a person already in the registry (a POST: the henkilötunnus
    never appears in a URL). With another organisation's client the basis is recorded."""

    @extend_schema(
        request=RelationshipStartSerializer, responses={201: RelationshipStartResponseSerializer}
    )
    def post(self, request: Request) -> Response:
        staff = require(request, Capability.CLIENT_REGISTER)
        serializer = RelationshipStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = services.client_relationship_start(actor=staff, **serializer.validated_data)
        return Response({"id": client.id}, status=status.HTTP_201_CREATED)
