"""Writes of client data. Each service runs in one transaction and logs what it wrote."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tyollisyystalo.access.gatekeeper import access_context_load, decide_write
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.hetu import InvalidHetu, parse_hetu
from tyollisyystalo.clients.icf import IcfError, parse_icf_list
from tyollisyystalo.clients.models import (
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    Language,
    RelationshipStart,
    StartBasis,
    StartReviewOutcome,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import HETU_PURPOSE, require_works_with
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.shared.crypto import keyed_hash
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability


class DuplicateClient(ValidationError):
    """A client with this henkilötunnus is already in the registry."""


@dataclass(frozen=True)
class IdentityInput:
    first_names: str
    last_name: str
    hetu: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    municipality: Municipality | None = None
    language: str = Language.FI
    other_language: str = ""
    needs_interpreter: bool = False
    interpreter_language: str = ""


def _identity_validate(data: IdentityInput) -> tuple[str, ClientIdentity]:
    errors: dict[str, list[str]] = {}
    if not data.first_names.strip():
        errors.setdefault("first_names", []).append(_("Anna etunimet."))
    if not data.last_name.strip():
        errors.setdefault("last_name", []).append(_("Anna sukunimi."))
    if data.language == Language.OTHER and not data.other_language.strip():
        errors.setdefault("other_language", []).append(_("Kerro, mikä muu asiointikieli."))
    if data.interpreter_language and not data.needs_interpreter:
        errors.setdefault("interpreter_language", []).append(
            _("Tulkkauskieli annetaan vain, kun tulkkia tarvitaan.")
        )
    identity = ClientIdentity(
        first_names=" ".join(data.first_names.split()),
        last_name=" ".join(data.last_name.split()),
        phone=data.phone.strip(),
        email=data.email.strip(),
        address=data.address.strip(),
        municipality=data.municipality,
        language=data.language,
        other_language=data.other_language.strip() if data.language == Language.OTHER else "",
        needs_interpreter=data.needs_interpreter,
        interpreter_language=data.interpreter_language.strip(),
    )
    identity.search_name = ClientIdentity.make_search_name(identity.first_names, identity.last_name)
    digest = ""
    if data.hetu.strip():
        try:
            parsed = parse_hetu(data.hetu)
        except InvalidHetu as exc:
            errors.setdefault("hetu", []).append(str(exc))
        else:
            identity.hetu = parsed.code
            identity.hetu_is_temporary = parsed.is_temporary
            identity.birth_date = parsed.birth_date
            identity.sex = parsed.sex
            digest = keyed_hash(parsed.code, purpose=HETU_PURPOSE)
    if errors:
        raise ValidationError(errors)
    return digest, identity


def client_register(
    *, actor: StaffMember, data: IdentityInput, at: dt.datetime | None = None
) -> Client:
    """Register a new person, open a client relationship and make the actor the coordinator."""
    require_capability(actor, Capability.CLIENT_REGISTER)
    at = at or timezone.now()
    digest, identity = _identity_validate(data)
    if digest and ClientIdentity.objects.filter(hetu_hash=digest).exists():
        raise DuplicateClient(
            {"hetu": [_("Henkilö on jo rekisterissä. Aloita hänelle asiakkuus organisaatiossasi.")]}
        )
    try:
        with transaction.atomic():
            client = Client.objects.create(registered_by_id=actor.organisation_id, created_at=at)
            identity.client = client
            identity.hetu_hash = digest or None
            identity.save()
            _open_relationship(actor=actor, client=client, at=at)
            access_log_append(
                actor=actor,
                events=[
                    LogEvent(
                        action=Action.CREATE,
                        outcome=Outcome.ALLOWED,
                        client_id=client.id,
                        categories=[DataCategory.IDENTITY],
                        basis=Basis.DUTY,
                        object_type="client",
                        object_id=str(client.id),
                        purpose="client registration",
                    )
                ],
                at=at,
            )
    except IntegrityError as exc:
        # Two registrations of the same person raced; the loser gets the duplicate message.
        raise DuplicateClient(
            {"hetu": [_("Henkilö on jo rekisterissä. Aloita hänelle asiakkuus organisaatiossasi.")]}
        ) from exc
    return client


def _open_relationship(
    *, actor: StaffMember, client: Client, at: dt.datetime
) -> ClientRelationship:
    relationship = ClientRelationship.objects.create(
        client=client,
        organisation_id=actor.organisation_id,
        unit_id=actor.unit_id,
        started_on=timezone.localdate(at),
    )
    TeamMembership.objects.get_or_create(
        client=client,
        staff_member=actor,
        ended_at=None,
        defaults={"is_coordinator": True, "started_at": at, "added_by": actor},
    )
    return relationship


START_REASON_MAX_LENGTH = 300


def _start_input_validate(*, hetu: str, basis: str, reason: str) -> tuple[str, str]:
    """The henkilötunnus's lookup hash and the cleaned reason, or every error at once."""
    errors: dict[str, list[str]] = {}
    digest = ""
    try:
        digest = keyed_hash(parse_hetu(hetu).code, purpose=HETU_PURPOSE)
    except InvalidHetu as exc:
        errors["hetu"] = [str(exc)]
    if basis and basis not in StartBasis.values:
        errors["basis"] = [_("Valitse peruste, jolla aloitat asiakkuuden.")]
    reason = reason.strip()
    if "\x00" in reason:
        errors["reason"] = [_("Tarkennuksessa on merkki, jota ei voi tallentaa.")]
    elif len(reason) > START_REASON_MAX_LENGTH:
        errors["reason"] = [
            _("Kirjoita tarkennus enintään %(count)d merkillä.")
            % {"count": START_REASON_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    return digest, reason


def client_relationship_start(
    *,
    actor: StaffMember,
    hetu: str,
    basis: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Client:
    """Start a client relationship with a person already in the registry, found by exact HETU.

    When the person is (or has been) another organisation's client, the actor must state the
    basis (client present, written referral, contact request, statutory task; and may add a
    short reason): it is stored as a ``RelationshipStart``, logged, listed for the
    organisation's managers to review and shown to the client on their own pages. The new
    relationship then opens only what the gatekeeper allows.
    """
    require_capability(actor, Capability.CLIENT_REGISTER)
    at = at or timezone.now()
    digest, reason = _start_input_validate(hetu=hetu, basis=basis, reason=reason)
    with transaction.atomic():
        identity = ClientIdentity.objects.select_related("client").filter(hetu_hash=digest).first()
        if identity is None:
            raise ValidationError({"hetu": [_("Tällä henkilötunnuksella ei löydy henkilöä.")]})
        client = identity.client
        day = timezone.localdate(at)
        if ClientRelationship.objects.filter(
            client=client, organisation_id=actor.organisation_id, ended_on__isnull=True
        ).exists():
            raise ValidationError({"hetu": [_("Henkilö on jo organisaatiosi asiakas.")]})
        elsewhere = (
            ClientRelationship.objects.filter(client=client)
            .exclude(organisation_id=actor.organisation_id)
            .exists()
        )
        if elsewhere and not basis:
            raise ValidationError(
                {
                    "basis": [
                        _(
                            "Henkilö on toisen organisaation asiakas. Valitse peruste, jolla "
                            "aloitat asiakkuuden."
                        )
                    ]
                }
            )
        relationship = _open_relationship(actor=actor, client=client, at=at)
        start = None
        if elsewhere:
            start = RelationshipStart.objects.create(
                relationship=relationship,
                client=client,
                organisation_id=actor.organisation_id,
                started_by=actor,
                started_at=at,
                basis=basis,
                reason=reason,
            )
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.CREATE,
                    outcome=Outcome.ALLOWED,
                    client_id=client.id,
                    categories=[DataCategory.IDENTITY],
                    basis=Basis.DUTY,
                    object_type="relationship_start" if start else "client_relationship",
                    object_id=str(start.pk)
                    if start
                    else f"{client.id}:{actor.organisation_id}:{day}",
                    purpose=f"client relationship started: {basis}"
                    if start
                    else "client relationship started",
                )
            ],
            at=at,
        )
    return client


