"""Modules, assessments and the purchaser's choice through the pages, and who may see them.

Expected access answers are written from ADR 0023 decision 3 and the access rules R1–R2 (a coach
in the client's team reads the period; another organisation's coach, a colleague outside the
team and a manager do not), not from the code.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_to_team, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.coaching_modules.models import CoachingModule, ModuleAssessment, ModuleChoice
from tyollisyystalo.coaching_modules.tests.conftest import make_period
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate


def _module(period, coach, provider, order=1, days_ago=20):
    return CoachingModule.objects.create(
        client_id=period.client_id,
        owner_organisation_id=period.owner_organisation_id,
        category=period.category,
        period=period,
        order=order,
        title="Työelämätaidot",
        provider=provider,
        planned_start=TODAY() - dt.timedelta(days=days_ago + 30),
        planned_end=TODAY() - dt.timedelta(days=days_ago),
        created_by=coach,
    )


def _reads(client_id):
    return AccessLogEntry.objects.filter(client_id=client_id, action="read", outcome="allowed")


@pytest.mark.django_db
def test_coach_adds_module_and_page_shows_it(client, coach, period, provider):
    login(client, coach)
    url = reverse("coaching_modules:module_new", kwargs={"period_id": period.pk})
    data = {
        "title": "Työelämätaidot",
        "provider": provider.pk,
        "planned_start": "2026-11-01",
        "planned_end": "2026-11-30",
    }
    assert client.post(url, data).status_code == 302
    module = CoachingModule.objects.get()
    assert (module.order, module.client_id, module.category) == (
        1,
        period.client_id,
        period.category,
    )
    page = client.get(reverse("coaching_modules:period", kwargs={"period_id": period.pk}))
    assert page.status_code == 200
    assert "Työelämätaidot" in page.text
    assert "Esimerkki, Klaus" in page.text
    assert _reads(period.client_id).filter(object_type="coaching_modules.period").exists()


@pytest.mark.django_db
def test_end_before_start_is_400_and_keeps_input(client, coach, period, provider):
    login(client, coach)
    url = reverse("coaching_modules:module_new", kwargs={"period_id": period.pk})
    data = {
        "title": "Kuntouttava jakso",
        "provider": provider.pk,
        "planned_start": "2026-11-30",
        "planned_end": "2026-11-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'value="Kuntouttava jakso"' in response.text
    assert not CoachingModule.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("score", ["0", "6", "x"])
def test_score_outside_1_5_is_400(client, coach, period, provider, score):
    module = _module(period, coach, provider)
    login(client, coach)
    url = reverse("coaching_modules:assessment_new", kwargs={"module_id": module.pk})
    prefix = f"a-{module.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-party": "client",
            f"{prefix}-score": score,
            f"{prefix}-assessed_on": str(TODAY()),
        },
    )
    assert response.status_code == 400
    assert not ModuleAssessment.objects.exists()


def _assess(client, module, party, score="4"):
    prefix = f"a-{module.pk}"
    return client.post(
        reverse("coaching_modules:assessment_new", kwargs={"module_id": module.pk}),
        {
            f"{prefix}-party": party,
            f"{prefix}-score": score,
            f"{prefix}-text": "Hyvä jakso.",
            f"{prefix}-assessed_on": str(TODAY()),
        },
    )


def _choose(client, module, reason=""):
    prefix = f"c-{module.pk}"
    return client.post(
        reverse("coaching_modules:choice_new", kwargs={"module_id": module.pk}),
        {
            f"{prefix}-next_step": "next_module",
            f"{prefix}-missing_reason": reason,
            f"{prefix}-chosen_on": str(TODAY()),
        },
    )


@pytest.mark.django_db
def test_choice_refused_without_assessments_or_reason(client, coach, period, provider):
    module = _module(period, coach, provider)
    login(client, coach)
    assert _assess(client, module, "client").status_code == 302
    assert _assess(client, module, "client").status_code == 400  # once per party
    response = _choose(client, module)
    assert response.status_code == 400
    assert "Kirjaa, miksi se puuttuu" in response.text
    assert not ModuleChoice.objects.exists()
    assert _choose(client, module, reason="Tuottaja ei vastannut.").status_code == 302
    choice = ModuleChoice.objects.get()
    assert choice.missing_reason == "Tuottaja ei vastannut."
    assert _choose(client, module, reason="uudestaan").status_code == 400  # once per module


@pytest.mark.django_db
def test_choice_with_three_assessments_needs_no_reason(client, coach, period, provider):
    module = _module(period, coach, provider)
    login(client, coach)
    for party in ("client", "provider", "purchaser"):
        assert _assess(client, module, party).status_code == 302
    assert _choose(client, module).status_code == 302
    assert ModuleChoice.objects.get().next_step == "next_module"


# who -> (page status, write status): a role without client record writes is refused as a role
# (403, the project's capability refusal); everyone else who may not is told nothing (404).
EXPECTED = {
    "coach_in_team": (200, 302),
    "colleague_not_in_team": (404, 404),
    "coach_of_other_organisation": (404, 404),
    "manager_of_same_organisation": (404, 403),
}


def _who(who, askel, muu, coach):
    if who == "coach_in_team":
        return coach
    if who == "colleague_not_in_team":
        return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    if who == "coach_of_other_organisation":
        return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)
    return StaffFactory.create(organisation=askel, role=Role.MANAGER)


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_access_by_who(client, who, askel, muu, coach, period, provider):
    page_status, write_status = EXPECTED[who]
    may_read, may_write = page_status == 200, write_status == 302
    module = _module(period, coach, provider)
    staff = _who(who, askel, muu, coach)
    login(client, staff)
    page = client.get(reverse("coaching_modules:period", kwargs={"period_id": period.pk}))
    assert page.status_code == page_status
    assert _assess(client, module, "purchaser").status_code == write_status
    assert ModuleAssessment.objects.exists() is may_write
    if not may_read:
        assert not _reads(period.client_id).filter(actor_user_id=staff.user_id).exists()
        assert "Klaus" not in page.text


@pytest.mark.django_db
def test_ips_period_has_no_modules_page(client, coach, klaus):
    ips = make_period(klaus, coach, kind="ips")
    login(client, coach)
    url = reverse("coaching_modules:period", kwargs={"period_id": ips.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_ended_period_takes_no_new_modules(client, coach, klaus, provider):
    ended = make_period(
        klaus, coach, status="ended", ended_on=TODAY(), ending_reason="competitive_job"
    )
    login(client, coach)
    url = reverse("coaching_modules:module_new", kwargs={"period_id": ended.pk})
    data = {
        "title": "X",
        "provider": provider.pk,
        "planned_start": "2026-11-01",
        "planned_end": "2026-11-30",
    }
    assert client.post(url, data).status_code == 400
    assert not CoachingModule.objects.exists()


@pytest.mark.django_db
def test_card_section_links_to_modules(client, coach, period, provider, klaus):
    _module(period, coach, provider)
    login(client, coach)
    card = client.get(reverse("casefile:card", kwargs={"client_id": klaus.id}))
    assert card.status_code == 200
    assert reverse("coaching_modules:period", kwargs={"period_id": period.pk}) in card.text
    assert _reads(klaus.id).filter(object_type="coaching_modules.period").exists()


@pytest.mark.django_db
def test_card_section_hidden_from_a_reader_without_the_category(client, askel, period, klaus):
    # A physiotherapist in the team reads identity, health and plan, not education and work.
    therapist = StaffFactory.create(organisation=askel, role=Role.PHYSIOTHERAPIST)
    add_to_team(klaus, therapist)
    login(client, therapist)
    card = client.get(reverse("casefile:card", kwargs={"client_id": klaus.id}))
    assert card.status_code == 200
    assert "Moduulimuotoinen valmennus" not in card.text
    assert not _reads(klaus.id).filter(object_type="coaching_modules.period").exists()
