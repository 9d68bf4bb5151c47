"""The clients an employer hired, on the register's employer page (issue 14 part 3): a name
only for readers the gatekeeper lets read that client; others see that more exists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationFactory, StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.coaching import services
from tyollisyystalo.employers.models import Employer
from tyollisyystalo.staff.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hired(coached, ville, team):
    employer = Employer.objects.create(team=team, name="Varasto Oy", created_by=ville)
    period = services.period_start(
        actor=ville,
        client_id=coached.pk,
        kind="ips",
        intensity="light",
        started_on=timezone.localdate() - dt.timedelta(days=40),
    )
    services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="C",
        employer_id=employer.pk,
        answers={
            "job_title": "Varastotyöntekijä",
            "start_date": timezone.localdate() - dt.timedelta(days=20),
            "hours_per_week": "20",
            "contract_type": "permanent",
            "competitive": True,
            "pay_subsidy": False,
            "benefits_info_given": True,
        },
    )
    return employer


def test_the_coach_who_may_read_the_client_sees_who_was_hired(client, hired, ville, coached):
    login(client, ville)
    page = client.get(reverse("employers:detail", kwargs={"pk": hired.pk}))
    assert page.status_code == 200
    assert "Varastotyöntekijä" in page.text
    assert coached.identity.full_name in page.text
    assert AccessLogEntry.objects.filter(
        client_id=coached.pk, object_type="coaching_placement", actor_user_id=ville.user_id
    ).exists()


def test_a_team_coach_of_another_organisation_sees_only_that_more_exists(
    client, hired, team, coached
):
    # Oracle (ADR 0005, a second reading): Klubi has no relationship with the client, no
    # consent covers it and its coach is not in the client's team, so nothing of the client.
    klubi = OrganisationFactory.create(code="org-klubi", name_fi="Klubi ry")
    team.organisations.add(klubi)
    kalle = StaffFactory.create(organisation=klubi, role=Role.JOB_COACH)
    login(client, kalle)
    before = AccessLogEntry.objects.filter(client_id=coached.pk).count()
    page = client.get(reverse("employers:detail", kwargs={"pk": hired.pk}))
    assert page.status_code == 200
    assert coached.identity.full_name not in page.text
    assert coached.identity.last_name not in page.text
    assert "Varastotyöntekijä" not in page.text
    assert "Lisäksi 1 työsuhde" in page.text
    assert AccessLogEntry.objects.filter(client_id=coached.pk).count() == before
