from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.clients.api import require, staff_of
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.consents import selectors, services
from tyollisyystalo.consents.models import (
    Consent,
    ConsentMethod,
    ConsentVersion,
    LegalBasis,
    WithdrawalMethod,
)


class VersionSerializer(serializers.ModelSerializer[ConsentVersion]):
    # drf-stubs cannot infer the model of many=True related fields.
    disclosing_organisations = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, read_only=True
    )
    receiving_organisations = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, read_only=True
    )
    categories = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="category", many=True, read_only=True
    )

    class Meta:
        model = ConsentVersion
        fields = [
            "number",
            "is_current",
            "disclosing_organisations",
            "receiving_organisations",
            "categories",
            "purpose",
            "legal_basis",
            "statute",
            "method",
            "form_reference",
            "valid_from",
            "valid_until",
            "recorded_at",
        ]


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    versions = VersionSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "created_at",
            "withdrawn_at",
            "withdrawal_method",
            "status",
            "versions",
        ]

    def get_status(self, consent: Consent) -> str:
        from django.utils import timezone

        current = next(v for v in consent.versions.all() if v.is_current)
        return current.status_at(timezone.now()).value


class ConsentInputSerializer(serializers.Serializer[None]):
    disclosing_organisations = serializers.ListField(
        child=serializers.SlugField(max_length=64), max_length=50
    )
    receiving_organisations = serializers.ListField(
        child=serializers.SlugField(max_length=64), max_length=50
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), max_length=20
    )
    purpose = serializers.CharField(max_length=300)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices, default=LegalBasis.CONSENT)
    statute = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    form_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)

    def to_input(self) -> services.ConsentInput:
        from django.utils.translation import gettext as _

        from tyollisyystalo.organisations.models import Organisation

        data = self.validated_data
        codes = set(data["disclosing_organisations"]) | set(data["receiving_organisations"])
        ids = dict(Organisation.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = sorted(codes - ids.keys())
        if unknown:
            raise serializers.ValidationError(
                {"receiving_organisations": [_("Tuntematon organisaatio: %s") % ", ".join(unknown)]}
            )
        return services.ConsentInput(
            disclosing_organisation_ids=frozenset(ids[c] for c in data["disclosing_organisations"]),
            receiving_organisation_ids=frozenset(ids[c] for c in data["receiving_organisations"]),
            categories=frozenset(data["categories"]),
            purpose=data["purpose"],
            legal_basis=data["legal_basis"],
            statute=data["statute"],
            method=data["method"],
            form_reference=data["form_reference"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )


class ClientConsentsView(APIView):
    @extend_schema(request=ConsentInputSerializer, responses={201: ConsentSerializer})
    def post(self, request: Request, client_id: uuid.UUID) -> Response:
        staff = require(request, Capability.CONSENT_RECORD)
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_record(
            actor=staff, client_id=client_id, data=serializer.to_input()
        )
        consent = selectors.consent_get_for_user(staff=staff, consent_id=consent.pk)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentDetailView(APIView):
    @extend_schema(responses=ConsentSerializer)
    def get(self, request: Request, consent_id: int) -> Response:
        consent = selectors.consent_get_for_user(staff=staff_of(request), consent_id=consent_id)
        return Response(ConsentSerializer(consent).data)

    @extend_schema(request=ConsentInputSerializer, responses=ConsentSerializer)
    def put(self, request: Request, consent_id: int) -> Response:
        """Revise: a new version is written; earlier versions stay readable."""
        staff = require(request, Capability.CONSENT_RECORD)
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.consent_revise(actor=staff, consent_id=consent_id, data=serializer.to_input())
        consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
        return Response(ConsentSerializer(consent).data)


class WithdrawSerializer(serializers.Serializer[None]):
    method = serializers.ChoiceField(choices=WithdrawalMethod.choices)


class ConsentWithdrawView(APIView):
    @extend_schema(request=WithdrawSerializer, responses=ConsentSerializer)
    def post(self, request: Request, consent_id: int) -> Response:
        staff = require(request, Capability.CONSENT_WITHDRAW)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.consent_withdraw(
            actor=staff, consent_id=consent_id, method=serializer.validated_data["method"]
        )
        consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
        return Response(ConsentSerializer(consent).data)
