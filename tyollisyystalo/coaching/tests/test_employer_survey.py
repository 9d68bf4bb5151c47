"""A placement that ends invites its employer to the employer survey (issue 15), once."""

import pytest
from django.core import mail
from django.utils import timezone

from tyollisyystalo.coaching import services
from tyollisyystalo.coaching.models import Placement
from tyollisyystalo.coaching.tests.test_forms import FORM_C
from tyollisyystalo.employers.models import ContactPerson, Employer
from tyollisyystalo.surveys.models import Invitation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
FORM_D = {"ended_by": "employer", "reason": "Määräaika", "next_step": "job_search"}


def _placement(period, ville, employer=None):
    answer = services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="C",
        answers={**FORM_C, "employer_name": "" if employer else "Varasto Oy"},
        employer_id=employer.pk if employer else None,
    )
    return Placement.objects.get(form_answers=answer)


def _end(period, ville, placement, thread=None):
    return services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="D",
        answers={**FORM_D, "end_date": TODAY()},
        placement_id=placement.pk,
        thread=thread,
    )


def test_the_employer_gets_the_survey_once_at_the_address_it_allowed(
    period, ville, team, django_capture_on_commit_callbacks
):
    employer = Employer.objects.create(team=team, name="Leipomo Oy", created_by=ville)
    ContactPerson.objects.create(employer=employer, name="Ei lupaa", email="no@leipomo.fi")
    ContactPerson.objects.create(
        employer=employer, name="Liisa", email="liisa@leipomo.fi", may_email=True
    )
    placement = _placement(period, ville, employer)
    assert Invitation.objects.count() == 0  # a start invites no one
    with django_capture_on_commit_callbacks(execute=True):
        answer = _end(period, ville, placement)
    invitation = Invitation.objects.get()
    assert (invitation.survey, invitation.moment) == ("employer_feedback", "placement_ended")
    assert invitation.placement_id == placement.pk
    assert invitation.owner_organisation_id == placement.owner_organisation_id
    assert [m.to for m in mail.outbox] == [["liisa@leipomo.fi"]]
    assert "/kysely/" in mail.outbox[0].body
    # A corrected form D is no new moment.
    _end(period, ville, placement, thread=answer.thread)
    assert Invitation.objects.count() == 1


def test_without_an_allowed_address_the_invitation_waits_for_a_link(period, ville):
    placement = _placement(period, ville)
    _end(period, ville, placement)
    invitation = Invitation.objects.get()
    assert invitation.email == ""
    assert invitation.token_hash is None
    assert mail.outbox == []
