"""Reads of referrals: which side of a referral a person is on, and what each side sees.

The view depends only on the reader's side (ADR 0014, rule R4):

- the receiving organisation's professionals with ``REFERRAL_HANDLE`` get the receiver's view,
  whatever consents exist;
- the sending organisation's staff whom the gatekeeper lets read the path (sender, plan) get
  the sender's view;
- anyone else gets a logged 404.

While the referral waits for an answer, the receiver sees the referral and, of the shared
categories, those that a consent still covers from the sender to the receiver and that the
reader's role needs. After it (any status but ``sent``), the receiver sees the referral's own
fields and the client's data only as the ordinary gatekeeper allows.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import (
    AccessContext,
    ConsentGrant,
    Decision,
    access_context_load,
    access_contexts_load,
    consent_grant_for,
    decide_identity,
    decide_read,
    decide_write,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability, may_read_category
from tyollisyystalo.audit.models import Action, Basis
from tyollisyystalo.audit.services import access_log_list_reads, access_log_reads
from tyollisyystalo.cases.models import Case
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientEntry, ClientIdentity
from tyollisyystalo.clients.selectors import names_of
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.staff.models import StaffMember

CATEGORY = DataCategory.PLAN
SHARED_ENTRY_LIMIT = 50

Read = dict[tuple[Basis, int | None], set[str]]


class Side(enum.StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


def referral_side(staff: StaffMember, referral: Referral, ctx: AccessContext) -> Side | None:
    """The reader's side of the referral, from their organisation and role only (R4)."""
    if not staff.is_active:
        return None
    if staff.organisation_id == referral.receiving_organisation_id:
        return Side.RECEIVER if staff.can(Capability.REFERRAL_HANDLE) else None
    if staff.organisation_id != referral.owner_organisation_id:
        return None
    sender = decide_read(
        staff, ctx, owner_organisation_id=referral.owner_organisation_id, category=CATEGORY
    )
    return Side.SENDER if sender.allowed else None


@dataclass
class ReferralPage:
    referral: Referral
    side: Side
    identity: ClientIdentity | None
    entries: list[ClientEntry] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # shared, no longer consented
    texts_visible: bool = True  # reason, answer and result: client data of the sender
    more_exists: bool = False  # shared data the reader may not see, said without what
    can_cancel: bool = False

    @property
    def awaiting_answer(self) -> bool:
        return self.referral.status == ReferralStatus.SENT

    @property
    def can_answer(self) -> bool:
        return self.side == Side.RECEIVER and self.awaiting_answer

    @property
    def can_complete(self) -> bool:
        return self.side == Side.RECEIVER and self.referral.status == ReferralStatus.ACCEPTED