def relationship_start_review(
    *, actor: StaffMember, start_id: int, outcome: str, at: dt.datetime | None = None
) -> RelationshipStart:
    """A manager of the organisation marks a started relationship justified or not."""
    require_capability(actor, Capability.EMERGENCY_REVIEW)
    at = at or timezone.now()
    if outcome not in StartReviewOutcome.values:
        raise ValidationError({"outcome": [_("Valitse tarkastuksen tulos.")]})
    with transaction.atomic():
        start = (
            RelationshipStart.objects.select_for_update()
            .filter(pk=start_id, organisation_id=actor.organisation_id)
            .first()
        )
        if start is None:
            raise ValidationError(_("Asiakkuuden aloitusta ei löytynyt."))
        if start.reviewed_at is not None:
            raise ValidationError(_("Asiakkuuden aloitus on jo tarkastettu."))
        if start.started_by_id == actor.pk:
            raise ValidationError(_("Omaa asiakkuuden aloitusta ei voi tarkastaa itse."))
        start.reviewed_at = at
        start.reviewed_by = actor
        start.review_outcome = outcome
        start.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome"])
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.UPDATE,
                    outcome=Outcome.ALLOWED,
                    client_id=start.client_id,
                    basis=Basis.OVERSIGHT,
                    object_type="relationship_start",
                    object_id=str(start.pk),
                    purpose="relationship start reviewed",
                )
            ],
            at=at,
        )
    return start


def team_member_add(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    staff_member: StaffMember,
    at: dt.datetime | None = None,
) -> TeamMembership:
    require_capability(actor, Capability.TEAM_MANAGE)
    at = at or timezone.now()
    require_works_with(staff=actor, client_id=client_id, at=at, purpose="team change")
    if not staff_member.is_active:
        raise ValidationError({"staff_member": [_("Työntekijä ei ole enää palveluksessa.")]})
    with transaction.atomic():
        if TeamMembership.objects.filter(
            client_id=client_id, staff_member=staff_member, ended_at__isnull=True
        ).exists():
            raise ValidationError({"staff_member": [_("Työntekijä on jo asiakkaan tiimissä.")]})
        membership = TeamMembership.objects.create(
            client_id=client_id, staff_member=staff_member, started_at=at, added_by=actor
        )
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.UPDATE,
                    outcome=Outcome.ALLOWED,
                    client_id=client_id,
                    categories=[DataCategory.PLAN],
                    basis=Basis.TEAM,
                    object_type="team_membership",
                    object_id=str(membership.pk),
                    purpose="team member added",
                )
            ],
            at=at,
        )
    return membership


