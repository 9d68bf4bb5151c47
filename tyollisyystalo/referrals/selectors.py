"""Reads of referrals: the one gatekeeper for them, and what the receiver may see.

The sender's team reads a referral as part of the path (plan data of the sending organisation).
The receiving organisation's professionals read the referral and, of the client's data, only
the categories shared in it — and each only while the client's consent still covers it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import (
    AccessContext,
    access_context_load,
    access_contexts_load,
    consent_grant_for,
    decide_read,
)
from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
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


@dataclass
class ReferralPage:
    referral: Referral
    side: str  # "sender" or "receiver"
    identity: ClientIdentity | None
    entries: list[ClientEntry] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # shared, but no longer consented

    @property
    def can_answer(self) -> bool:
        return self.side == "receiver" and self.referral.status == ReferralStatus.SENT

    @property
    def can_complete(self) -> bool:
        return self.side == "receiver" and self.referral.status == ReferralStatus.ACCEPTED


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
    sender = decide_read(
        staff, ctx, owner_organisation_id=referral.owner_organisation_id, category=CATEGORY
    )
    read: dict[tuple[Basis, int | None], set[str]] = defaultdict(set)
    if sender.allowed:
        read[(sender.basis, sender.consent_id)].add(CATEGORY)
        identity = None
        identity_decision = decide_read(
            staff,
            ctx,
            owner_organisation_id=referral.owner_organisation_id,
            category=DataCategory.IDENTITY,
        )
        if identity_decision.allowed:
            identity = ClientIdentity.objects.get(client_id=referral.client_id)
            read[(identity_decision.basis, None)].add(DataCategory.IDENTITY)
        page = ReferralPage(referral, "sender", identity)
    elif (
        staff.is_active
        and staff.organisation_id == referral.receiving_organisation_id
        and staff.can(Capability.REFERRAL_HANDLE)
    ):
        page = _receiver_page(referral, ctx, read)
    else:
        raise deny_and_log(
            staff=staff, client_id=referral.client_id, action=Action.READ, at=at, purpose=purpose
        )
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


def _receiver_page(
    referral: Referral, ctx: AccessContext, read: dict[tuple[Basis, int | None], set[str]]
) -> ReferralPage:
    """The referral itself (a disclosure made with consent) and the shared, consented data."""
    consented: dict[str, int] = {}
    withdrawn: list[str] = []
    for category in referral.categories:
        grant = consent_grant_for(
            ctx,
            disclosing=referral.owner_organisation_id,
            receiving=referral.receiving_organisation_id,
            category=category,
        )
        if grant is None:
            withdrawn.append(category)
        else:
            consented[category] = grant.consent_id
    for category, consent in consented.items():
        read[(Basis.CONSENT, consent)].add(category)
    # The referral's own reason and status are what was disclosed by sending it.
    any_consent = next(iter(consented.values()), None)
    read[(Basis.CONSENT, any_consent)].add(CATEGORY)
    identity = None
    if DataCategory.IDENTITY in consented:
        identity = ClientIdentity.objects.get(client_id=referral.client_id)
    entry_categories = [c for c in consented if c != DataCategory.IDENTITY]
    entries = list(
        ClientEntry.objects.filter(
            client_id=referral.client_id,
            owner_organisation_id=referral.owner_organisation_id,
            category__in=entry_categories,
        ).select_related("author__user")[:SHARED_ENTRY_LIMIT]
    )
    return ReferralPage(referral, "receiver", identity, entries, withdrawn)


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

    Names are shown only while the client's consent covers identity for the receiver.
    A fixed number of queries whatever the number of referrals.
    """
    if not staff.can(Capability.REFERRAL_HANDLE):
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
    named: dict[uuid.UUID, int] = {}
    for referral in referrals:
        grant = consent_grant_for(
            contexts[referral.client_id],
            disclosing=referral.owner_organisation_id,
            receiving=staff.organisation_id,
            category=DataCategory.IDENTITY,
        )
        if grant is not None:
            named[referral.client_id] = grant.consent_id
    identities = names_of(named)
    access_log_list_reads(
        actor=staff,
        bases={client_id: (Basis.CONSENT, consent) for client_id, consent in named.items()},
        categories=[DataCategory.IDENTITY],
        object_type="referral_inbox",
        object_id=str(staff.organisation_id),
        purpose="incoming referrals",
        at=at,
    )
    return [Incoming(r, identities.get(r.client_id)) for r in referrals]
