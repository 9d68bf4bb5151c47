"""Recording, revising and withdrawing consents; emergency access and its review."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.selectors import require_works_with
from tyollisyystalo.consents.models import (
    Consent,
    ConsentCategory,
    ConsentMethod,
    ConsentVersion,
    EmergencyAccess,
    LegalBasis,
    ReviewOutcome,
    WithdrawalMethod,
)
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

EMERGENCY_ACCESS_DURATION = dt.timedelta(hours=4)
EMERGENCY_REASON_MIN_LENGTH = 20


@dataclass(frozen=True)
class ConsentInput:
    disclosing_organisation_ids: frozenset[int]
    receiving_organisation_ids: frozenset[int]
    categories: frozenset[str]
    purpose: str
    method: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    legal_basis: str = LegalBasis.CONSENT
    statute: str = ""
    form_reference: str = ""


def consent_input_validate(data: ConsentInput) -> None:
    """Domain checks, shared by the page form, the API and the service itself."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not data.disclosing_organisation_ids:
        add("disclosing_organisations", _("Valitse vähintään yksi luovuttava organisaatio."))
    if not data.receiving_organisation_ids:
        add("receiving_organisations", _("Valitse vähintään yksi vastaanottava organisaatio."))
    if not data.categories:
        add("categories", _("Valitse vähintään yksi tietoryhmä."))
    unknown = set(data.categories) - set(DataCategory.values)
    if unknown:
        add("categories", _("Tuntematon tietoryhmä."))
    if not data.purpose.strip():
        add("purpose", _("Kerro, mihin tietoja käytetään."))
    if data.method not in ConsentMethod.values:
        add("method", _("Valitse, miten suostumus annettiin."))
    if data.legal_basis not in LegalBasis.values:
        add("legal_basis", _("Valitse oikeusperuste."))
    if data.legal_basis == LegalBasis.STATUTE and not data.statute.strip():
        add("statute", _("Nimeä säädös, johon tietojen luovutus perustuu."))
    if data.valid_until is not None and data.valid_until < data.valid_from:
        add("valid_until", _("Päättymispäivä ei voi olla ennen alkamispäivää."))
    if data.method == ConsentMethod.ORAL and data.valid_until != data.valid_from:
        add(
            "valid_until",
            _(
                "Suullinen suostumus koskee vain yhtä yhteydenottoa: "
                "alkamis- ja päättymispäivän on oltava sama."
            ),
        )
    known = Organisation.objects.filter(
        pk__in=data.disclosing_organisation_ids | data.receiving_organisation_ids,
        is_active=True,
    ).count()
    if known != len(data.disclosing_organisation_ids | data.receiving_organisation_ids):
        add("receiving_organisations", _("Tuntematon organisaatio."))
    if errors:
        raise ValidationError(errors)


def _write_version(
    *, consent: Consent, number: int, data: ConsentInput, actor: StaffMember, at: dt.datetime
) -> ConsentVersion:
    version = ConsentVersion.objects.create(
        consent=consent,
        number=number,
        is_current=True,
        purpose=data.purpose.strip(),
        legal_basis=data.legal_basis,
        statute=data.statute.strip() if data.legal_basis == LegalBasis.STATUTE else "",
        method=data.method,
        form_reference=data.form_reference.strip(),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        recorded_by=actor,
        recorded_at=at,
    )
    version.disclosing_organisations.set(sorted(data.disclosing_organisation_ids))
    version.receiving_organisations.set(sorted(data.receiving_organisation_ids))
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(version=version, category=c) for c in sorted(data.categories)]
    )
    return version


def _consent_event(
    consent: Consent, data: ConsentInput | None, action: Action, purpose: str
) -> LogEvent:
    return LogEvent(
        action=action,
        outcome=Outcome.ALLOWED,
        client_id=consent.client_id,
        categories=sorted(data.categories) if data else [],
        basis=Basis.TEAM,
        consent_id=consent.pk,
        object_type="consent",
        object_id=str(consent.pk),
        purpose=purpose,
    )


def consent_record(
    *, actor: StaffMember, client_id: uuid.UUID, data: ConsentInput, at: dt.datetime | None = None
) -> Consent:
    require_capability(actor, Capability.CONSENT_RECORD)
    at = at or timezone.now()
    consent_input_validate(data)
    require_works_with(staff=actor, client_id=client_id, at=at, purpose="consent")
    with transaction.atomic():
        consent = Consent.objects.create(client_id=client_id, created_by=actor, created_at=at)
        _write_version(consent=consent, number=1, data=data, actor=actor, at=at)
        access_log_append(
            actor=actor,
            events=[_consent_event(consent, data, Action.CREATE, "consent recorded")],
            at=at,
        )
    return consent


class ConsentConflict(Exception):
    """The consent was revised after the version a change was based on."""

    def __init__(self, consent_id: int, base_number: int, current_number: int) -> None:
        super().__init__(consent_id, base_number, current_number)
        self.consent_id = consent_id
        self.base_number = base_number
        self.current_number = current_number


def _check_base(consent: Consent, current: int, base_number: int | None) -> None:
    if base_number is not None and base_number != current:
        raise ConsentConflict(consent.pk, base_number, current)


