"""The coaching part of the API card: the section's plain values, documented."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tyollisyystalo.coaching.models import (
    CoachingKind,
    CoachingStatus,
    EndingReason,
    FormCode,
    Intensity,
)


class CoachingFormSerializer(serializers.Serializer[Any]):
    form = serializers.ChoiceField(choices=FormCode.choices)
    version = serializers.IntegerField()
    answered_on = serializers.DateField()


class PlacementSerializer(serializers.Serializer[Any]):
    employer_name = serializers.CharField()
    job_title = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    competitive = serializers.BooleanField()


class CoachingPeriodSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    organisation = serializers.CharField()
    coach = serializers.CharField()
    kind = serializers.ChoiceField(choices=CoachingKind.choices)
    intensity = serializers.ChoiceField(choices=Intensity.choices)
    status = serializers.ChoiceField(choices=CoachingStatus.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    ending_reason = serializers.ChoiceField(choices=EndingReason.choices, allow_blank=True)
    forms = CoachingFormSerializer(many=True, help_text="The latest version of each answer.")
    placements = PlacementSerializer(many=True)
