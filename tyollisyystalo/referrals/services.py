"""Writes of referrals: send (only with consent for every shared category), answer, complete.

Sending discloses the chosen categories to the receiving organisation, so the client's consent
must cover each of them from the sender to the receiver; without it the referral is refused
with what is missing and how to record it. Nothing is written when anything is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import (
    AccessContext,
    access_context_load,
    consent_grant_for,
    decide_write,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_event
from tyollisyystalo.cases.models import Case, CaseDeadline, DeadlineKind
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRelationship, TeamMembership
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

CATEGORY = DataCategory.PLAN


def consent_for(ctx: AccessContext, *, sender: int, receiver: int, category: str) -> int | None:
    """The consent (id) that lets ``sender`` disclose ``category`` to ``receiver`` now."""
    grant = consent_grant_for(ctx, disclosing=sender, receiving=receiver, category=category)
    return None if grant is None else grant.consent_id


def _categories(chosen: Iterable[str]) -> list[str]:
    """The chosen categories, with identity always included (the receiver must know who)."""
    wanted = set(chosen) | {DataCategory.IDENTITY.value}
    return [c for c in DataCategory.values if c in wanted]


def _log(
    actor: StaffMember,
    referral: Referral,
    action: Action,
    purpose: str,
    at: dt.datetime,
    categories: Iterable[str] = (CATEGORY,),
    basis: Basis = Basis.TEAM,
    consent_id: int | None = None,
) -> None:
    access_log_event(
        actor=actor,
        client_id=referral.client_id,
        action=action,
        purpose=purpose,
        categories=categories,
        object_type="referral",
        object_id=str(referral.pk),
        basis=basis,
        consent_id=consent_id,
        at=at,
    )


def referral_send(
    *,
    actor: StaffMember,
    case_id: uuid.UUID,
    reason: str,
    categories: Iterable[str],
    service: Service | None = None,
    receiving_organisation: Organisation | None = None,
    at: dt.datetime | None = None,
) -> Referral:
    """Refer the client on this path to a catalogue service or an organisation."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise ValidationError(_("Palvelupolkua ei löytynyt."))
    ctx = access_context_load(case.client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=case.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=case.client_id, action=Action.CREATE, at=at, purpose="referral"
        )
    errors: dict[str, list[str]] = {}
    receiver = receiving_organisation
    if service is not None:
        provider = service.organization.network_organisation if service.organization else None
        if provider is None:
            errors["service"] = [
                _(
                    "Palvelun tuottaja ei ole mukana verkostossa, joten lähete ei kulje "
                    "järjestelmässä. Anna asiakkaalle palvelun yhteystiedot."
                )
            ]
        elif receiver is not None and receiver.pk != provider.pk:
            errors["receiving_organisation"] = [_("Palvelun tuottaja on eri organisaatio.")]
        else:
            receiver = provider
    if receiver is None and "service" not in errors:
        errors["receiving_organisation"] = [_("Valitse palvelu tai vastaanottava organisaatio.")]
    elif receiver is not None and receiver.pk == case.owner_organisation_id:
        errors["receiving_organisation"] = [_("Lähete menee toiseen organisaatioon.")]
    if not reason.strip():
        errors["reason"] = [_("Kerro, miksi asiakas ohjataan.")]
    if not case.is_open:
        errors["reason"] = [_("Päättyneeltä palvelupolulta ei voi lähettää.")]
    shared = _categories(categories)
    if any(c not in DataCategory.values for c in categories):
        errors["categories"] = [_("Tuntematon tietoryhmä.")]
    if errors:
        raise ValidationError(errors)
    assert receiver is not None
    consents = {
        c: consent_for(ctx, sender=case.owner_organisation_id, receiver=receiver.pk, category=c)
        for c in shared
    }
    missing = [c for c, consent in consents.items() if consent is None]
    if missing:
        labels = ", ".join(str(DataCategory(c).label) for c in missing)
        raise ValidationError(
            {
                "categories": [
                    _(
                        "Asiakkaan suostumus puuttuu: %(sender)s → %(receiver)s, tietoryhmät: "
                        "%(labels)s. Kirjaa suostumus asiakkaan tietoihin (Suostumukset → Uusi "
                        "suostumus) tai jätä nämä tiedot pois lähetteestä."
                    )
                    % {
                        "sender": case.owner_organisation.name,
                        "receiver": receiver.name,
                        "labels": labels,
                    }
                ]
            },
            code="consent_missing",
        )
    today = timezone.localdate(at)
    with transaction.atomic():
        referral = Referral.objects.create(
            client_id=case.client_id,
            owner_organisation_id=case.owner_organisation_id,
            category=CATEGORY,
            created_at=at,
            case=case,
            service=service,
            receiving_organisation=receiver,
            reason=reason.strip(),
            shared_categories=",".join(shared),
            disclosed_under_id=consents[DataCategory.IDENTITY.value],
            sent_by=actor,
            answer_due_on=today + dt.timedelta(days=settings.REFERRAL_ANSWER_DAYS),
        )
        CaseDeadline.objects.create(
            case=case,
            kind=DeadlineKind.REFERRAL_ANSWER,
            due_on=referral.answer_due_on,
            referral_id=referral.pk,
        )
        # The disclosure itself, one event per consent that allows it.
        by_consent: dict[int, list[str]] = {}
        for category, consent in consents.items():
            assert consent is not None
            by_consent.setdefault(consent, []).append(category)
        for consent, shared_here in sorted(by_consent.items()):
            _log(
                actor,
                referral,
                Action.DISCLOSE,
                f"referral to {receiver.code}",
                at,
                shared_here,
                Basis.CONSENT,
                consent,
            )
    return referral


