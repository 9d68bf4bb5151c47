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


@dataclass(frozen=True)
class ClientLink:
    """A register row's link to a client: whose record it is, in which category."""

    client_id: uuid.UUID
    owner_organisation_id: int
    category: str
    object_type: str
    object_id: str


def client_links_decide(
    *, staff: StaffMember, links: Iterable[ClientLink], purpose: str
) -> dict[ClientLink, str]:
    """The links whose client the reader may see, with the client's name, decided by the
    gatekeeper in a constant number of queries (the record's pair and the identity); every
    client shown is logged as read with one append for the request. A link not in the result
    must be shown without the client."""
    links = list(links)
    contexts = access_contexts_load({link.client_id for link in links})
    shown: dict[ClientLink, Decision] = {}
    for link in links:
        ctx = contexts[link.client_id]
        record = decide_read(
            staff, ctx, owner_organisation_id=link.owner_organisation_id, category=link.category
        )
        if record.allowed and decide_identity(staff, ctx).allowed:
            shown[link] = record
    names = {
        identity.client_id: identity.full_name
        for identity in ClientIdentity.objects.filter(
            client_id__in={link.client_id for link in shown}
        ).only("client_id", "first_names", "last_name")
    }
    events = {  # one read per client shown, whatever the number of its rows
        link.client_id: LogEvent(
            action=Action.READ,
            outcome=Outcome.ALLOWED,
            client_id=link.client_id,
            categories=[DataCategory.IDENTITY, link.category],
            basis=decision.basis,
            consent_id=decision.consent_id,
            object_type=link.object_type,
            object_id=link.object_id,
            purpose=purpose,
        )
        for link, decision in shown.items()
    }
    if events:
        access_log_append(actor=staff, events=list(events.values()))
    return {link: names.get(link.client_id, "") for link in shown}


def contact_rows(
    *, staff: StaffMember, contacts: Iterable[EmployerContact], purpose: str
) -> list[ContactRow]:
    """The rows with client links decided by the gatekeeper (``client_links_decide``)."""
    contacts = list(contacts)
    links = {
        contact.pk: ClientLink(
            contact.client_id,
            contact.owner_organisation_id,
            DataCategory.EDUCATION_WORK,
            "employers.EmployerContact",
            str(contact.pk),
        )
        for contact in contacts
        if contact.client_id is not None and contact.owner_organisation_id is not None
    }
    shown = client_links_decide(staff=staff, links=links.values(), purpose=purpose)
    rows = []
    for contact in contacts:
        link = links.get(contact.pk)
        if contact.client_id is None:
            rows.append(ContactRow(contact, False, "", contact.notes))
        elif link is not None and link in shown:
            rows.append(ContactRow(contact, True, shown[link], contact.notes))
        else:
            rows.append(ContactRow(contact, False, "", ""))
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