def team_member_end(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    membership_id: int,
    at: dt.datetime | None = None,
) -> TeamMembership:
    require_capability(actor, Capability.TEAM_MANAGE)
    at = at or timezone.now()
    current = TeamMembership.objects.filter(
        pk=membership_id, client_id=client_id, ended_at__isnull=True
    )
    found = current.first()
    if found is None:
        raise ValidationError(_("Tiimin jäsenyyttä ei löytynyt tai se on jo päättynyt."))
    # Checked before the transaction, so a refusal's log entry is not rolled back with it.
    require_works_with(staff=actor, client_id=found.client_id, at=at, purpose="team change")
    with transaction.atomic():
        membership = current.select_for_update().first()
        if membership is None:
            raise ValidationError(_("Tiimin jäsenyyttä ei löytynyt tai se on jo päättynyt."))
        membership.ended_at = at
        membership.save(update_fields=["ended_at"])
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.UPDATE,
                    outcome=Outcome.ALLOWED,
                    client_id=membership.client_id,
                    categories=[DataCategory.PLAN],
                    basis=Basis.TEAM,
                    object_type="team_membership",
                    object_id=str(membership.pk),
                    purpose="team member removed",
                )
            ],
            at=at,
        )
    return membership


def client_entry_create(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    category: str,
    entry_date: dt.date,
    title: str,
    body: str,
    icf_codes: str = "",
    at: dt.datetime | None = None,
) -> ClientEntry:
    """Write an entry in the actor's own organisation's records, in a writable category."""
    require_capability(actor, Capability.CLIENT_RECORD_WRITE)
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    codes = ""
    try:
        codes = " ".join(str(c) for c in parse_icf_list(icf_codes))
    except IcfError as exc:
        errors["icf_codes"] = [_(exc.template).format(code=exc.code)]
    if category not in DataCategory.values:
        errors["category"] = [_("Valitse tietoryhmä.")]
    if not title.strip():
        errors["title"] = [_("Anna otsikko.")]
    if not body.strip():
        errors["body"] = [_("Kirjoita teksti.")]
    if entry_date > timezone.localdate(at):
        errors["entry_date"] = [_("Päivämäärä ei voi olla tulevaisuudessa.")]
    if errors:
        raise ValidationError(errors)
    ctx = access_context_load(client_id, at=at)
    decision = decide_write(
        actor, ctx, owner_organisation_id=actor.organisation_id, category=category
    )
    if not decision.allowed:
        raise deny_and_log(
            staff=actor, client_id=client_id, action=Action.CREATE, at=at, purpose="entry"
        )
    with transaction.atomic():
        entry = ClientEntry.objects.create(
            client_id=client_id,
            owner_organisation_id=actor.organisation_id,
            category=category,
            author=actor,
            entry_date=entry_date,
            title=title.strip(),
            body=body.strip(),
            icf_codes=codes,
            created_at=at,
        )
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.CREATE,
                    outcome=Outcome.ALLOWED,
                    client_id=client_id,
                    categories=[category],
                    basis=decision.basis,
                    object_type="client_entry",
                    object_id=str(entry.pk),
                    purpose="entry written",
                )
            ],
            at=at,
        )
    return entry


# The first meeting's mapping (DOMAIN.md §4 step 3): strengths and resources come first.
FIRST_MEETING_SECTIONS = (
    ("strengths", _lazy("Vahvuudet")),
    ("resources", _lazy("Voimavarat ja tukiverkosto")),
    ("situation", _lazy("Elämäntilanne ja sosiaalinen tilanne")),
    ("wishes", _lazy("Asiakkaan toiveet ja tavoitteet")),
    ("limitations", _lazy("Haasteet ja tuen tarve")),
    ("next_steps", _lazy("Sovitut seuraavat askeleet")),
)


def first_meeting_record(
    *,
    actor: StaffMember,
    client_id: uuid.UUID,
    entry_date: dt.date,
    sections: dict[str, str],
    icf_codes: str = "",
    at: dt.datetime | None = None,
) -> ClientEntry:
    """The first meeting's mapping as one social-situation entry with headed sections."""
    parts = [
        f"{label}\n{sections[key].strip()}"
        for key, label in FIRST_MEETING_SECTIONS
        if sections.get(key, "").strip()
    ]
    if not parts:
        raise ValidationError(_("Kirjoita ainakin yksi kohta."))
    return client_entry_create(
        actor=actor,
        client_id=client_id,
        category=DataCategory.SOCIAL,
        entry_date=entry_date,
        title=_("Ensitapaaminen: tilanteen kartoitus"),
        body="\n\n".join(parts),
        icf_codes=icf_codes,
        at=at,
    )
