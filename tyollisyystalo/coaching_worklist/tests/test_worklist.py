"""The coach's worklist on hand-built data: every expected row is written out below.

Today is T. Intervals from the IPS model (rules.py): follow-along weekly in a job's first month,
monthly after; an employer contact about a client in job search within 30 days.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_to_team, login, make_client
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.coaching.models import Placement, SupportContact
from tyollisyystalo.coaching_modules.models import CoachingModule, ModuleAssessment, ModuleChoice
from tyollisyystalo.coaching_modules.tests.conftest import make_period
from tyollisyystalo.coaching_worklist.selectors import worklist_get
from tyollisyystalo.employers.models import Employer, EmployerContact
from tyollisyystalo.staff.roles import Role


def ago(days):
    return timezone.localdate() - dt.timedelta(days=days)


def client_of(org, coach, first, *, in_team=True):
    c = make_client(organisation=org, name=(first, "Testi"))
    if in_team:
        add_to_team(c, coach)
    return c


def support(period, coach, days):
    SupportContact.objects.create(
        client_id=period.client_id,
        owner_organisation_id=period.owner_organisation_id,
        category=period.category,
        period=period,
        contacted_on=ago(days),
        kind="follow_along",
        author=coach,
    )


def job(period, days):
    Placement.objects.create(
        client_id=period.client_id,
        owner_organisation_id=period.owner_organisation_id,
        category=period.category,
        period=period,
        employer_name="Leipomo",
        job_title="Leipuri",
        started_on=ago(days),
        hours_per_week=Decimal("20"),
        contract_type="permanent",
        competitive=True,
    )


def employer_contact(employer, coach, client, days, **extra):
    return EmployerContact.objects.create(
        employer=employer,
        coach=coach,
        contacted_on=ago(days),
        kind="call",
        client=client,
        owner_organisation=coach.organisation,
        **extra,
    )


def module(period, coach, provider, order, ended_days_ago):
    return CoachingModule.objects.create(
        client_id=period.client_id,
        owner_organisation_id=period.owner_organisation_id,
        category=period.category,
        period=period,
        order=order,
        title=f"Moduuli {order}",
        provider=provider,
        planned_start=ago(ended_days_ago + 20),
        planned_end=ago(ended_days_ago),
        created_by=coach,
    )


def build(askel, coach, team, provider, *, extra_periods=0):
    """The data of the module docstring; ``extra_periods`` adds rows of other coaches."""
    employer = Employer.objects.create(team=team, name="Leipomo Oy", created_by=coach)
    names = {}
    # P1: follow-along, job 60 days ago, last support contact 40 days ago: that contact was in
    # the job's first month, so the next was due a week later -> due 33 days ago.
    c1 = client_of(askel, coach, "Aapo")
    p1 = make_period(c1, coach, kind="ips", status="follow_along", days_ago=100)
    job(p1, 60)
    support(p1, coach, 40)
    names["p1"] = "Testi, Aapo"
    # P2: employed, job 10 days ago, contact 3 days ago -> weekly, due in 4 days: not shown.
    c2 = client_of(askel, coach, "Bea")
    p2 = make_period(c2, coach, kind="ips", status="employed", days_ago=50)
    job(p2, 10)
    support(p2, coach, 3)
    # P3: employed, job 20 days ago, no contact -> due 13 days ago.
    c3 = client_of(askel, coach, "Cecilia")
    p3 = make_period(c3, coach, kind="ips", status="employed", days_ago=50)
    job(p3, 20)
    names["p3"] = "Testi, Cecilia"
    # P4: job search since 60 days, employer contact about them 40 days ago -> due 10 days ago.
    c4 = client_of(askel, coach, "Daniel")
    make_period(c4, coach, kind="ips", status="job_search", days_ago=60)
    employer_contact(employer, coach, c4, 40)
    names["p4"] = "Testi, Daniel"
    # P5: job search, employer contact 5 days ago: not shown.
    c5 = client_of(askel, coach, "Eero")
    make_period(c5, coach, kind="ips", status="job_search", days_ago=60)
    employer_contact(employer, coach, c5, 5)
    # P6: started 10 days ago, no contact yet: due in 20 days, not shown.
    c6 = client_of(askel, coach, "Fanni")
    make_period(c6, coach, kind="ips", status="started", days_ago=10)
    # P7: modular, fresh employer contact; module 1 ended 5 days ago with the client's
    # assessment only -> shown (provider, purchaser missing); module 2 chosen; module 3 ahead.
    c7 = client_of(askel, coach, "Greta")
    p7 = make_period(c7, coach, kind="modular", status="job_search", days_ago=60)
    employer_contact(employer, coach, c7, 2)
    m1 = module(p7, coach, provider, 1, 5)
    ModuleAssessment.objects.create(
        client_id=c7.id,
        owner_organisation=askel,
        category=p7.category,
        module=m1,
        party="client",
        score=4,
        assessed_on=ago(4),
        author=coach,
    )
    m2 = module(p7, coach, provider, 2, 30)
    ModuleChoice.objects.create(
        client_id=c7.id,
        owner_organisation=askel,
        category=p7.category,
        module=m2,
        next_step="next_module",
        missing_reason="Ei vastannut.",
        chosen_on=ago(29),
        author=coach,
    )
    module(p7, coach, provider, 3, -20)
    names["p7"] = "Testi, Greta"
    # P8: ended: neither a row nor in the caseload.
    c8 = client_of(askel, coach, "Hilkka")
    make_period(c8, coach, kind="ips", status="ended", ended_on=ago(1), ending_reason="education")
    # P9: due (no employer contact in 60 days) but the coach is not in the client's team:
    # the row shows nothing; the period still counts in the caseload.
    c9 = client_of(askel, coach, "Iiro", in_team=False)
    make_period(c9, coach, kind="ips", status="job_search", days_ago=60)
    # Callbacks: one due yesterday (shown), one done, one of another coach.
    colleague = StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    employer_contact(employer, coach, None, 10, next_step_on=ago(1), next_step="Soita")
    employer_contact(
        employer, coach, None, 10, next_step_on=ago(1), next_step_done_at=timezone.now()
    )
    employer_contact(employer, colleague, None, 10, next_step_on=ago(1))
    # Other coaches' due rows.
    for i in range(extra_periods):
        other = client_of(askel, colleague, f"Muu{i}")
        p = make_period(other, colleague, kind="ips", status="follow_along", days_ago=100)
        support(p, colleague, 50)
        employer_contact(employer, colleague, other, 50)
    return names, c9


@pytest.mark.django_db
def test_rows_on_hand_built_data(askel, coach, team, provider):
    names, hidden = build(askel, coach, team, provider)
    worklist = worklist_get(staff=coach)
    assert [r.name for r in worklist.follow_along] == [names["p1"], names["p3"]]
    assert [r.item.due_on for r in worklist.follow_along] == [ago(33), ago(13)]
    assert [r.name for r in worklist.employer_contacts] == [names["p4"]]
    assert [r.item.last_on for r in worklist.employer_contacts] == [ago(40)]
    modules = worklist.module_assessments
    assert [(r.name, r.item.module and r.item.module.order, r.item.missing) for r in modules] == [
        (names["p7"], 1, ("provider", "purchaser"))
    ]
    assert [c.next_step for c in worklist.callbacks] == ["Soita"]
    assert (worklist.active_periods, worklist.caseload_score) == (8, 5)
    # Shown clients are logged as read; the hidden one is not.
    logged = set(
        AccessLogEntry.objects.filter(
            action="read", outcome="allowed", object_type="coaching_worklist"
        ).values_list("client_id", flat=True)
    )
    assert hidden.id not in logged
    assert len(logged) == 4


@pytest.mark.django_db
def test_page_renders_rows(client, askel, coach, team, provider):
    names, _hidden = build(askel, coach, team, provider)
    login(client, coach)
    response = client.get(reverse("coaching_worklist:worklist"))
    assert response.status_code == 200
    for name in names.values():
        assert name in response.text
    assert "Iiro" not in response.text[response.text.index("<main") :]  # header: a fake name
    assert "Soita" in response.text
    first = worklist_get(staff=coach).follow_along[0]
    card = reverse("casefile:card", kwargs={"client_id": first.item.period.client_id})
    assert f'href="{card}"' in response.text
    assert "Puuttuu: Palveluntuottaja, Tilaaja" in response.text


@pytest.mark.django_db
def test_other_team_coach_sees_none_of_it(client, askel, coach, team, provider, other_coach):
    build(askel, coach, team, provider)
    login(client, other_coach)
    response = client.get(reverse("coaching_worklist:worklist"))
    assert response.status_code == 200
    assert "Testi" not in response.text
    assert not AccessLogEntry.objects.filter(actor_user_id=other_coach.user_id).exists()


@pytest.mark.django_db
def test_team_leader_sees_caseload_per_coach(client, askel, coach, team, provider, muu):
    build(askel, coach, team, provider, extra_periods=2)
    leader = StaffFactory.create(organisation=muu, role=Role.COORDINATOR)
    team.leaders.add(leader)
    login(client, leader)
    response = client.get(reverse("coaching_worklist:worklist"))
    assert response.status_code == 200
    assert coach.display_name in response.text
    assert "Testi" not in response.text  # counts only, no client
    rows = worklist_get(staff=leader).team_caseloads
    assert [(r.coach, r.active, r.score) for r in rows] == [(coach, 8, 5)] + [
        (r.coach, 2, 5) for r in rows[1:]
    ]


@pytest.mark.django_db
def test_coordinator_without_coaching_gets_404(client, askel):
    login(client, StaffFactory.create(organisation=askel, role=Role.COORDINATOR))
    assert client.get(reverse("coaching_worklist:worklist")).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_constant_in_data_size(client, askel, coach, team, provider):
    build(askel, coach, team, provider)
    login(client, coach)
    url = reverse("coaching_worklist:worklist")
    _queries(client, url)  # warm caches (content types, session)
    small = _queries(client, url)
    # Much more data in the registry, and more rows of the coach's own of each kind.
    employer = Employer.objects.create(team=team, name="Toinen Oy", created_by=coach)
    colleague = StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    for i in range(15):
        other = client_of(askel, colleague, f"Muu{i}")
        p = make_period(other, colleague, kind="modular", status="follow_along", days_ago=100)
        support(p, colleague, 50)
        employer_contact(employer, colleague, other, 50, next_step_on=ago(2))
        module(p, colleague, provider, 1, 3)
        mine = client_of(askel, coach, f"Oma{i}")
        p = make_period(mine, coach, kind="modular", status="follow_along", days_ago=100)
        support(p, coach, 50)
        module(p, coach, provider, 1, 3)
        employer_contact(employer, coach, None, 3, next_step_on=ago(1))
        j = client_of(askel, coach, f"Haku{i}")
        make_period(j, coach, kind="ips", status="job_search", days_ago=90)
    assert len(worklist_get(staff=coach).rows) > 40
    assert _queries(client, url) == small
