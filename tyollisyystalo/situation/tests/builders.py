"""Small datasets for the situation picture's tests: clients with a home municipality and a
birth date, paths with exact dates, and what happened on them. Built with the ORM directly so
each date is exactly the one the hand-worked figures in the tests speak of."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html import unescape

from django.utils import timezone

from conftest import StaffFactory
from tyollisyystalo.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseStatus,
    EventKind,
)
from tyollisyystalo.catalogue.models import (
    Attribute,
    CatalogueOrganization,
    ProviderKind,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

D = dt.date
BORN = D(1990, 6, 1)
URL = "/johtaminen/tilannekuva/"
Q1 = "period=2026-Q1"
H = "< 5"  # a count of 1–4 people
X = "x"  # hidden beside a small figure, or a median or share of too few


def municipality(code: str, name: str) -> Municipality:
    found, _created = Municipality.objects.get_or_create(code=code, defaults={"name_fi": name})
    return found


def person(
    organisation: Organisation,
    *,
    municipality: Municipality | None,
    born: dt.date | None = BORN,
) -> Client:
    client = Client.objects.create(registered_by=organisation)
    ClientIdentity.objects.create(
        client=client,
        birth_date=born,
        first_names="Testi",
        last_name="Henkilö",
        search_name="henkilö testi",
        municipality=municipality,
    )
    return client


def coordinator(organisation: Organisation) -> StaffMember:
    held = StaffMember.objects.filter(organisation=organisation, role=Role.COORDINATOR).first()
    return held or StaffFactory.create(organisation=organisation, role=Role.COORDINATOR)


def path(
    client: Client,
    organisation: Organisation,
    *,
    referred: dt.date,
    route: str = "employment_services",
    started: dt.date | None = None,
    active: dt.date | None = None,
    closed: dt.date | None = None,
    outcome: str = "",
) -> Case:
    """A path with exactly these dates; the move to active is a status event."""
    status = (
        CaseStatus.CLOSED
        if closed
        else CaseStatus.ACTIVE
        if active
        else CaseStatus.INTAKE
        if started
        else CaseStatus.REFERRED
    )
    actor = coordinator(organisation)
    case = Case.objects.create(
        client=client,
        owner_organisation=organisation,
        category=DataCategory.PLAN,
        entry_route=route,
        coordinator=actor,
        status=status,
        referred_on=referred,
        started_on=started,
        closed_on=closed,
        outcome=outcome,
        outcome_on=closed if outcome else None,
    )
    if active:
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.STATUS,
            effective_on=active,
            actor=actor,
            from_status=CaseStatus.INTAKE,
            to_status=CaseStatus.ACTIVE,
        )
    return case


def plan(case: Case, started: dt.date, *versions: tuple[dt.date, list[tuple[str, str]]]) -> Plan:
    """A plan and its versions: (saved on, [(service id, action status), ...])."""
    made = Plan.objects.create(
        client=case.client,
        owner_organisation=case.owner_organisation,
        category=DataCategory.PLAN,
        case=case,
        plan_type="client",
        started_on=started,
    )
    for number, (saved, actions) in enumerate(versions, start=1):
        content = {
            "actions": [
                {"id": f"a{n}", "what": "Palvelu", "service_id": service, "status": status}
                for n, (service, status) in enumerate(actions)
            ]
        }
        PlanVersion.objects.create(
            plan=made,
            number=number,
            content_json=json.dumps(content),
            created_by=coordinator(case.owner_organisation),
            created_at=_moment(saved),
        )
    return made


def review(
    case: Case,
    due: dt.date,
    *,
    done: dt.date | None = None,
    kind: str = "interim_review",
    cancelled: dt.date | None = None,
) -> CaseDeadline:
    return CaseDeadline.objects.create(
        case=case,
        kind=kind,
        due_on=due,
        done_on=done,
        done_by=coordinator(case.owner_organisation) if done else None,
        cancelled_at=None
        if cancelled is None
        else timezone.make_aware(dt.datetime.combine(cancelled, dt.time(12))),
    )


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def referral(
    case: Case,
    receiver: Organisation,
    *,
    sent: dt.date,
    due: dt.date,
    service: Service | None = None,
    answered: dt.date | None = None,
    status: str = "sent",
) -> Referral:
    return Referral.objects.create(
        client=case.client,
        owner_organisation=case.owner_organisation,
        category=DataCategory.EMPLOYMENT_SERVICES,
        created_at=_moment(sent),
        case=case,
        service=service,
        receiving_organisation=receiver,
        reason="Synteettinen syy",
        shared_categories="",
        status=status,
        sent_by=coordinator(case.owner_organisation),
        answer_due_on=due,
        answered_at=None if answered is None else _moment(answered),
        answered_by=coordinator(case.owner_organisation) if answered else None,
        decline_reason="Ei tilaa" if status == "declined" else "",
        completed_at=_moment(answered) if status == "completed" and answered else None,
    )


def answers(
    client: Client,
    organisation: Organisation,
    key: str,
    answered: dt.date,
    values: dict[str, int],
) -> InstrumentResponse:
    return InstrumentResponse.objects.create(
        client=client,
        owner_organisation=organisation,
        category=DataCategory.ASSESSMENTS,
        instrument_key=key,
        instrument_version="1",
        answered_on=answered,
        respondent="professional",
        entered_by=coordinator(organisation),
        answers_json=json.dumps({k: str(Decimal(v)) for k, v in values.items()}),
        result_json="{}",
    )


def area_service(source_id: str, areas: list[str]) -> Service:
    """A catalogue service in the given areas of life (the area terms made if missing)."""
    taxonomy, _created = Taxonomy.objects.get_or_create(
        code="tt-area", defaults={"name": "Elämän alueet", "description": "Alueet"}
    )
    provider, _created = CatalogueOrganization.objects.get_or_create(
        source_id="prov-test", defaults={"name_fi": "Tuottaja", "kind": ProviderKind.PUBLIC}
    )
    service, created = Service.objects.get_or_create(
        source_id=source_id, defaults={"organization": provider, "name_fi": source_id}
    )
    if not created:
        return service
    for code in areas:
        term, _created = TaxonomyTerm.objects.get_or_create(
            taxonomy=taxonomy,
            code=code,
            defaults={"name_fi": code.capitalize(), "position": len(code)},
        )
        Attribute.objects.create(service=service, taxonomy_term=term)
    return service


def table_cells(html: str, key: str) -> dict[str, list[str]]:
    """Row key → the cells of one table of the page, as text."""
    match = re.search(rf'<table id="table-{key}".*?</table>', html, re.S)
    assert match, key
    rows: dict[str, list[str]] = {}
    for row_key, body in re.findall(r'<tr data-row="([^"]+)">(.*?)</tr>', match.group(0), re.S):
        rows[row_key] = [unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body)]
    return rows


def build_quarter(employment: Organisation, county: Organisation) -> dict[str, Municipality]:
    """Esimerkkilä's employment services serve Aalto (101) and Beeta (102).

    Aalto: a1 opened 10.12.2025, first meeting 5.1., active 20.1., open; a2–a7 opened in
    February by the client themself, waiting for a first meeting; a8 closed 15.12.2025 (not in
    service in Q1); a9 opened 10.1. from social and health services, met 20.1., closed 1.3. in a
    job. Beeta: b1–b3 opened in January, met 1.2., in intake. Other: c1 lives in Ceeta (103,
    not served), opened 1.1.; o1 has no municipality on record, opened 15.3. from the portal.
    The county's path for a client in Aalto is not Esimerkkilä's.
    """
    aalto = municipality("101", "Aalto")
    beeta = municipality("102", "Beeta")
    ceeta = municipality("103", "Ceeta")
    employment.municipalities.set([aalto, beeta])
    county.municipalities.set([aalto, beeta, ceeta])
    a1 = person(employment, municipality=aalto, born=D(1990, 6, 1))
    path(a1, employment, referred=D(2025, 12, 10), started=D(2026, 1, 5), active=D(2026, 1, 20))
    for day in range(2, 8):
        client = person(employment, municipality=aalto, born=D(2000, 1, 1))
        path(client, employment, referred=D(2026, 2, day), route="self")
    a8 = person(employment, municipality=aalto)
    path(
        a8,
        employment,
        referred=D(2025, 11, 1),
        started=D(2025, 11, 5),
        closed=D(2025, 12, 15),
        outcome="declined",
    )
    a9 = person(employment, municipality=aalto, born=D(1960, 5, 5))
    path(
        a9,
        employment,
        referred=D(2026, 1, 10),
        route="social_health",
        started=D(2026, 1, 20),
        closed=D(2026, 3, 1),
        outcome="job_or_study",
    )
    for _n in range(3):
        client = person(employment, municipality=beeta, born=D(1985, 2, 1))
        path(client, employment, referred=D(2026, 1, 12), started=D(2026, 2, 1))
    c1 = person(employment, municipality=ceeta, born=D(1995, 4, 1))
    path(c1, employment, referred=D(2026, 1, 1))
    o1 = person(employment, municipality=None, born=None)
    path(o1, employment, referred=D(2026, 3, 15), route="portal")
    x1 = person(county, municipality=aalto)
    path(x1, county, referred=D(2026, 1, 3), route="social_health")
    return {"aalto": aalto, "beeta": beeta}
