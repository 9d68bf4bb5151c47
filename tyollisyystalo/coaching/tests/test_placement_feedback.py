"""Employer feedback on a placement through the work-trial link machinery (part 8)."""

import datetime as dt

import pytest
from django.core import mail
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.coaching import services
from tyollisyystalo.coaching.models import Placement, PlacementFeedback
from tyollisyystalo.worktrials.models import FeedbackLink, WorkTrialFeedback
from tyollisyystalo.worktrials.services import (
    LinkUnavailable,
    feedback_link_revoke,
    feedback_submit,
    subject_feedback_link_create,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def placement(coached, ville):
    period = services.period_start(
        actor=ville,
        client_id=coached.pk,
        kind="ips",
        intensity="light",
        started_on=TODAY() - dt.timedelta(days=40),
    )
    answer = services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="C",
        answers={
            "employer_name": "Varasto Oy",
            "job_title": "Varastotyöntekijä",
            "start_date": TODAY() - dt.timedelta(days=20),
            "hours_per_week": "20",
            "contract_type": "permanent",
            "competitive": True,
            "pay_subsidy": False,
            "benefits_info_given": True,
        },
    )
    return Placement.objects.get(form_answers=answer)


def link_for(actor, placement, **kwargs):
    return subject_feedback_link_create(
        actor=actor,
        subject_kind="placement",
        subject_id=str(placement.pk),
        trial_label="Varastotyöntekijä",
        host_name="Varasto Oy",
        **kwargs,
    )


def test_employer_answers_once_without_login_as_the_coach_organisations_data(
    client, placement, ville, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link, token = link_for(ville, placement, host_email="esimies@example.com")
    assert link.case_id is None
    assert link.token_hash != token
    (message,) = mail.outbox
    assert message.subject == "Palaute työstä"
    assert token in message.body
    url = reverse("worktrials:answer", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "Palaute työstä" in page.text
    bad = client.post(url, {"respondent_name": "", "pace": "9"})
    assert bad.status_code == 400
    assert not PlacementFeedback.objects.exists()
    ok = client.post(url, {"respondent_name": "Esimies", "pace": "4", "strengths": "Täsmällinen"})
    assert ok.status_code == 200
    feedback = PlacementFeedback.objects.get()
    assert feedback.placement == placement
    assert feedback.owner_organisation_id == ville.organisation_id
    assert feedback.category == placement.category
    assert feedback.pace == 4
    assert not WorkTrialFeedback.objects.exists()
    assert client.get(url).status_code == 410
    with pytest.raises(LinkUnavailable):
        feedback_submit(token=token, answers={"respondent_name": "X", "pace": "3"})
    assert AccessLogEntry.objects.filter(
        client_id=placement.client_id, object_type="placement_feedback"
    ).exists()
    login(client, ville)
    period_page = client.get(reverse("coaching:detail", kwargs={"period_id": placement.period_id}))
    assert "Täsmällinen" in period_page.text


def test_revoked_placement_link_stops_working(client, placement, ville):
    link, token = link_for(ville, placement)
    feedback_link_revoke(actor=ville, link_id=link.pk)
    response = client.get(reverse("worktrials:answer", kwargs={"token": token}))
    assert response.status_code == 410


def test_coach_of_another_team_may_not_make_a_link(placement, other_coach):
    with pytest.raises(Http404):
        link_for(other_coach, placement)
    assert not FeedbackLink.objects.exists()


def test_link_page_makes_the_link_and_bad_input_is_400(client, placement, ville):
    login(client, ville)
    url = reverse(
        "coaching:feedback_link",
        kwargs={"period_id": placement.period_id, "placement_id": placement.pk},
    )
    assert client.get(url).status_code == 200
    bad = client.post(url, {"trial_label": "Työ", "host_name": "Varasto Oy", "valid_days": "91"})
    assert bad.status_code == 400
    assert not FeedbackLink.objects.exists()
    ok = client.post(url, {"trial_label": "Työ", "host_name": "Varasto Oy", "valid_days": "30"})
    assert ok.status_code == 200
    assert "/tyokokeilu/palaute/" in ok.text
    assert FeedbackLink.objects.get().subject_kind == "placement"
