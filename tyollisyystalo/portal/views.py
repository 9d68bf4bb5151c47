"""The public virtual employment house: no login, nothing about the visitor is stored."""

from __future__ import annotations

import uuid
from collections import Counter

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from tyollisyystalo.catalogue.models import TaxonomyTerm
from tyollisyystalo.catalogue.search.query import Filters, Results, catalogue_search
from tyollisyystalo.catalogue.search.suggestions import area_suggestions
from tyollisyystalo.catalogue.selectors import (
    areas_of_services,
    areas_with_counts,
    service_for_page,
)
from tyollisyystalo.portal.forms import (
    MUNICIPALITY,
    TARGET_GROUP,
    SelfAssessmentForm,
    ServiceSearchForm,
)
from tyollisyystalo.portal.instrument import ASSESSMENT_PREFIX, area_questions, threshold
from tyollisyystalo.shared.numbers import parse_int

PAGE = 30
MAX_SHOWN = 150
SUGGESTED_AREAS = 3
SUGGESTION_SOURCE = 5


def _language() -> str:
    language = (get_language() or "fi")[:2]
    return language if language in {"fi", "sv", "en"} else "fi"


@require_http_methods(["GET", "HEAD"])
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every site: send them to the icon among the static
    files (the pages also name the SVG icon in their head)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"areas": areas_with_counts(), "form": ServiceSearchForm()},
    )


def search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    results = None
    shown = PAGE
    status = 200
    if form.is_bound:
        if form.is_valid():
            asked = parse_int(request.GET.get("nayta"), low=PAGE)
            shown = min(asked or PAGE, MAX_SHOWN)
            results = catalogue_search(
                q=form.cleaned_data["q"], language=_language(), filters=form.filters(), limit=shown
            )
        else:
            status = 400
    template = "portal/_results.html" if request.headers.get("HX-Request") else "portal/search.html"
    context = {
        "form": form,
        "results": results,
        "shown": shown,
        "more": shown + PAGE,
        "suggested_areas": _suggested_areas(results) if results and results.unsure else [],
    }
    return render(request, template, context, status=status)


def _suggested_areas(results: Results) -> list[TaxonomyTerm]:
    """The areas of life an unsure search most likely concerns: those the need vocabulary read
    in the words, then the commonest among the first results; every area when neither tells."""
    codes = results.need_areas()
    by_service = areas_of_services([hit.service.pk for hit in results.hits[:SUGGESTION_SOURCE]])
    common = Counter(code for areas in by_service.values() for code in areas)
    codes += [code for code, _n in common.most_common() if code not in codes]
    areas = {term.code: term for term in areas_with_counts()}
    chosen = [areas[code] for code in codes if code in areas][:SUGGESTED_AREAS]
    return chosen or list(areas.values())


def area(request: HttpRequest, code: str) -> HttpResponse:
    term = get_object_or_404(TaxonomyTerm, taxonomy__code="tt-area", code=code)
    results = catalogue_search(
        q="", language=_language(), filters=Filters(area=code), limit=MAX_SHOWN
    )
    return render(
        request,
        "portal/area.html",
        {"term": term, "results": results, "shown": MAX_SHOWN, "more": MAX_SHOWN},
    )


def service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    item = service_for_page(service_id)
    if item is None:
        raise Http404
    groups: dict[str, list[TaxonomyTerm]] = {}
    for attribute in item.attributes.all():
        groups.setdefault(attribute.taxonomy_term.taxonomy.code, []).append(attribute.taxonomy_term)
    return render(request, "portal/service.html", {"service": item, "terms": groups})


@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest) -> HttpResponse:
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        limit = threshold()
        names = {t.code: t for t in areas_with_counts()}
        answered = [
            (q, form.cleaned_data[q.code])
            for q in area_questions()
            if form.cleaned_data[q.code] is not None
        ]
        low = sorted((a for a in answered if a[1] < limit), key=lambda a: a[1])
        rest = [a for a in answered if a[1] >= limit]
        suggestions = [
            (
                q,
                score,
                names.get(q.code),
                area_suggestions(
                    area=q.code,
                    language=_language(),
                    municipality=form.cleaned_data[MUNICIPALITY],
                    target_group=form.cleaned_data[TARGET_GROUP],
                ),
            )
            for q, score in low
        ]
        return render(
            request,
            "portal/self_assessment_results.html",
            {
                "suggestions": suggestions,
                "rest": [(q, s, names.get(q.code)) for q, s in rest],
                "threshold": limit,
                "answers": [(ASSESSMENT_PREFIX + q.code, score) for q, score in answered],
            },
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/self_assessment.html", {"form": form}, status=status)


def easy_finnish(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/easy_finnish.html", {"areas": areas_with_counts()})
