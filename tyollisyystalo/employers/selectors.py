"""Reads of the employer register, always within the teams the reader may see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from tyollisyystalo.access.gatekeeper import Decision, record_decisions
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
from tyollisyystalo.shared.links import int_links
from tyollisyystalo.staff.models import StaffMember, display_name_of


def team_get(*, staff: StaffMember, team_id: int) -> CoachingTeam:
    """The team if the staff member may read its register; otherwise 404 (nothing is told).

    The team carries when the staff member last opened its register (``last_visit_at``).
    """
    seen = RegisterVisit.objects.filter(staff=staff.pk, team=OuterRef("pk")).values("seen_at")
    team = (
        register_teams(staff).filter(pk=team_id).annotate(staff_seen_at=Subquery(seen[:1])).first()
    )
    if team is None:
        raise Http404
    return team


def last_visit_at(*, staff: StaffMember, team: CoachingTeam) -> dt.datetime | None:
    """When the staff member last opened the team's register front page; None: never."""
    if getattr(team, "facts_for_staff", None) == staff.pk and hasattr(team, "staff_seen_at"):
        return team.staff_seen_at  # loaded by team_get
    visits = RegisterVisit.objects.filter(staff=staff, team=team)
    return visits.values_list("seen_at", flat=True).first()


@dataclass(frozen=True)
class EmployerQuery:
    text: str = ""
    sector: str = ""
    municipality: str = ""


def employer_search(*, team: CoachingTeam, query: EmployerQuery) -> QuerySet[Employer]:
    """Current (not merged) employers of a team matching the query, in name order.

    On PostgreSQL the name search is served by a trigram index (migration 0005).
    """
    rows = Employer.objects.filter(team=team, merged_into__isnull=True)
    text = query.text.strip()
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(business_id__startswith=text))
    if query.sector:
        rows = rows.filter(sector=query.sector)
    if query.municipality:
        rows = rows.filter(municipality__code=query.municipality)
    return rows.order_by("name", "pk")


PAGE_SIZE = 25
COUNT_CAP = 1_000  # beyond this many matches the page says "over 1,000" instead of counting


@dataclass(frozen=True)
class RegisterRow:
    """One employer of a register page, as shown: texts and link worked out once per page."""

    url: str
    name: str
    business_id: str
    sector: str
    municipality: str
    owner: str
    last_contact: str  # "" when there has been no contact


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    number: int
    count: int  # the matches, exact up to COUNT_CAP
    over_cap: bool  # more than COUNT_CAP matches
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def register_page(*, team: CoachingTeam, query: EmployerQuery, number: int) -> RegisterPage:
    """One page of the register search, with each row's last contact date, in two queries
    whatever the register's size (a third only for a page past the end of over ``COUNT_CAP``
    matches): the count stops at ``COUNT_CAP`` + 1 rows, and the last contact of each row of
    the page is read from the contacts index, never aggregated over the register's contacts.
    A page past the end shows the last page.
    """
    matches = employer_search(team=team, query=query)
    count = matches.order_by()[: COUNT_CAP + 1].count()
    if count <= COUNT_CAP:
        number = min(number, max(1, -(-count // PAGE_SIZE)))
    elif number > 1 and not matches[(number - 1) * PAGE_SIZE :].exists():
        number = -(-matches.count() // PAGE_SIZE)
    last_contact = EmployerContact.objects.filter(employer=OuterRef("pk")).order_by("-contacted_on")
    start = (number - 1) * PAGE_SIZE
    values = matches.values_list(
        "pk",
        "name",
        "business_id",
        "sector",
        "municipality__name_fi",
        "owner__user__first_name",
        "owner__user__last_name",
        "owner__user__username",
    ).annotate(last_contact_on=Subquery(last_contact.values("contacted_on")[:1]))
    found = list(values[start : start + PAGE_SIZE + 1])
    sectors = {value: str(label) for value, label in Sector.choices}
    url = int_links("employers:detail")
    rows = [
        RegisterRow(
            url=url(pk),
            name=name,
            business_id=business_id or "–",
            sector=sectors.get(sector, sector),
            municipality=municipality or "–",
            owner=display_name_of(first, last, username) if username else "–",
            last_contact=f"{on.day}.{on.month}.{on.year}" if on else "",
        )
        for pk, name, business_id, sector, municipality, first, last, username, on in found[
            :PAGE_SIZE
        ]
    ]
    return RegisterPage(
        rows=rows,
        number=number,
        count=min(count, COUNT_CAP),
        over_cap=count > COUNT_CAP,
        has_next=len(found) > PAGE_SIZE,
    )


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
    gatekeeper in a constant number of queries (``record_decisions``); every
    client shown is logged as read with one append for the request. A link not in the result
    must be shown without the client."""
    links = list(links)
    decisions = record_decisions(
        staff, [(link.client_id, link.owner_organisation_id, link.category) for link in links]
    )
    shown: dict[ClientLink, Decision] = {}
    for link in links:
        record, identity = decisions[(link.client_id, link.owner_organisation_id, link.category)]
        if record.allowed and identity.allowed:
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
    """Other coaches' contacts with the staff member's own employers since their last visit.

    Only contacts logged after the visit are read (indexes on the contacts' creation time):
    never the owner's whole history, which grows with every contact.
    """
    rows = EmployerContact.objects.filter(
        employer__team=team, employer__owner=staff, employer__merged_into__isnull=True
    ).exclude(coach=staff)
    seen_at = last_visit_at(staff=staff, team=team)
    if seen_at is not None:
        rows = rows.filter(created_at__gt=seen_at)
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
