"""Forms A–E as versioned definitions: answers, versions, placements and the period's status."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.coaching import services
from tyollisyystalo.coaching.formdefs import all_versions, form_current
from tyollisyystalo.coaching.models import CoachingFormAnswer, Placement
from tyollisyystalo.employers.models import Employer, EmployerContact

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

FORM_A = {
    "education": "Ammattikoulu, logistiikka",
    "work_history": "Varastotyötä 2015–2019",
    "preferred_jobs": "Varasto",
    "disclosure": "coaching_only",
    "benefits_counselling": True,
    "own_goal": "Osa-aikatyö",
}
FORM_C = {
    "employer_name": "Varasto Oy",
    "job_title": "Varastotyöntekijä",
    "start_date": TODAY() - dt.timedelta(days=10),
    "hours_per_week": "25",
    "contract_type": "fixed_term",
    "competitive": True,
    "pay_subsidy": False,
    "benefits_info_given": True,
}


@pytest.fixture
def employer(team, ville):
    return Employer.objects.create(team=team, name="Leipomo Oy", created_by=ville)


def test_every_form_has_fi_sv_en_definitions():
    keys = {key for key, _version in all_versions()}
    assert keys == {"coaching_a", "coaching_b", "coaching_c", "coaching_d", "coaching_e"}
    hours = form_current("C").item("hours_per_week")
    assert (hours.minimum, hours.maximum) == (1, 60)
    help_text = form_current("C").item("competitive").help
    assert help_text is not None
    assert "avoimilla työmarkkinoilla" in help_text.fi


def test_form_a_versions_share_a_thread(period, ville):
    first = services.form_answer_save(actor=ville, period_id=period.pk, form="A", answers=FORM_A)
    second = services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="A",
        answers={**FORM_A, "own_goal": "Kokoaikatyö"},
        thread=first.thread,
    )
    assert (second.thread, second.number) == (first.thread, 2)
    assert second.definition_version == "1"
    assert second.author == ville
    assert json.loads(first.answers_json)["own_goal"] == "Osa-aikatyö"
    assert json.loads(second.answers_json)["own_goal"] == "Kokoaikatyö"


def test_missing_required_item_refuses_and_writes_nothing(period, ville):
    with pytest.raises(ValidationError) as exc:
        services.form_answer_save(
            actor=ville, period_id=period.pk, form="A", answers={**FORM_A, "own_goal": ""}
        )
    assert "own_goal" in exc.value.message_dict
    assert CoachingFormAnswer.objects.count() == 0


@pytest.mark.parametrize("hours", ["0", "61", "abc", "2.3", "1e400", "NaN", "-1e400"])
def test_form_c_hours_outside_1_60_refused(period, ville, hours):
    with pytest.raises(ValidationError) as exc:
        services.form_answer_save(
            actor=ville, period_id=period.pk, form="C", answers={**FORM_C, "hours_per_week": hours}
        )
    assert "hours_per_week" in exc.value.message_dict
    assert Placement.objects.count() == 0
    period.refresh_from_db()
    assert period.status == "started"


def test_form_c_makes_a_placement_and_moves_to_employed(period, ville, employer):
    answer = services.form_answer_save(
        actor=ville, period_id=period.pk, form="C", answers=FORM_C, employer_id=employer.pk
    )
    placement = Placement.objects.get(form_answers=answer)
    assert placement.employer == employer
    assert placement.employer_name == "Leipomo Oy"
    assert placement.hours_per_week == 25
    assert placement.competitive is True
    period.refresh_from_db()
    assert period.status == "employed"
    # A new version updates the placement and moves nothing.
    services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="C",
        answers={**FORM_C, "hours_per_week": "30"},
        thread=answer.thread,
        employer_id=employer.pk,
    )
    placement.refresh_from_db()
    assert placement.hours_per_week == 30
    assert Placement.objects.count() == 1
    assert period.events.count() == 2


def test_form_d_end_before_start_refused_then_back_to_job_search(period, ville):
    answer = services.form_answer_save(actor=ville, period_id=period.pk, form="C", answers=FORM_C)
    placement = Placement.objects.get(form_answers=answer)
    d = {"ended_by": "employer", "reason": "Määräaika", "next_step": "job_search"}
    with pytest.raises(ValidationError) as exc:
        services.form_answer_save(
            actor=ville,
            period_id=period.pk,
            form="D",
            answers={**d, "end_date": placement.started_on - dt.timedelta(days=1)},
            placement_id=placement.pk,
        )
    assert "end_date" in exc.value.message_dict
    services.form_answer_save(
        actor=ville,
        period_id=period.pk,
        form="D",
        answers={**d, "end_date": TODAY()},
        placement_id=placement.pk,
    )
    placement.refresh_from_db()
    period.refresh_from_db()
    assert placement.ended_on == TODAY()
    assert placement.ended_by == "employer"
    assert period.status == "job_search"


def test_form_e_needs_employment_and_ends_the_period(period, ville):
    e = {"declined_on": TODAY(), "reason": "Pärjään itse", "may_contact_again": True}
    with pytest.raises(ValidationError):
        services.form_answer_save(actor=ville, period_id=period.pk, form="E", answers=e)
    services.form_answer_save(actor=ville, period_id=period.pk, form="C", answers=FORM_C)
    services.form_answer_save(actor=ville, period_id=period.pk, form="E", answers=e)
    period.refresh_from_db()
    assert period.status == "ended"
    assert period.ending_reason == "declined"
    assert period.ended_on == TODAY()


def test_form_b_goes_to_the_register_linked_only_when_about_the_client(period, ville, employer):
    b = {"met_on": TODAY(), "purpose": "about_client", "face_to_face": True, "notes": "Hyvä"}
    about = services.employer_meeting_log(
        actor=ville, period_id=period.pk, employer_id=employer.pk, answers=b, about_client=True
    )
    general = services.employer_meeting_log(
        actor=ville, period_id=period.pk, employer_id=employer.pk, answers=b, about_client=False
    )
    assert about.client_id == period.client_id
    assert general.client_id is None
    assert about.kind == "meeting"
    assert about.form_code == "coaching_b"
    assert json.loads(about.form_answers)["notes"] == "Hyvä"
    with pytest.raises(ValidationError):
        services.employer_meeting_log(
            actor=ville,
            period_id=period.pk,
            employer_id=employer.pk,
            answers={**b, "next_step_on": TODAY() - dt.timedelta(days=1)},
            about_client=True,
        )
    assert EmployerContact.objects.count() == 2


def test_pages_keep_typed_values_on_400_and_show_versions(client, period, ville, employer):
    login(client, ville)
    url = reverse("coaching:form", kwargs={"period_id": period.pk, "code": "C"})
    assert client.get(url).status_code == 200
    post = {
        "employer": str(employer.pk),
        "job_title": "Leipuri",
        "start_date": TODAY().isoformat(),
        "hours_per_week": "61",
        "contract_type": "permanent",
        "competitive": "yes",
        "pay_subsidy": "no",
        "benefits_info_given": "yes",
    }
    bad = client.post(url, post)
    assert bad.status_code == 400
    assert 'value="Leipuri"' in bad.text
    # Numbers too large for any answer are refused, not a server error (an outside probe).
    for field in ("hours_per_week", "hourly_wage"):
        assert client.post(url, {**post, "hours_per_week": "20", field: "1e400"}).status_code == 400
    assert Placement.objects.count() == 0
    assert client.post(url, {**post, "hours_per_week": "20"}).status_code == 302
    a_url = reverse("coaching:form", kwargs={"period_id": period.pk, "code": "A"})
    a_post = {k: ("yes" if v is True else v) for k, v in FORM_A.items()}
    assert client.post(a_url, a_post).status_code == 302
    thread = CoachingFormAnswer.objects.get(form="A").thread
    edit = client.get(a_url, {"vastaus": str(thread)})
    assert "Ammattikoulu, logistiikka" in edit.text
    assert (
        client.post(f"{a_url}?vastaus={thread}", {**a_post, "own_goal": "Uusi"}).status_code == 302
    )
    page = client.get(reverse("coaching:detail", kwargs={"period_id": period.pk}))
    assert "Aiemmat versiot" in page.text
    assert "Leipuri" in page.text
    meeting = client.post(
        reverse("coaching:meeting", kwargs={"period_id": period.pk}),
        {
            "employer": str(employer.pk),
            "met_on": TODAY().isoformat(),
            "purpose": "about_client",
            "face_to_face": "yes",
            "notes": "Tapasimme",
            "about_client": "on",
        },
    )
    assert meeting.status_code == 302
    assert EmployerContact.objects.get().client_id == period.client_id
