"""The fidelity review's pages: thin; access decided in selectors, writes in services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.fidelity import selectors, services
from tyollisyystalo.fidelity.access import may_review, review_teams
from tyollisyystalo.fidelity.definition import scale_get
from tyollisyystalo.fidelity.forms import ActionForm, ReviewForm
from tyollisyystalo.fidelity.models import FidelityReview
from tyollisyystalo.fidelity.prefill import prefills_compute
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _language() -> str:
    return get_language() or "fi"


@staff_view()
def index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    teams = list(review_teams(staff))
    if not teams:
        raise Http404
    if len(teams) == 1:
        return redirect("fidelity:team", pk=teams[0].pk)
    return render(request, "fidelity/index.html", {"teams": teams})


@staff_view()
def team(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    coaching_team = selectors.team_get(staff=staff, team_id=pk)
    return render(
        request,
        "fidelity/team.html",
        {
            "team": coaching_team,
            "history": selectors.team_history(coaching_team, _language()),
            "may_review": may_review(staff, coaching_team),
            "chart_owner": {"key": "fidelity"},
        },
    )


def _posted_day(request: HttpRequest, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get("reviewed_on", ""))
    except ValueError:
        return default


def _review_form_page(
    request: HttpRequest,
    staff: StaffMember,
    coaching_team: CoachingTeam,
    review: FidelityReview | None,
) -> HttpResponse:
    scale = scale_get()
    default_day = review.reviewed_on if review else timezone.localdate()
    day = _posted_day(request, default_day) if request.method == "POST" else default_day
    prefills = prefills_compute(scale, coaching_team, day)
    reviewers = services.eligible_reviewers(coaching_team)
    initial: dict[str, object] = {"reviewed_on": day, "reviewers": [staff.pk]}
    if review is None:
        for key, prefill in prefills.items():
            initial[services.score_field(key)] = prefill.score
    else:
        initial["reviewers"] = list(review.reviewers.values_list("pk", flat=True))
        for item in review.item_scores.all():
            initial[services.score_field(item.item_key)] = item.score
            initial[services.evidence_field(item.item_key)] = item.evidence
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        scale=scale,
        reviewers=reviewers,
        prefills=prefills,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = services.ReviewData(
                reviewed_on=form.cleaned_data["reviewed_on"],
                reviewers=list(form.cleaned_data["reviewers"]),
                scores={
                    item.key: form.cleaned_data[services.score_field(item.key)]
                    for item in scale.items
                },
                evidence={
                    item.key: form.cleaned_data[services.evidence_field(item.key)]
                    for item in scale.items
                },
            )
            try:
                saved = services.fidelity_review_save(
                    staff=staff, team=coaching_team, data=data, review=review
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("fidelity:review", pk=saved.pk)
    return render(
        request,
        "fidelity/review_form.html",
        {"team": coaching_team, "review": review, "form": form, "scale": scale},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def review_new(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    coaching_team = selectors.team_get(staff=staff, team_id=pk)
    if not may_review(staff, coaching_team):
        raise Http404
    return _review_form_page(request, staff, coaching_team, None)


@require_http_methods(["GET", "POST"])
@staff_view()
def review_edit(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    review = selectors.review_get(staff=staff, review_id=pk)
    if not may_review(staff, review.team):
        raise Http404
    return _review_form_page(request, staff, review.team, review)


def _detail_page(
    request: HttpRequest,
    staff: StaffMember,
    review: FidelityReview,
    form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors.review_detail(review, _language())
    writer = may_review(staff, review.team)
    if writer and form is None:
        form = ActionForm(items=[(row.item.key, row.title) for row in detail.low_rows])
    return render(
        request,
        "fidelity/review.html",
        {
            "team": review.team,
            "detail": detail,
            "may_review": writer,
            "form": form if writer else None,
        },
        status=status,
    )


@staff_view()
def review(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    return _detail_page(request, staff, selectors.review_get(staff=staff, review_id=pk))


@require_POST
@staff_view()
def action_add(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    fidelity_review = selectors.review_get(staff=staff, review_id=pk)
    if not may_review(staff, fidelity_review.team):
        raise Http404
    detail = selectors.review_detail(fidelity_review, _language())
    form = ActionForm(request.POST, items=[(r.item.key, r.title) for r in detail.low_rows])
    if form.is_valid():
        try:
            services.improvement_action_add(
                staff=staff,
                review=fidelity_review,
                data=services.ActionData(**form.cleaned_data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("fidelity:review", pk=fidelity_review.pk)
    return _detail_page(request, staff, fidelity_review, form, status=400)
