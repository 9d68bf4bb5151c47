"""Reads of survey answers: for the indicators (a stable interface) and the results pages.

Answers carry the month they were given (never the day), so a date range counts the answers
of every month that begins inside it, plus the month ``start`` falls in: for periods that are
whole months (quarters, half-years, years) this is exactly the answers of the period.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language

from tyollisyystalo.surveys.definitions import Survey, survey_version
from tyollisyystalo.surveys.models import AnswerValue, Invitation


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def scale_answers(
    *,
    survey: str,
    item: str,
    organisation_ids: Collection[int] | None,
    municipality_code: str | None,
    start: dt.date,
    end: dt.date,
    using: str,
) -> list[int]:
    """The values of ``item`` of ``survey`` answered in [start, end] (by month), all versions.

    ``organisation_ids`` None counts every organisation (the region); ``municipality_code``
    None every municipality. The indicators: ``client_satisfaction`` is the mean of
    ``client_satisfaction.overall`` (4–10), ``cooperation`` the mean of ``cooperation.overall``
    (1–5); each survey names its indicator item in its definition (``indicator_item``).
    """
    values = AnswerValue.objects.using(using).filter(
        survey=survey, item=item, month__gte=month_of(start), month__lte=end
    )
    if organisation_ids is not None:
        values = values.filter(organisation_id__in=list(organisation_ids))
    if municipality_code is not None:
        values = values.filter(municipality__code=municipality_code)
    return list(values.order_by("value").values_list("value", flat=True))


def scale_answer_counts(
    *,
    survey: str,
    item: str,
    organisation_ids: Collection[int] | None,
    start: dt.date,
    end: dt.date,
    using: str,
) -> list[tuple[str | None, dt.date, int, int]]:
    """How many answered each value of ``item`` per municipality (its code) and month in
    [start, end] (by month, as ``scale_answers``), in one grouped query: what the indicators
    count every scope and period of a span from."""
    values = AnswerValue.objects.using(using).filter(
        survey=survey, item=item, month__gte=month_of(start), month__lte=end
    )
    if organisation_ids is not None:
        values = values.filter(organisation_id__in=list(organisation_ids))
    grouped = values.values_list("municipality__code", "month", "value").annotate(n=Count("pk"))
    return [(m, month, value, n) for m, month, value, n in grouped.order_by()]


@dataclass(frozen=True)
class OpenSurvey:
    """A survey waiting for the client's answer on their own pages."""

    invitation: Invitation
    survey: Survey

    @property
    def name(self) -> str:
        return self.survey.name.get(get_language() or "fi")


def open_surveys_of_client(
    *, client_id: uuid.UUID, at: dt.datetime | None = None
) -> list[OpenSurvey]:
    """The client's own unanswered, unexpired invitations (not the employer's about them)."""
    at = at or timezone.now()
    invitations = Invitation.objects.filter(
        client_id=client_id,
        used=False,
        expires_at__gt=at,
        placement_id__isnull=True,
        staff__isnull=True,
    ).order_by("expires_at", "pk")
    return [OpenSurvey(i, survey_version(i.survey, i.version)) for i in invitations]


def survey_invitations_of_client(*, client_id: uuid.UUID) -> list[dict[str, str | bool]]:
    """The client's invitations for their own data export: which survey, when asked, until
    when, whether answered (the answer itself is anonymous and not linked)."""
    return [
        {
            "survey": i.survey,
            "moment": i.moment,
            "organisation": str(i.owner_organisation),
            "invited_on": timezone.localdate(i.created_at).isoformat(),
            "valid_until": timezone.localdate(i.expires_at).isoformat(),
            "answered": i.used,
        }
        for i in Invitation.objects.filter(client_id=client_id)
        .select_related("owner_organisation")
        .order_by("created_at", "pk")
    ]
