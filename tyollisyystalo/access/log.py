"""The log writes for reads: everything one request read of a client, in one append."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from tyollisyystalo.access.gatekeeper import Decision
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.staff.models import StaffMember

if TYPE_CHECKING:
    from tyollisyystalo.access.client_access import ClientAccess
    from tyollisyystalo.organisations.models import Unit


def deny_and_log(
    *, staff: StaffMember, client_id: uuid.UUID, action: Action, at: dt.datetime, purpose: str
) -> Http404:
    """Log a denied attempt and return the 404 to raise: missing and forbidden look alike."""
    access_log_append(
        actor=staff,
        events=[
            LogEvent(action=action, outcome=Outcome.DENIED, client_id=client_id, purpose=purpose)
        ],
        at=at,
    )
    return Http404(_("Asiakasta ei löytynyt."))


@dataclass(frozen=True)
class Read:
    """One category read under one decision, as part of one object (a card section, a path)."""

    category: str
    decision: Decision
    object_type: str
    object_id: str


def read_of(
    access: ClientAccess, *, owner: int, category: str, object_type: str, object_id: str = ""
) -> Read:
    """A read of ``category`` owned by ``owner``; only for a pair the access allows."""
    decision = access.decision(owner, category)
    if not decision.allowed:
        raise ValueError("a read the access does not allow")
    return Read(category, decision, object_type, object_id or str(access.client_id))


def service_use_read(
    access: ClientAccess,
    organisation_id: int,
    unit: Unit | None,
    *,
    object_type: str,
) -> Read:
    """A read of the fact that the client uses ``organisation_id``'s services (in ``unit``)."""
    category = unit.data_category if unit is not None and unit.data_category else "identity"
    return read_of(access, owner=organisation_id, category=category, object_type=object_type)


def identity_read(access: ClientAccess, *, object_type: str) -> Read:
    if not access.identity.allowed:
        raise ValueError("a read the access does not allow")
    return Read("identity", access.identity, object_type, str(access.client_id))


def reads_from(
    read: Mapping[tuple[Basis, int | None], Iterable[str]], *, object_type: str, object_id: str
) -> tuple[Read, ...]:
    """Reads from the (basis, consent) -> categories shape the standalone selectors log."""
    return tuple(
        Read(category, Decision(True, basis, consent_id), object_type, object_id)
        for (basis, consent_id), categories in read.items()
        for category in categories
    )


def read_events(access: ClientAccess, reads: Iterable[Read]) -> list[LogEvent]:
    """One allowed-read event per object and legal basis (and consent), with its categories."""
    grouped: dict[tuple[str, str, Basis, int | None], set[str]] = defaultdict(set)
    for read in reads:
        key = (read.object_type, read.object_id, read.decision.basis, read.decision.consent_id)
        grouped[key].add(read.category)
    return [
        LogEvent(
            action=Action.READ,
            outcome=Outcome.ALLOWED,
            client_id=access.client_id,
            categories=sorted(categories),
            basis=basis,
            consent_id=consent_id,
            object_type=object_type,
            object_id=object_id,
            purpose=access.purpose,
        )
        for (object_type, object_id, basis, consent_id), categories in sorted(
            grouped.items(), key=str
        )
    ]


def reads_log(access: ClientAccess, reads: Iterable[Read]) -> None:
    """Append all reads of one request with one call."""
    access_log_append(actor=access.staff, events=read_events(access, reads), at=access.at)
