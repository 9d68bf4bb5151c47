"""Reads of the employer register, always within the teams the reader may see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from tyollisyystalo.access.gatekeeper import (
    Decision,
    access_contexts_load,
    decide_identity,
    decide_read,
)
from tyollisyystalo.audit.models import Action, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.employers.access import register_teams
from tyollisyystalo.employers.models import (
    CoachingTeam,
    Employer,
    EmployerContact,
    RegisterVisit,
    Sector,
)
from tyollisyystalo.staff.models import StaffMember


def team_get(*, staff: StaffMember, team_id: int) -> CoachingTeam:
    """The team if the staff member may read its register; otherwise 404 (nothing is told)."""
    team = register_teams(staff).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


@dataclass(frozen=True)
class EmployerQuery:
    text: str = ""
    sector: str = ""
    municipality: str = ""


def employer_search(*, team: CoachingTeam, query: EmployerQuery) -> QuerySet[Employer]:
    """Current (not merged) employers of a team matching the query, with the last contact date.

    Owner and municipality are joined; the page's last contact dates come from
    ``employer_rows_attach``.
    """
    rows = Employer.objects.filter(team=team, merged_into__isnull=True)
    text = query.text.strip()
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(business_id__startswith=text))
    if query.sector:
        rows = rows.filter(sector=query.sector)
    if query.municipality:
        rows = rows.filter(municipality__code=query.municipality)
    return rows.select_related("owner__user", "municipality").order_by("name", "pk")


def employer_rows_attach(employers: Iterable[Employer]) -> list[Employer]:
    """Set ``last_contact_on`` and ``sector_label`` on one page of employers.

    The last contacts come from one grouped query over the page's contacts only, never the
    whole register's; the sector labels are translated once per page (``get_sector_display``
    rebuilds the whole choice table for every row).
    """
    employers = list(employers)
    labels = {value: str(label) for value, label in Sector.choices}
    last = dict(
        EmployerContact.objects.filter(employer__in=employers)
        .values("employer")
        .annotate(last=Max("contacted_on"))
        .values_list("employer", "last")
    )
    for employer in employers:
        employer.last_contact_on = last.get(employer.pk)  # type: ignore[attr-defined]
        employer.sector_label = labels.get(employer.sector, employer.sector)  # type: ignore[attr-defined]
    return employers


def employer_get(*, staff: StaffMember, employer_id: int) -> Employer:
    """An employer of a team the staff member may read (merged ones too); otherwise 404."""
    employer = (
        Employer.objects.select_related("team", "owner__user", "municipality", "merged_into")
        .filter(pk=employer_id, team__in=register_teams(staff))
        .annotate(last_contact_on=Max("contacts__contacted_on"))
        .first()
    )
    if employer is None:
        raise Http404
    return employer


@dataclass(frozen=True)
class ContactRow:
    """A contact log row as one reader may see it: the client and the notes only when the
    gatekeeper lets the reader read that client; otherwise only that a contact was made."""

    contact: EmployerContact
    client_shown: bool
    client_name: str
    notes: str

    @property
    def about_a_client(self) -> bool:
        return self.contact.client_id is not None


def contact_rows(
    *, staff: StaffMember, contacts: Iterable[EmployerContact], purpose: str
) -> list[ContactRow]:
    """The rows with client links decided by the gatekeeper in a constant number of queries;
    every client whose name is shown is logged as read (one append for the request)."""
    contacts = list(contacts)
    client_ids = {c.client_id for c in contacts if c.client_id is not None}
    contexts = access_contexts_load(client_ids)
    shown: dict[tuple[uuid.UUID, int], Decision] = {}
    for contact in contacts:
        if contact.client_id is None:
            continue
        ctx = contexts[contact.client_id]
        record = decide_read(
            staff,
            ctx,
            owner_organisation_id=contact.owner_organisation_id,
            category=DataCategory.EDUCATION_WORK,
        )
        if record.allowed and decide_identity(staff, ctx).allowed:
            shown[(contact.client_id, contact.owner_organisation_id)] = record
    identities = {
        identity.client_id: identity.full_name
        for identity in ClientIdentity.objects.filter(
            client_id__in={client_id for client_id, _owner in shown}
        ).only("client_id", "first_names", "last_name")
    }
    rows = []
    events: dict[uuid.UUID, LogEvent] = {}
    for contact in contacts:
        if contact.client_id is None:
            rows.append(ContactRow(contact, False, "", contact.notes))
        elif decision := shown.get((contact.client_id, contact.owner_organisation_id)):
            rows.append(
                ContactRow(contact, True, identities.get(contact.client_id, ""), contact.notes)
            )
            events[contact.client_id] = LogEvent(
                action=Action.READ,
                outcome=Outcome.ALLOWED,
                client_id=contact.client_id,
                categories=[DataCategory.IDENTITY, DataCategory.EDUCATION_WORK],
                basis=decision.basis,
                consent_id=decision.consent_id,
                object_type="employers.EmployerContact",
                object_id=str(contact.pk),
                purpose=purpose,
            )
        else:
            rows.append(ContactRow(contact, False, "", ""))
    if events:
        access_log_append(actor=staff, events=list(events.values()))
    return rows


def employer_contacts(*, employer: Employer, limit: int = 100) -> QuerySet[EmployerContact]:
    return EmployerContact.objects.filter(employer=employer).select_related(
        "coach__user", "contact_person"
    )[:limit]


def owner_notices(*, staff: StaffMember, team: CoachingTeam) -> QuerySet[EmployerContact]:
    """Other coaches' contacts with the staff member's own employers since their last visit."""
    seen = RegisterVisit.objects.filter(staff=staff, team=team, seen_at__gte=OuterRef("created_at"))
    rows = (
        EmployerContact.objects.filter(
            employer__team=team, employer__owner=staff, employer__merged_into__isnull=True
        )
        .exclude(coach=staff)
        .exclude(Exists(seen))
    )
    return rows.select_related("employer", "coach__user").order_by("-created_at")[:50]


def callbacks_due(*, staff: StaffMember, today: dt.date) -> QuerySet[EmployerContact]:
    """The coach's own contacts whose next step is due by ``today`` and not done: the
    "employers to call back" of the coach's worklist (a hook for the worklist page)."""
    return (
        EmployerContact.objects.filter(
            coach=staff,
            next_step_on__lte=today,
            next_step_done_at__isnull=True,
            employer__merged_into__isnull=True,
        )
        .select_related("employer")
        .order_by("next_step_on", "pk")
    )