def _as_receiver(referral: Referral) -> dict[str, Any]:
    """The receiver acts on the referral under the consent it was disclosed with."""
    if referral.disclosed_under_id is None:
        return {"basis": Basis.NONE}
    return {"basis": Basis.CONSENT, "consent_id": referral.disclosed_under_id}


def _for_receiver(actor: StaffMember, referral_id: uuid.UUID, at: dt.datetime) -> Referral:
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        raise ValidationError(_("Lähetettä ei löytynyt."))
    if referral.receiving_organisation_id != actor.organisation_id or not actor.can(
        Capability.REFERRAL_HANDLE
    ):
        raise deny_and_log(
            staff=actor,
            client_id=referral.client_id,
            action=Action.UPDATE,
            at=at,
            purpose="referral answer",
        )
    return referral


def referral_answer(
    *,
    actor: StaffMember,
    referral_id: uuid.UUID,
    accept: bool,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """The receiver accepts (the client becomes their client, the actor joins the team) or
    declines with a reason."""
    at = at or timezone.now()
    _for_receiver(actor, referral_id, at)
    if not accept and not reason.strip():
        raise ValidationError({"reason": [_("Kerro, miksi lähete hylätään.")]})
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if referral.status != ReferralStatus.SENT:
            raise ValidationError(_("Lähetteeseen on jo vastattu."))
        referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
        referral.answered_at = at
        referral.answered_by = actor
        referral.decline_reason = "" if accept else reason.strip()
        referral.save(update_fields=["status", "answered_at", "answered_by", "decline_reason"])
        CaseDeadline.objects.filter(
            referral_id=referral.pk, done_on__isnull=True, cancelled_at__isnull=True
        ).update(done_on=timezone.localdate(at), done_by=actor)
        if accept:
            _client_join(actor, referral, at)
        _log(
            actor,
            referral,
            Action.UPDATE,
            f"referral {referral.status}",
            at,
            **_as_receiver(referral),
        )
        notification_send(
            recipients=[referral.sent_by.user],
            kind=NotificationKind.REFERRAL_ANSWER,
            url=reverse("referrals:detail", kwargs={"referral_id": referral.pk}),
            at=at,
        )
    return referral


def _client_join(actor: StaffMember, referral: Referral, at: dt.datetime) -> None:
    """Accepting makes the client a client of the receiver, with the actor in the team."""
    if not ClientRelationship.objects.filter(
        client_id=referral.client_id,
        organisation_id=actor.organisation_id,
        ended_on__isnull=True,
    ).exists():
        ClientRelationship.objects.create(
            client_id=referral.client_id,
            organisation_id=actor.organisation_id,
            unit_id=actor.unit_id,
            started_on=timezone.localdate(at),
        )
    if not TeamMembership.objects.filter(
        client_id=referral.client_id, staff_member=actor, ended_at__isnull=True
    ).exists():
        TeamMembership.objects.create(
            client_id=referral.client_id,
            staff_member=actor,
            case=referral.case,
            role_in_case=_("Lähetteen vastaanottaja"),
            invited_at=at,
            started_at=at,
            added_by=actor,
        )


def referral_complete(
    *, actor: StaffMember, referral_id: uuid.UUID, result: str, at: dt.datetime | None = None
) -> Referral:
    """The receiver reports the service done, with its result for the sender."""
    at = at or timezone.now()
    _for_receiver(actor, referral_id, at)
    if not result.strip():
        raise ValidationError({"result": [_("Kirjoita lyhyesti, mitä palvelussa tehtiin.")]})
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if referral.status != ReferralStatus.ACCEPTED:
            raise ValidationError(_("Vain hyväksytyn lähetteen voi merkitä valmiiksi."))
        referral.status = ReferralStatus.COMPLETED
        referral.completed_at = at
        referral.result = result.strip()
        referral.save(update_fields=["status", "completed_at", "result"])
        _log(actor, referral, Action.UPDATE, "referral completed", at, **_as_receiver(referral))
    return referral


def referral_cancel(
    *, actor: StaffMember, referral_id: uuid.UUID, at: dt.datetime | None = None
) -> Referral:
    """The sender withdraws a referral not yet answered."""
    at = at or timezone.now()
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        raise ValidationError(_("Lähetettä ei löytynyt."))
    ctx = access_context_load(referral.client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=referral.owner_organisation_id, category=CATEGORY
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor,
            client_id=referral.client_id,
            action=Action.UPDATE,
            at=at,
            purpose="referral cancel",
        )
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if referral.status != ReferralStatus.SENT:
            raise ValidationError(_("Vain vastaamattoman lähetteen voi perua."))
        referral.status = ReferralStatus.CANCELLED
        referral.save(update_fields=["status"])
        CaseDeadline.objects.filter(
            referral_id=referral.pk, done_on__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=at)
        _log(actor, referral, Action.UPDATE, "referral cancelled", at, basis=decision.basis)
    return referral
