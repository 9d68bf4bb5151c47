"""Reading consents and emergency accesses through the gatekeeper."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.selectors import identity_decision_for
from tyollisyystalo.consents.models import Consent, EmergencyAccess
from tyollisyystalo.staff.models import StaffMember


def consent_get_for_user(
    *, staff: StaffMember, consent_id: int, at: dt.datetime | None = None
) -> Consent:
    """A consent with all its versions, for those who may read the client's identity and whose
    organisation discloses or receives under it (R3); others get a logged 404."""
    at = at or timezone.now()
    consent = (
        Consent.objects.select_related("client", "created_by__user", "withdrawn_by__user")
        .prefetch_related(
            "versions__disclosing_organisations",
            "versions__receiving_organisations",
            "versions__categories",
            "versions__recorded_by__user",
        )
        .filter(pk=consent_id)
        .first()
    )
    if consent is None:
        raise Http404(_("Suostumusta ei löytynyt."))
    _ctx, decision = identity_decision_for(staff=staff, client_id=consent.client_id, at=at)
    if not decision.allowed or not _organisation_is_party(consent, staff.organisation_id):
        raise deny_and_log(
            staff=staff, client_id=consent.client_id, action=Action.READ, at=at, purpose="consent"
        )
    access_log_append(
        actor=staff,
        events=[
            LogEvent(
                action=Action.READ,
                outcome=Outcome.ALLOWED,
                client_id=consent.client_id,
                categories=[DataCategory.IDENTITY],
                basis=decision.basis,
                consent_id=decision.consent_id,
                object_type="consent",
                object_id=str(consent.pk),
                purpose="consent viewed",
            )
        ],
        at=at,
    )
    return consent


def _organisation_is_party(consent: Consent, organisation_id: int) -> bool:
    """R3: a consent is shown only to its disclosing and receiving organisations (its current
    version's; from the prefetched versions)."""
    version = consent.current_version
    return any(o.pk == organisation_id for o in version.disclosing_organisations.all()) or any(
        o.pk == organisation_id for o in version.receiving_organisations.all()
    )


def emergency_accesses_to_review(*, staff: StaffMember) -> QuerySet[EmergencyAccess]:
    """Emergency accesses by staff of the reviewer's own organisation, newest first."""
    return EmergencyAccess.objects.filter(
        staff_member__organisation_id=staff.organisation_id
    ).select_related("staff_member__user", "reviewed_by__user")
