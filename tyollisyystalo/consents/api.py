from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
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
from tyollisyystalo.shared.api import TextField
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.staff.models import StaffMember


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
    purpose = TextField(max_length=300)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices, default=LegalBasis.CONSENT)
    statute = TextField(max_length=200, required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    form_reference = TextField(max_length=100, required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version the change is based on, if not given as If-Match.",
    )

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


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Kerro, mihin versioon muutos perustuu: otsake If-Match (GET-vastauksen ETag) "
        "tai kenttä version."
    )
    default_code = "precondition_required"


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='ETag of the version the change is based on, e.g. "3" (or `version` in the body).',
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    description='The current version number, e.g. "3": send it back as If-Match.',
    response=[200, 201, 409],
)
PRECONDITION_RESPONSES = {
    409: OpenApiResponse(
        inline_serializer(
            "ConsentConflict",
            {"detail": serializers.CharField(), "current": ConsentSerializer()},
        ),
        description="Someone changed the consent since that version: `current` is what it is now.",
    ),
    428: OpenApiResponse(description="The change names no version (If-Match or `version`)."),
}


def _current_number(consent: Consent) -> int:
    return next(v.number for v in consent.versions.all() if v.is_current)


def _answer(consent: Consent, code: int = status.HTTP_200_OK, **extra: object) -> Response:
    data = {**extra, "current": ConsentSerializer(consent).data} if extra else None
    response = Response(data or ConsentSerializer(consent).data, status=code)
    response["ETag"] = f'"{_current_number(consent)}"'
    return response


def _base_number(request: Request, version: int | None) -> int:
    """The version a change is based on: If-Match (a weak tag will do), else ``version``."""
    raw = request.headers.get("If-Match", "").strip()
    if raw:
        number = parse_int(raw.removeprefix("W/").strip('"'), low=1)
        if number is None:
            raise serializers.ValidationError(
                {"If-Match": [_('Anna versio ETag-muodossa, esimerkiksi "3".')]}
            )
        return number
    if version is None:
        raise PreconditionRequired
    return version


def _conflict(staff: StaffMember, consent_id: int) -> Response:
    consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
    return _answer(
        consent,
        status.HTTP_409_CONFLICT,
        detail=_("Suostumusta on muutettu sillä välin; tässä sen nykyinen versio."),
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
    @extend_schema(responses=ConsentSerializer, parameters=[ETAG])
    def get(self, request: Request, consent_id: int) -> Response:
        consent = selectors.consent_get_for_user(staff=staff_of(request), consent_id=consent_id)
        return _answer(consent)

    @extend_schema(
        request=ConsentInputSerializer,
        responses={200: ConsentSerializer, **PRECONDITION_RESPONSES},
        parameters=[IF_MATCH, ETAG],
    )
    def put(self, request: Request, consent_id: int) -> Response:
        """Revise: a new version is written; earlier versions stay readable. The change names
        the version it is based on (If-Match or `version`); a stale one gets 409."""
        staff = require(request, Capability.CONSENT_RECORD)
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        base = _base_number(request, serializer.validated_data.get("version"))
        try:
            services.consent_revise(
                actor=staff, consent_id=consent_id, data=serializer.to_input(), base_number=base
            )
        except services.ConsentConflict:
            return _conflict(staff, consent_id)
        consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
        return _answer(consent)


class WithdrawSerializer(serializers.Serializer[None]):
    method = serializers.ChoiceField(choices=WithdrawalMethod.choices)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version the withdrawal is based on, if not given as If-Match.",
    )


class ConsentWithdrawView(APIView):
    @extend_schema(
        request=WithdrawSerializer,
        responses={200: ConsentSerializer, **PRECONDITION_RESPONSES},
        parameters=[IF_MATCH, ETAG],
    )
    def post(self, request: Request, consent_id: int) -> Response:
        staff = require(request, Capability.CONSENT_WITHDRAW)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        base = _base_number(request, serializer.validated_data.get("version"))
        try:
            services.consent_withdraw(
                actor=staff,
                consent_id=consent_id,
                method=serializer.validated_data["method"],
                base_number=base,
            )
        except services.ConsentConflict:
            return _conflict(staff, consent_id)
        consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
        return _answer(consent)