def consent_revise(
    *,
    actor: StaffMember,
    consent_id: int,
    data: ConsentInput,
    base_number: int | None = None,
    at: dt.datetime | None = None,
) -> ConsentVersion:
    """A change makes a new version; the earlier versions stay readable.

    With ``base_number`` (the version the change was based on), ``ConsentConflict`` when
    someone has revised the consent since.
    """
    require_capability(actor, Capability.CONSENT_RECORD)
    at = at or timezone.now()
    consent_input_validate(data)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=consent_id).first()
        if consent is None:
            raise Http404(_("Suostumusta ei löytynyt."))
        require_works_with(staff=actor, client_id=consent.client_id, at=at, purpose="consent")
        if consent.withdrawn_at is not None:
            raise ValidationError(_("Peruttua suostumusta ei voi muuttaa. Kirjaa uusi suostumus."))
        current = consent.versions.get(is_current=True)
        _check_base(consent, current.number, base_number)
        ConsentVersion.objects.filter(pk=current.pk).update(is_current=False)
        version = _write_version(
            consent=consent, number=current.number + 1, data=data, actor=actor, at=at
        )
        access_log_append(
            actor=actor,
            events=[_consent_event(consent, data, Action.UPDATE, "consent revised")],
            at=at,
        )
    return version


def consent_withdraw(
    *,
    actor: StaffMember,
    consent_id: int,
    method: str,
    base_number: int | None = None,
    at: dt.datetime | None = None,
) -> Consent:
    """Withdrawal takes effect at once: the next read no longer finds the consent valid."""
    require_capability(actor, Capability.CONSENT_WITHDRAW)
    at = at or timezone.now()
    if method not in WithdrawalMethod.values:
        raise ValidationError({"method": [_("Valitse, miten asiakas perui suostumuksen.")]})
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=consent_id).first()
        if consent is None:
            raise Http404(_("Suostumusta ei löytynyt."))
        require_works_with(staff=actor, client_id=consent.client_id, at=at, purpose="consent")
        if consent.withdrawn_at is not None:
            raise ValidationError(_("Suostumus on jo peruttu."))
        _check_base(consent, consent.versions.get(is_current=True).number, base_number)
        consent.withdrawn_at = at
        consent.withdrawn_by = actor
        consent.withdrawal_method = method
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_method"])
        access_log_append(
            actor=actor,
            events=[_consent_event(consent, None, Action.WITHDRAW, "consent withdrawn")],
            at=at,
        )
    return consent


def emergency_access_open(
    *, actor: StaffMember, client_id: uuid.UUID, reason: str, at: dt.datetime | None = None
) -> EmergencyAccess:
    """Break the glass: a reasoned, time-limited access that a manager reviews afterwards."""
    require_capability(actor, Capability.EMERGENCY_ACCESS)
    at = at or timezone.now()
    if len(reason.strip()) < EMERGENCY_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Kirjoita peruste, vähintään %(count)d merkkiä.")
                    % {"count": EMERGENCY_REASON_MIN_LENGTH}
                ]
            }
        )
    with transaction.atomic():
        if not _client_exists(client_id):
            raise deny_and_log(
                staff=actor,
                client_id=client_id,
                action=Action.EMERGENCY,
                at=at,
                purpose="emergency",
            )
        access = EmergencyAccess.objects.create(
            staff_member=actor,
            client_id=client_id,
            reason=reason.strip(),
            started_at=at,
            expires_at=at + EMERGENCY_ACCESS_DURATION,
        )
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.EMERGENCY,
                    outcome=Outcome.ALLOWED,
                    client_id=client_id,
                    basis=Basis.EMERGENCY,
                    object_type="emergency_access",
                    object_id=str(access.pk),
                    purpose="emergency access opened",
                )
            ],
            at=at,
        )
    return access


def _client_exists(client_id: uuid.UUID) -> bool:
    from tyollisyystalo.clients.models import Client

    return Client.objects.filter(pk=client_id).exists()


def emergency_access_review(
    *, actor: StaffMember, access_id: int, outcome: str, at: dt.datetime | None = None
) -> EmergencyAccess:
    require_capability(actor, Capability.EMERGENCY_REVIEW)
    at = at or timezone.now()
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": [_("Valitse tarkastuksen tulos.")]})
    with transaction.atomic():
        access = (
            EmergencyAccess.objects.select_for_update()
            .select_related("staff_member")
            .filter(pk=access_id, staff_member__organisation_id=actor.organisation_id)
            .first()
        )
        if access is None:
            raise ValidationError(_("Hätäkäyttöä ei löytynyt."))
        if access.reviewed_at is not None:
            raise ValidationError(_("Hätäkäyttö on jo tarkastettu."))
        if access.staff_member_id == actor.pk:
            raise ValidationError(_("Omaa hätäkäyttöä ei voi tarkastaa itse."))
        access.reviewed_at = at
        access.reviewed_by = actor
        access.review_outcome = outcome
        access.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome"])
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.UPDATE,
                    outcome=Outcome.ALLOWED,
                    client_id=access.client_id,
                    basis=Basis.OVERSIGHT,
                    object_type="emergency_access",
                    object_id=str(access.pk),
                    purpose="emergency access reviewed",
                )
            ],
            at=at,
        )
    return access


def consent_withdraw_by_client(
    *, user: AbstractBaseUser, client_id: uuid.UUID, consent_id: int, at: dt.datetime | None = None
) -> Consent:
    """The client withdraws their own consent in their own pages; it ends at once."""
    at = at or timezone.now()
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update().filter(pk=consent_id, client_id=client_id).first()
        )
        if consent is None:
            raise ValidationError(_("Suostumusta ei löytynyt."))
        if consent.withdrawn_at is not None:
            raise ValidationError(_("Suostumus on jo peruttu."))
        consent.withdrawn_at = at
        consent.withdrawal_method = WithdrawalMethod.ELECTRONIC
        consent.save(update_fields=["withdrawn_at", "withdrawal_method"])
        access_log_append(
            actor=user,
            events=[
                replace(
                    _consent_event(consent, None, Action.WITHDRAW, "consent withdrawn by client"),
                    basis=Basis.NONE,
                )
            ],
            at=at,
        )
    return consent
