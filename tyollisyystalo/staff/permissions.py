"""Who is the staff member behind a request: logged in with password + TOTP, active, employed.

A refusal because the role lacks a capability is logged as a denied access of the client that
the request names, like every other denied access (rule R5): ``staff_view`` does it for pages,
``capability_refusal_log`` for the API's exception handler.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.staff.models import StaffMember

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


def require_capability(staff: StaffMember, capability: Capability) -> None:
    """Services call this first: the role must allow the action at all."""
    if not staff.can(capability):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))


# URL keyword arguments that name one client: (model label, lookup of the client's id).
# Models are looked up by label when a refusal is logged, so this module imports none of the
# apps above it. A test fails on any URL identifier missing from both tables.
CLIENT_KWARGS: dict[str, tuple[str, str]] = {
    "client_id": ("clients.Client", "pk"),
    "case_id": ("cases.Case", "client_id"),
    "plan_id": ("plans.Plan", "client_id"),
    "referral_id": ("referrals.Referral", "client_id"),
    "consent_id": ("consents.Consent", "client_id"),
    "membership_id": ("clients.TeamMembership", "client_id"),
    "item_id": ("cases.ConsultationItem", "case__client_id"),
    "task_id": ("cases.FollowUpTask", "item__case__client_id"),
    "link_id": ("worktrials.FeedbackLink", "client_id"),
    "request_id": ("contact_requests.ContactRequest", "client_id"),
    "suggestion_id": ("instruments.InstrumentSuggestion", "client_id"),
    "hold_id": ("retention.LegalHold", "client_id"),
    "period_id": ("coaching.CoachingPeriod", "client_id"),
    "module_id": ("coaching_modules.CoachingModule", "client_id"),
    "placement_id": ("coaching.Placement", "client_id"),
    # A survey invitation (the staff's cooperation round names no client: nothing is logged).
    "invitation_id": ("surveys.Invitation", "client_id"),
    "thread_id": ("messaging.Thread", "client_id"),
    "document_id": ("documents.Document", "client_id"),
    "message_id": ("messaging.Message", "thread__client_id"),
    "appointment_id": ("appointments.Appointment", "client_id"),
    "member_id": ("subcontracting.Member", "client_id"),
}
# Identifiers in URLs that name no single client.
NOT_CLIENT_KWARGS = frozenset(
    {
        "consultation_id",
        "service_id",
        "revision_id",
        "need_id",  # an entry of the catalogue's need vocabulary
        "token",
        "code",
        "rule_id",
        "key",
        "pk",
        "organisation_id",
        "source",  # a picker's source (pickers): names of services, organisations, staff
        # The subcontracting model: a group, a customer, an order and an invoice are the
        # organisation's business records, not any one client's.
        "group_id",
        "customer_id",
        "order_id",
        "invoice_id",
        "version",  # a version of a customer's cooperation agreement
        # Client segments: an analysis, a version of the criteria and a segment are the
        # organisation's aggregates, not any one client's.
        "analysis_id",
        "version_id",
        "segment_id",
    }
)


def client_named_by(kwargs: Mapping[str, Any]) -> uuid.UUID | None:
    """The client that a request's URL arguments name, if any (and if it exists)."""
    for name, (label, lookup) in CLIENT_KWARGS.items():
        if name not in kwargs:
            continue
        model = apps.get_model(label)
        client_id: uuid.UUID | None = (
            model._default_manager.filter(pk=kwargs[name]).values_list(lookup, flat=True).first()
        )
        return client_id
    return None


def capability_refusal_log(
    *,
    staff: StaffMember,
    kwargs: Mapping[str, Any],
    method: str,
    capability: Capability | None = None,
) -> None:
    """Log a refusal for the role as one denied access of the client the request names.

    Nothing was read: the entry names no categories. Requests naming no client log nothing.
    """
    client_id = client_named_by(kwargs)
    if client_id is None:
        return
    action = Action.READ if method in {"GET", "HEAD", "OPTIONS"} else Action.UPDATE
    access_log_append(
        actor=staff,
        events=[
            LogEvent(
                action=action,
                outcome=Outcome.DENIED,
                client_id=client_id,
                purpose=f"role lacks capability {capability or ''}".strip(),
            )
        ],
    )


def staff_member_for(user: Any) -> StaffMember | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        StaffMember.objects.select_related("organisation", "unit", "user")
        .filter(user=user, is_active=True)
        .first()
    )


def deactivated_staff_for(user: Any) -> StaffMember | None:
    """The deactivated staff record of a signed-in user, whose refusals are logged too (R5)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        StaffMember.objects.select_related("organisation")
        .filter(user=user, is_active=False)
        .first()
    )


def staff_view(
    capability: Capability | None = None,
) -> Callable[
    [Callable[Concatenate[HttpRequest, StaffMember, P], R]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """Decorate a view taking ``(request, staff, ...)``: login, second factor, role capability."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, StaffMember, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
                return redirect_to_login(request.get_full_path())
            staff = staff_member_for(user)
            if staff is None:
                deactivated = deactivated_staff_for(user)
                if deactivated is not None:
                    capability_refusal_log(
                        staff=deactivated, kwargs=kwargs, method=request.method or ""
                    )
                raise PermissionDenied
            if capability is not None and not staff.can(capability):
                capability_refusal_log(
                    staff=staff, kwargs=kwargs, method=request.method or "", capability=capability
                )
                raise PermissionDenied
            request.staff = staff  # type: ignore[attr-defined]  # reused by the context processor
            try:
                return view(request, staff, *args, **kwargs)
            except PermissionDenied:
                # A service's or the view's own capability check (require_capability).
                capability_refusal_log(staff=staff, kwargs=kwargs, method=request.method or "")
                raise

        return wrapper

    return decorate
