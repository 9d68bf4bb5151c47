"""Survey pages: answering by link (no login) or on the client's own pages, the staff's
SMS-ready link, and the managers' results (``/johtaminen/kyselyt/``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.management.access import (
    ManagementScope,
    management_scope,
    municipality_for,
    organisation_for,
)
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.shared.tokens import LinkUnavailable
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.surveys import services
from tyollisyystalo.surveys.definitions import Survey, survey_version, surveys_current
from tyollisyystalo.surveys.forms import SurveyForm
from tyollisyystalo.surveys.links import invitation_sms_make
from tyollisyystalo.surveys.models import Invitation
from tyollisyystalo.surveys.results import period_parse, periods_recent, quarter_of, survey_results


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: keep it out of caches and of other sites' referrer logs.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _language() -> str:
    return (get_language() or "fi")[:2]


def _unavailable(request: HttpRequest, state: str) -> HttpResponse:
    return _private(
        render(
            request,
            "surveys/unavailable.html",
            {"state": state},
            status=services.UNAVAILABLE_STATUS[state],
        )
    )


def _answer_page(
    request: HttpRequest, invitation: Invitation, store: services.AnswerStore, back: str = ""
) -> HttpResponse:
    """The form of a survey; on POST the answer is stored once, or the form is shown with
    what was wrong (400) and nothing stored."""
    survey = survey_version(invitation.survey, invitation.version)
    language = _language()
    easy = survey.for_clients and language == "fi" and request.GET.get("selko") == "1"
    form = SurveyForm(request.POST or None, survey=survey, language=language, easy=easy)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                store(form.cleaned_data)
            except LinkUnavailable as exc:
                return _unavailable(request, exc.state)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _private(render(request, "surveys/thanks.html", {"back": back}))
    context = {
        "form": form,
        "survey": survey,
        "title": survey.name.get(language, easy=easy),
        "description": survey.description.get(language, easy=easy),
        "invitation": invitation,
        "offer_easy": survey.for_clients and language == "fi",
        "easy": easy,
        "back": back,
    }
    return _private(render(request, "surveys/answer.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A survey by a single-use link: no login; used, expired or changed links say so."""
    try:
        invitation = services.invitation_for_token(token)
    except LinkUnavailable as exc:
        return _unavailable(request, exc.state)

    def store(answers: dict[str, object]) -> None:
        services.survey_answer_by_link(token=token, answers=answers)

    return _answer_page(request, invitation, store)


@never_cache
@require_http_methods(["GET", "POST"])
@client_view
def own_answer(request: HttpRequest, account: ClientAccount, invitation_id: int) -> HttpResponse:
    """A survey on the client's own pages: only their own open invitation (404 otherwise)."""
    invitation = services.open_invitation_of_client(
        client_id=account.client_id, invitation_id=invitation_id
    )
    if invitation is None or invitation.placement_id is not None:
        raise Http404

    def store(answers: dict[str, object]) -> None:
        services.survey_answer_by_client(
            client_id=account.client_id, invitation_id=invitation_id, answers=answers
        )

    return _answer_page(request, invitation, store, back=reverse("selfservice:home"))


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def invitation_sms(request: HttpRequest, staff: StaffMember, invitation_id: int) -> HttpResponse:
    """A fresh link of a client's invitation as an SMS-ready text, shown once."""
    client_id = (
        Invitation.objects.filter(pk=invitation_id).values_list("client_id", flat=True).first()
    )
    if client_id is None:
        raise Http404
    back = reverse("casefile:card", kwargs={"client_id": client_id})
    try:
        invitation, text = invitation_sms_make(
            actor=staff, invitation_id=invitation_id, language=_language()
        )
    except ValidationError as exc:
        return refused(request, exc.messages, back)
    survey = survey_version(invitation.survey, invitation.version)
    context = {"text": text, "survey": survey, "invitation": invitation, "back": back}
    return _private(render(request, "surveys/sms.html", context))


# --- results for managers --------------------------------------------------------------------


def _scope(staff: StaffMember) -> ManagementScope:
    scope = management_scope(staff)
    if scope is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    return scope


@staff_view()
def results_index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    _scope(staff)
    language = _language()
    surveys = [(s, s.name.get(language)) for s in surveys_current()]
    return render(request, "surveys/results_index.html", {"surveys": surveys})


@staff_view()
def results(request: HttpRequest, staff: StaffMember, key: str) -> HttpResponse:
    """One survey's results for a period: the reader's organisation (or one municipality it
    serves), or the whole region in aggregate; nothing below five answers."""
    scope = _scope(staff)
    survey = _survey(key)
    today = timezone.localdate()
    periods = periods_recent(today)
    try:
        period = period_parse(request.GET.get("jakso") or quarter_of(today).key)
    except ValueError:
        return refused(
            request,
            _("Valitse jakso luettelosta."),
            reverse("surveys:results", kwargs={"key": survey.key}),
        )
    region = request.GET.get("alue") == "1" or scope.organisation is None
    if region and not scope.regional:
        raise Http404
    # Another organisation's figures are 404 in every view; the region is only in aggregate.
    organisation: Organisation | None = organisation_for(scope, request.GET.get("organisaatio"))
    if region:
        organisation = None
    municipality = _municipality(scope, request.GET.get("kunta"), region)
    language = _language()
    shown = survey_results(
        survey=survey,
        organisation_ids=None if organisation is None else [organisation.pk],
        municipality_code=municipality.code if municipality else None,
        period=period,
        language=language,
        # Free texts only to the owner organisation's manager, for its own answers.
        texts_allowed=organisation is not None and organisation == scope.organisation,
        using=reporting_db(),
        # The region's results hide what would differ from the reader's own by 1–4 answers.
        reader_organisation_id=(
            scope.organisation.pk if region and scope.organisation is not None else None
        ),
    )
    municipalities = (
        list(Municipality.objects.using(reporting_db()).order_by("name_fi"))
        if region
        else list(scope.municipalities)
    )
    if period.key not in {p.key for p in periods}:
        periods.append(period)
    context = {
        "scope": scope,
        "survey": survey,
        "survey_name": survey.name.get(language),
        "results": shown,
        "period": period,
        "periods": periods,
        "region": region,
        "organisation": organisation,
        "municipality": municipality,
        "municipalities": municipalities,
    }
    return render(request, "surveys/results.html", context)


def _survey(key: str) -> Survey:
    for survey in surveys_current():
        if survey.key == key:
            return survey
    raise Http404


def _municipality(scope: ManagementScope, code: str | None, region: bool) -> Municipality | None:
    """A municipality of the view: any of the region's in the regional view, one the reader's
    organisation serves otherwise (404 for others)."""
    if not code:
        return None
    if region:
        return municipality_for(scope, code)
    for municipality in scope.municipalities:
        if municipality.code == code:
            return municipality
    raise Http404
