"""Where coaching shows: the card and its API, the path and plan pages, the client's own pages,
and the pay-subsidy answer on the period page, each only as far as the reader's access goes."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.tests.test_api import token_for
from tyollisyystalo.coaching import services
from tyollisyystalo.consents.models import Consent
from tyollisyystalo.rules.services import client_rule_facts_record
from tyollisyystalo.selfservice.selectors import own_export, own_overview

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

FORM_C = {
    "employer_name": "Varasto Oy",
    "job_title": "Varastotyöntekijä",
    "start_date": TODAY() - dt.timedelta(days=3),
    "hours_per_week": "25",
    "contract_type": "fixed_term",
    "competitive": True,
    "pay_subsidy": False,
    "benefits_info_given": True,
}


@pytest.fixture
def period(referral, ville):
    period = services.period_start(
        actor=ville,
        referral_id=referral.pk,
        kind="ips",
        intensity="intensive",
        started_on=TODAY() - dt.timedelta(days=30),
    )
    services.form_answer_save(actor=ville, period_id=period.pk, form="C", answers=FORM_C)
    return period


def test_card_section_for_the_coach_logs_the_period_read(client, period, ville):
    login(client, ville)
    response = client.get(reverse("casefile:card", kwargs={"client_id": period.client_id}))
    assert response.status_code == 200
    assert "Varastotyöntekijä" in response.text
    assert AccessLogEntry.objects.filter(
        object_type="coaching_period", object_id=str(period.pk), actor_user_id=ville.user_id
    ).exists()


def test_api_card_carries_the_coaching(period, ville):
    api = HttpClient(enforce_csrf_checks=True)
    cache.clear()  # the token endpoint's rate limit counts in the cache
    headers = token_for(api, ville)
    cache.clear()
    response = api.get(reverse("v1:client-card", kwargs={"client_id": period.client_id}), **headers)
    assert response.status_code == 200
    (shown,) = response.json()["coaching"]
    assert shown["status"] == "employed"
    assert shown["placements"][0]["job_title"] == "Varastotyöntekijä"
    assert [f["form"] for f in shown["forms"]] == ["C"]


def test_coordinator_sees_coaching_on_path_and_plan_under_consent(client, period, aino):
    login(client, aino)
    path = client.get(reverse("cases:detail", kwargs={"case_id": period.case_id}))
    assert path.status_code == 200
    assert reverse("coaching:detail", kwargs={"period_id": period.pk}) in path.text
    assert (
        client.get(reverse("coaching:detail", kwargs={"period_id": period.pk})).status_code == 200
    )


def test_without_consent_the_path_says_more_exists_and_the_period_is_404(client, period, aino):
    Consent.objects.filter(client_id=period.client_id).update(
        withdrawn_at=timezone.now() - dt.timedelta(minutes=1),
        withdrawn_by=aino,
        withdrawal_method="oral",
    )
    login(client, aino)
    before = AccessLogEntry.objects.filter(object_type="coaching_period").count()
    path = client.get(reverse("cases:detail", kwargs={"case_id": period.case_id}))
    assert "Varastotyöntekijä" not in path.text
    assert "valmennustietoja, joita et voi nähdä" in path.text
    page = client.get(reverse("coaching:detail", kwargs={"period_id": period.pk}))
    assert page.status_code == 404
    assert AccessLogEntry.objects.filter(object_type="coaching_period").count() == before


def test_plan_action_points_to_the_period(client, period, aino):
    from tyollisyystalo.plans.services import plan_create

    plan = plan_create(
        actor=aino,
        case_id=period.case_id,
        plan_type="client",
        language="fi",
        started_on=TODAY(),
        content={
            "summary": "Työhön",
            "goals": [{"id": "g1", "text": "Työpaikka"}],
            "actions": [
                {
                    "id": "a1",
                    "what": "Työhönvalmennus",
                    "goal": "g1",
                    "coaching_period_id": str(period.pk),
                }
            ],
        },
    )
    assert plan.versions.get().content.actions[0].coaching_period_id == str(period.pk)
    login(client, aino)
    page = client.get(plan.get_absolute_url())
    assert reverse("coaching:detail", kwargs={"period_id": period.pk}) in page.text


def test_client_sees_own_coaching_in_plain_language(period):
    overview = own_overview(client_id=period.client_id)
    assert [p.pk for p in overview.coaching] == [period.pk]
    exported = own_export(client_id=period.client_id)
    assert exported["coaching"][0]["jobs"][0]["job_title"] == "Varastotyöntekijä"


def test_pay_subsidy_answer_only_from_readable_facts(client, period, ville, aino):
    # The employment office's facts would decide the answer, but Ville may not read them.
    client_rule_facts_record(
        actor=aino, client_id=period.client_id, facts={"pay_subsidy_ground": "skills"}
    )
    login(client, ville)
    url = reverse("coaching:detail", kwargs={"period_id": period.pk})
    # The consent covers identity and education and work, not employment services: the answer
    # is drawn over the facts Ville may read (none yet), and says that more exists.
    hidden = client.get(url)
    assert "tietoja, joita et voi nähdä" in hidden.text
    assert "Vastaukseen tarvitaan vielä" in hidden.text
    assert "Ei voida päätellä" in hidden.text
    # The coaching organisation's own facts are readable: they decide the answer.
    client_rule_facts_record(
        actor=ville, client_id=period.client_id, facts={"pay_subsidy_ground": "skills"}
    )
    decided = client.get(url).text.split('id="pay-subsidy-title"')[1].split("</section>")[0]
    assert "Ei voida päätellä" not in decided