def referral_get(
    *, staff: StaffMember, referral_id: uuid.UUID, purpose: str, at: dt.datetime | None = None
) -> ReferralPage:
    at = at or timezone.now()
    referral = (
        Referral.objects.select_related(
            "owner_organisation",
            "receiving_organisation",
            "service",
            "sent_by__user",
            "answered_by__user",
            "case",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404(_("Lähetettä ei löytynyt."))
    ctx = access_context_load(referral.client_id, at=at)
    side = referral_side(staff, referral, ctx)
    if side is None:
        raise deny_and_log(
            staff=staff, client_id=referral.client_id, action=Action.READ, at=at, purpose=purpose
        )
    read: Read = defaultdict(set)
    if side == Side.SENDER:
        page = _sender_page(staff, referral, ctx, read)
    elif referral.status == ReferralStatus.SENT:
        page = _receiver_page_before_answer(staff, referral, ctx, read)
    else:
        page = _receiver_page_after_answer(staff, referral, ctx, read)
    access_log_reads(
        actor=staff,
        client_id=referral.client_id,
        read=read,
        object_type="referral",
        object_id=str(referral.pk),
        purpose=purpose,
        at=at,
    )
    return page


def _add(read: Read, decision: Decision, category: str) -> None:
    read[(decision.basis, decision.consent_id)].add(category)


def _grant_basis(grant: ConsentGrant) -> tuple[Basis, int]:
    return (Basis.STATUTE if grant.is_statute else Basis.CONSENT, grant.consent_id)


def _sender_page(
    staff: StaffMember, referral: Referral, ctx: AccessContext, read: Read
) -> ReferralPage:
    """The path's own record: read under the sender's (plan) decision; identity by R2."""
    owner = referral.owner_organisation_id
    _add(read, decide_read(staff, ctx, owner_organisation_id=owner, category=CATEGORY), CATEGORY)
    identity = _identity_by_r2(staff, ctx, read)
    may_write = staff.can(Capability.CLIENT_RECORD_WRITE) and (
        decide_write(staff, ctx, owner_organisation_id=owner, category=CATEGORY).allowed
    )
    return ReferralPage(
        referral,
        Side.SENDER,
        identity,
        can_cancel=may_write and referral.status == ReferralStatus.SENT,
    )


def _identity_by_r2(staff: StaffMember, ctx: AccessContext, read: Read) -> ClientIdentity | None:
    decision = decide_identity(staff, ctx)
    if not decision.allowed:
        return None
    _add(read, decision, DataCategory.IDENTITY)
    return ClientIdentity.objects.get(client_id=ctx.client_id)


def _sender_entries(referral: Referral, categories: list[str]) -> list[ClientEntry]:
    if not categories:
        return []
    return list(
        ClientEntry.objects.filter(
            client_id=referral.client_id,
            owner_organisation_id=referral.owner_organisation_id,
            category__in=categories,
        ).select_related("author__user")[:SHARED_ENTRY_LIMIT]
    )


def _referral_itself(referral: Referral, read: Read) -> None:
    """The referral itself was disclosed to the receiver under the consent it was sent with."""
    if referral.disclosed_under_id is None:
        read[(Basis.NONE, None)].add(CATEGORY)
    else:
        read[(Basis.CONSENT, referral.disclosed_under_id)].add(CATEGORY)


def _receiver_page_before_answer(
    staff: StaffMember, referral: Referral, ctx: AccessContext, read: Read
) -> ReferralPage:
    """The referral and the shared categories still consented that the reader's role needs."""
    _referral_itself(referral, read)
    shown: list[str] = []
    withdrawn: list[str] = []
    more_exists = False
    for category in referral.categories:
        if not may_read_category(staff.role, category):
            more_exists = True
            continue
        grant = consent_grant_for(
            ctx,
            disclosing=referral.owner_organisation_id,
            receiving=referral.receiving_organisation_id,
            category=category,
        )
        if grant is None:
            withdrawn.append(category)
            continue
        read[_grant_basis(grant)].add(category)
        shown.append(category)
    identity = None
    if DataCategory.IDENTITY in shown:
        identity = ClientIdentity.objects.get(client_id=referral.client_id)
    entries = _sender_entries(referral, [c for c in shown if c != DataCategory.IDENTITY])
    return ReferralPage(
        referral, Side.RECEIVER, identity, entries, withdrawn, more_exists=more_exists
    )


def _receiver_page_after_answer(
    staff: StaffMember, referral: Referral, ctx: AccessContext, read: Read
) -> ReferralPage:
    """The referral's own fields; the client's data only as the gatekeeper allows (R1, R2)."""
    owner = referral.owner_organisation_id
    texts = decide_read(staff, ctx, owner_organisation_id=owner, category=CATEGORY)
    if texts.allowed:
        _add(read, texts, CATEGORY)
    else:
        _referral_itself(referral, read)
    identity = _identity_by_r2(staff, ctx, read)
    readable: list[str] = []
    for category in referral.categories:
        if category == DataCategory.IDENTITY:
            continue
        decision = decide_read(staff, ctx, owner_organisation_id=owner, category=category)
        if decision.allowed:
            _add(read, decision, category)
            readable.append(category)
    shared = [c for c in referral.categories if c != DataCategory.IDENTITY]
    hidden = len(readable) < len(shared) or identity is None
    return ReferralPage(
        referral,
        Side.RECEIVER,
        identity,
        _sender_entries(referral, readable),
        texts_visible=texts.allowed,
        more_exists=hidden or not texts.allowed,
    )


def case_referrals(case: Case) -> list[Referral]:
    """The referrals sent on a path, for its page (read under the path's decision and log)."""
    return list(
        Referral.objects.filter(case=case).select_related("receiving_organisation", "service")
    )


@dataclass(frozen=True)
class Incoming:
    referral: Referral
    identity: ClientIdentity | None


INCOMING_LIMIT = 100


def referrals_incoming(*, staff: StaffMember, at: dt.datetime | None = None) -> list[Incoming]:
    """Referrals to the staff member's organisation waiting for an answer or for completion.

    A referral awaiting an answer is named when the receiver's view would show the client's
    identity (consented and needed by the role); otherwise only when the gatekeeper lets the
    reader read the identity ordinarily (R2). A fixed number of queries.
    """
    if not staff.is_active or not staff.can(Capability.REFERRAL_HANDLE):
        return []
    at = at or timezone.now()
    referrals = list(
        Referral.objects.filter(
            Q(status=ReferralStatus.SENT) | Q(status=ReferralStatus.ACCEPTED),
            receiving_organisation_id=staff.organisation_id,
        )
        .select_related("owner_organisation", "service")
        .order_by("answer_due_on", "created_at")[:INCOMING_LIMIT]
    )
    contexts = access_contexts_load({r.client_id for r in referrals}, at=at)
    bases: dict[uuid.UUID, tuple[Basis, int | None]] = {}
    named: set[uuid.UUID] = set()
    reads_identity = may_read_category(staff.role, DataCategory.IDENTITY)
    for referral in referrals:
        ctx = contexts[referral.client_id]
        basis: tuple[Basis, int | None] | None = None
        if (
            referral.status == ReferralStatus.SENT
            and reads_identity
            and DataCategory.IDENTITY in referral.categories
        ):
            grant = consent_grant_for(
                ctx,
                disclosing=referral.owner_organisation_id,
                receiving=staff.organisation_id,
                category=DataCategory.IDENTITY,
            )
            if grant is not None:
                basis = _grant_basis(grant)
        if basis is None:
            decision = decide_identity(staff, ctx)
            if decision.allowed:
                basis = (decision.basis, decision.consent_id)
        if basis is not None:
            named.add(referral.pk)
            bases.setdefault(referral.client_id, basis)
    identities = names_of(bases)
    access_log_list_reads(
        actor=staff,
        bases=bases,
        categories=[DataCategory.IDENTITY],
        object_type="referral_inbox",
        object_id=str(staff.organisation_id),
        purpose="incoming referrals",
        at=at,
    )
    return [Incoming(r, identities.get(r.client_id) if r.pk in named else None) for r in referrals]
