"""The client's own pages: path, plan, next review, services, consents, answers, access log."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.consents.services import consent_withdraw_by_client
from tyollisyystalo.instruments.forms import InstrumentForm
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.instruments.services import instrument_response_record_by_client
from tyollisyystalo.retention.selectors import retention_texts_for_clients
from tyollisyystalo.selfservice.forms import DemoLoginForm
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.selfservice.selectors import own_export, own_overview
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.responses import refused

SELF_ASSESSMENT = "self_assessment"


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    form = DemoLoginForm(request.POST or None) if settings.DEMO else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            account: ClientAccount = form.cleaned_data["account"]
            login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("selfservice:home")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "oidc": settings.OIDC_ENABLED, "failed": "virhe" in request.GET}
    return render(request, "selfservice/login.html", context, status=status)


def oidc_start(request: HttpRequest) -> HttpResponse:
    """Start strong identification at the provider (404 when it is not configured)."""
    if not settings.OIDC_ENABLED:
        raise Http404
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    response: HttpResponse = OIDCAuthenticationCallbackView.as_view()(request)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


@client_view
def home(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    overview = own_overview(client_id=account.client_id)
    return render(request, "selfservice/home.html", {"o": overview, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@client_view
def self_assessment(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    instrument = instrument_get(SELF_ASSESSMENT)
    form = InstrumentForm(request.POST or None, instrument=instrument, by_client=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                instrument_response_record_by_client(
                    user=request.user,  # type: ignore[arg-type]
                    client_id=account.client_id,
                    instrument_key=SELF_ASSESSMENT,
                    answers=form.answers,
                    answered_on=form.cleaned_data["answered_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kiitos! Vastauksesi tallentuivat. Näet ne alla."))
                return redirect("selfservice:home")
    return render(
        request,
        "selfservice/self_assessment.html",
        {"form": form, "instrument": instrument},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@client_view
def consent_withdraw(request: HttpRequest, account: ClientAccount, consent_id: int) -> HttpResponse:
    consent = account.client.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    if request.method == "POST":
        try:
            consent_withdraw_by_client(
                user=request.user,  # type: ignore[arg-type]
                client_id=account.client_id,
                consent_id=consent_id,
            )
        except ValidationError as exc:
            return refused(request, exc.messages, reverse("selfservice:home"))
        messages.success(request, _("Suostumus on peruttu. Tietoja ei enää luovuteta sillä."))
        return redirect("selfservice:home")
    return render(request, "selfservice/consent_withdraw.html", {"consent": consent})


@client_view
def export(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    data = own_export(client_id=account.client_id)
    access_log_event(
        actor=request.user,
        client_id=account.client_id,
        action=Action.EXPORT,
        purpose="client's own export",
        categories=(),
        object_type="own_data",
        object_id=str(account.client_id),
        basis=Basis.NONE,
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="omat-tiedot.json"'
    response["Cache-Control"] = "no-store"
    return response


@client_view
def retention(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    """How long each kind of the client's data is kept, from the record class table."""
    return render(
        request, "selfservice/retention.html", {"retention_texts": retention_texts_for_clients()}
    )
