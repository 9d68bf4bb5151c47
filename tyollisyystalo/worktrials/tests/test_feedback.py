"""Work-trial feedback: an unguessable link answered once, expiring, revocable, no login."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.services import case_open
from tyollisyystalo.worktrials.models import FeedbackLink, WorkTrialFeedback
from tyollisyystalo.worktrials.services import (
    LinkUnavailable,
    feedback_link_create,
    feedback_link_revoke,
    feedback_submit,
)

TODAY = timezone.localdate()
ANSWER = {
    "respondent_name": "Heikki Isäntä",
    "attendance": "5",
    "pace": "3",
    "safety": "",
    "strengths": "Huolellinen ja oppii nopeasti.",
    "adjustments": "Lyhyempi päivä alussa.",
}


@pytest.fixture
def case(sari, aino):
    return case_open(
        actor=aino,
        client_id=sari.id,
        entry_route="employment_services",
        referred_on=TODAY - dt.timedelta(days=60),
        coordinator=aino,
    )


@pytest.fixture
def link_and_token(aino, case):
    return feedback_link_create(
        actor=aino,
        case_id=case.id,
        trial_label="Klaus, varastotyö",
        host_name="Varasto Oy",
        host_email="isanta@example.fi",
    )


def answer_url(token):
    return reverse("worktrials:answer", kwargs={"token": token})


@pytest.mark.django_db
def test_the_link_is_mailed_and_only_its_hash_is_stored(
    aino, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link, token = feedback_link_create(
            actor=aino,
            case_id=case.id,
            trial_label="Klaus, varastotyö",
            host_name="Varasto Oy",
            host_email="isanta@example.fi",
        )
    assert len(token) >= 40
    assert token not in link.token_hash
    assert mail.outbox[0].to == ["isanta@example.fi"]
    assert token in mail.outbox[0].body
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token_hash FROM {FeedbackLink._meta.db_table}")
        assert all(token not in row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_host_answers_once_without_login_and_it_lands_in_the_assessment(
    client, aino, case, link_and_token
):
    _link, token = link_and_token
    page = client.get(answer_url(token))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "Klaus, varastotyö" in page.content.decode()
    assert "Esimerkki" not in page.content.decode()
    empty = client.post(answer_url(token), {"respondent_name": "Heikki"})
    assert empty.status_code == 400
    assert not WorkTrialFeedback.objects.exists()
    done = client.post(answer_url(token), ANSWER)
    assert done.status_code == 200
    assert "Kiitos palautteesta" in done.content.decode()
    feedback = WorkTrialFeedback.objects.get()
    assert feedback.attendance == 5
    assert feedback.safety is None
    assert feedback.owner_organisation_id == case.owner_organisation_id
    again = client.post(answer_url(token), ANSWER)
    assert again.status_code == 410
    assert "Palaute on jo annettu" in again.content.decode()
    assert WorkTrialFeedback.objects.count() == 1
    login(client, aino)
    summary = client.get(reverse("cases:detail", kwargs={"case_id": case.id})).content.decode()
    assert "Toimintakyvyn arvio työkokeilussa" in summary
    assert "Huolellinen ja oppii nopeasti." in summary
    assert AccessLogEntry.objects.filter(
        object_type="worktrial_feedback", action="create", actor_user_id__isnull=True
    ).exists()


@pytest.mark.django_db
def test_an_expired_link_says_so_plainly(client, link_and_token):
    link, token = link_and_token
    FeedbackLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - dt.timedelta(days=31),
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    response = client.get(answer_url(token))
    assert response.status_code == 410
    assert "Linkki on vanhentunut" in response.content.decode()
    with pytest.raises(LinkUnavailable) as caught:
        feedback_submit(token=token, answers=ANSWER)
    assert caught.value.state == "expired"


@pytest.mark.django_db
def test_a_revoked_link_stops_working_and_a_guess_finds_nothing(client, aino, link_and_token):
    link, token = link_and_token
    feedback_link_revoke(actor=aino, link_id=link.pk)
    assert client.get(answer_url(token)).status_code == 410
    assert client.post(answer_url(token), ANSWER).status_code == 410
    assert client.get(answer_url(token[:-1] + "x")).status_code == 404
    assert not WorkTrialFeedback.objects.exists()
    with pytest.raises(ValidationError):
        feedback_link_revoke(actor=aino, link_id=link.pk)


@pytest.mark.django_db
def test_bad_ratings_are_refused(link_and_token):
    _link, token = link_and_token
    with pytest.raises(ValidationError) as caught:
        feedback_submit(token=token, answers={**ANSWER, "pace": "7"})
    assert "pace" in caught.value.message_dict
    assert not WorkTrialFeedback.objects.exists()


@pytest.mark.django_db
def test_only_the_paths_team_may_make_links(cecilia, case):
    from django.http import Http404

    with pytest.raises(Http404):
        feedback_link_create(
            actor=cecilia, case_id=case.id, trial_label="x", host_name="y", host_email=""
        )
    assert not FeedbackLink.objects.exists()
