"""Invitations at their moments, single-use links, one reminder, and answers apart from identity."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from conftest import StaffFactory, make_client, open_path
from tyollisyystalo.cases.services import case_transition
from tyollisyystalo.clients.models import ClientIdentity
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.surveys import services
from tyollisyystalo.surveys.models import Answer, AnswerValue, Invitation, Moment
from tyollisyystalo.surveys.selectors import open_surveys_of_client
from tyollisyystalo.surveys.services import LinkUnavailable

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
GOOD = {"overall": "9", "heard": "5", "plan_mine": "4", "repeated_story": "no"}


def _token_of(message: mail.EmailMessage) -> str:
    found = re.search(r"/kysely/([^/\s]+)/", str(message.body))
    assert found is not None
    return found.group(1)


@pytest.fixture
def home(db) -> Municipality:
    return Municipality.objects.create(code="999", name_fi="Esimerkkilä")


@pytest.fixture
def client_with_email(employment, home):
    client = make_client(organisation=employment, name=("Klaus", "Kivinen"))
    ClientIdentity.objects.filter(client=client).update(municipality=home)
    identity = ClientIdentity.objects.get(client=client)
    identity.email = "klaus@example.org"
    identity.save()
    return client


def _close(case, aino):
    case_transition(actor=aino, case_id=case.id, to_status="active", on=TODAY())
    return case_transition(
        actor=aino, case_id=case.id, to_status="closed", on=TODAY(), outcome="job_or_study"
    )


@pytest.fixture
def closed(client_with_email, aino, django_capture_on_commit_callbacks):
    case = open_path(aino, client_with_email)
    with django_capture_on_commit_callbacks(execute=True):
        _close(case, aino)
    return case


def _satisfaction_token() -> str:
    [message] = [m for m in mail.outbox if "Asiakastyytyväisyys" in m.subject]
    return _token_of(message)


# --- moments ---------------------------------------------------------------------------------


def test_closing_a_path_invites_the_client_once_by_email(closed, client_with_email, employment):
    invitations = Invitation.objects.order_by("survey")
    assert [(i.survey, i.moment) for i in invitations] == [
        ("client_satisfaction", Moment.PATH_CLOSED),
        ("work_ability_change", Moment.PATH_CLOSED),
    ]
    for invitation in invitations:
        assert invitation.client_id == client_with_email.pk
        assert invitation.owner_organisation == employment
        assert invitation.municipality is not None
        assert invitation.municipality.code == "999"
        assert invitation.category == "plan"
        assert invitation.sent_on == TODAY()
        assert invitation.token_hash
    assert sorted(m.to[0] for m in mail.outbox) == ["klaus@example.org"] * 2
    # The e-mail names no one: the client's name is not in it.
    assert all("Klaus" not in m.body and "Kivinen" not in m.body for m in mail.outbox)
    # The same moment never invites twice.
    assert services.path_closed_invite(case=closed, at=timezone.now()) == []
    assert Invitation.objects.count() == 2


def test_without_an_address_the_survey_waits_on_the_clients_own_pages(aino, employment):
    client = make_client(organisation=employment)
    case = open_path(aino, client)
    _close(case, aino)
    assert mail.outbox == []
    assert Invitation.objects.filter(token_hash__isnull=True).count() == 2
    listed = open_surveys_of_client(client_id=client.pk)
    assert sorted(s.survey.key for s in listed) == ["client_satisfaction", "work_ability_change"]


def test_six_months_into_a_path_invites_once(aino, employment):
    long_ago = open_path(aino, make_client(organisation=employment), started_days_ago=200)
    open_path(aino, make_client(organisation=employment, name=("Uusi", "Asiakas")))
    assert services.six_month_invitations_send() == 1
    assert services.six_month_invitations_send() == 0
    invitation = Invitation.objects.get()
    assert (invitation.case_id, invitation.moment, invitation.survey) == (
        long_ago.pk,
        Moment.PATH_SIX_MONTHS,
        "client_satisfaction",
    )


def test_the_cooperation_round_once_per_half_year(employment, county):
    StaffFactory.create(organisation=employment, role=Role.COORDINATOR, user__email="a@x.fi")
    StaffFactory.create(organisation=county, role=Role.NURSE, user__email="b@x.fi")
    StaffFactory.create(organisation=county, role=Role.NURSE, user__email="")
    StaffFactory.create(organisation=county, role=Role.NURSE, user__email="c@x.fi", is_active=False)
    june = timezone.make_aware(dt.datetime(2026, 6, 10, 9))
    assert services.cooperation_round_send(at=june) == 2
    assert services.cooperation_round_send(at=june + dt.timedelta(days=5)) == 0
    assert services.cooperation_round_send(at=june + dt.timedelta(days=30)) == 2
    assert sorted(Invitation.objects.values_list("round", flat=True)) == [
        "2026H1",
        "2026H1",
        "2026H2",
        "2026H2",
    ]
    assert all(i.client_id is None and i.staff_id for i in Invitation.objects.all())


# --- links -----------------------------------------------------------------------------------


def _stored() -> tuple[int, int]:
    return Answer.objects.count(), AnswerValue.objects.count()


def test_a_link_answers_once_and_a_second_use_stores_nothing(closed):
    token = _satisfaction_token()
    services.survey_answer_by_link(token=token, answers=GOOD)
    assert _stored() == (1, 4)
    with pytest.raises(LinkUnavailable) as caught:
        services.survey_answer_by_link(token=token, answers=GOOD)
    assert caught.value.state == "used"
    assert _stored() == (1, 4)


def test_an_expired_link_stores_nothing(closed):
    token = _satisfaction_token()
    later = timezone.now() + dt.timedelta(days=31)
    with pytest.raises(LinkUnavailable) as caught:
        services.survey_answer_by_link(token=token, answers=GOOD, at=later)
    assert caught.value.state == "expired"
    assert _stored() == (0, 0)


def test_a_changed_link_is_told_apart_and_stores_nothing(closed):
    token = _satisfaction_token()
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad, state in [(changed, "tampered"), (token[:10], "tampered")]:
        with pytest.raises(LinkUnavailable) as caught:
            services.survey_answer_by_link(token=bad, answers=GOOD)
        assert caught.value.state == state
    # A well-signed token that no invitation holds is unknown.
    with pytest.raises(LinkUnavailable) as caught:
        services.survey_answer_by_link(token=services.token_new(), answers=GOOD)
    assert caught.value.state == "unknown"
    assert _stored() == (0, 0)


@pytest.mark.parametrize(
    ("item", "value"),
    [("overall", "3"), ("overall", "11"), ("overall", "8.5"), ("heard", "0"), ("heard", "x")],
)
def test_an_answer_outside_its_scale_is_refused_and_nothing_stored(closed, item, value):
    token = _satisfaction_token()
    with pytest.raises(ValidationError) as caught:
        services.survey_answer_by_link(token=token, answers={**GOOD, item: value})
    assert item in caught.value.message_dict
    assert _stored() == (0, 0)
    assert Invitation.objects.filter(used=True).count() == 0
    services.survey_answer_by_link(token=token, answers=GOOD)  # the link still works
    assert _stored() == (1, 4)


def test_a_required_item_left_empty_is_refused(closed):
    token = _satisfaction_token()
    with pytest.raises(ValidationError) as caught:
        services.survey_answer_by_link(token=token, answers={"overall": "8"})
    assert set(caught.value.message_dict) == {"heard", "plan_mine", "repeated_story"}
    assert _stored() == (0, 0)


# --- reminders -------------------------------------------------------------------------------


def test_one_reminder_with_a_fresh_link_and_never_a_second(
    closed, django_capture_on_commit_callbacks
):
    first = _satisfaction_token()
    mail.outbox.clear()
    soon = timezone.now() + dt.timedelta(days=3)
    week = timezone.now() + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(at=soon) == 0
        assert services.reminders_send(at=week) == 2
        assert services.reminders_send(at=week + dt.timedelta(days=1)) == 0
        assert services.reminders_send(at=week + dt.timedelta(days=10)) == 0
    assert len(mail.outbox) == 2
    reminder = next(m for m in mail.outbox if "Asiakastyytyväisyys" in m.subject)
    assert reminder.subject.startswith("Muistutus")
    fresh = _token_of(reminder)
    assert fresh != first
    with pytest.raises(LinkUnavailable) as caught:
        services.survey_answer_by_link(token=first, answers=GOOD, at=week)
    assert caught.value.state == "unknown"
    services.survey_answer_by_link(token=fresh, answers=GOOD, at=week)
    assert _stored() == (1, 4)


def test_no_reminder_for_an_answered_invitation(closed, django_capture_on_commit_callbacks):
    services.survey_answer_by_link(token=_satisfaction_token(), answers=GOOD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(at=timezone.now() + dt.timedelta(days=8))
    assert sent == 1  # only the unanswered work-ability survey
    assert "Työkykysi muutos" in mail.outbox[0].subject


# --- separation ------------------------------------------------------------------------------


def test_the_answer_knows_what_it_counts_for_and_nothing_of_who(closed, employment):
    services.survey_answer_by_link(token=_satisfaction_token(), answers=GOOD)
    answer = Answer.objects.get()
    assert (answer.survey, answer.version, answer.organisation) == (
        "client_satisfaction",
        "1",
        employment,
    )
    assert answer.municipality is not None
    assert answer.municipality.code == "999"
    assert answer.month == TODAY().replace(day=1)
    assert sorted(answer.values.values_list("item", "value")) == [
        ("heard", 5),
        ("overall", 9),
        ("plan_mine", 4),
        ("repeated_story", 0),
    ]
    invitation = Invitation.objects.get(survey="client_satisfaction")
    assert invitation.used is True


def test_no_column_or_order_re_links_answer_and_invitation() -> None:
    for model in (Answer, AnswerValue):
        columns = {f.column for f in model._meta.concrete_fields}
        assert not columns & {
            "client_id",
            "case_id",
            "staff_id",
            "placement_id",
            "invitation_id",
            "token_hash",
            "created_at",
            "answered_at",
        }, model
        assert not any(c.endswith("_at") for c in columns)
        # Random keys: the order of rows says nothing of the order of answering.
        assert model._meta.pk.get_internal_type() == "UUIDField"
    assert {f.column for f in Answer._meta.concrete_fields} == {
        "id",
        "survey",
        "version",
        "organisation_id",
        "municipality_id",
        "month",
        "texts",
    }
    invitation_columns = {f.column for f in Invitation._meta.concrete_fields}
    assert not any("answer" in c for c in invitation_columns)
    assert "used" in invitation_columns
    assert not {"used_at", "answered_at", "answered_on"} & invitation_columns


def test_answer_ids_are_not_sequential(aino, employment):
    for n in range(6):
        case = open_path(aino, make_client(organisation=employment, name=(f"A{n}", "B")))
        _close(case, aino)
    for invitation in Invitation.objects.filter(survey="client_satisfaction"):
        assert invitation.client_id is not None
        services.survey_answer_by_client(
            client_id=invitation.client_id, invitation_id=invitation.pk, answers=GOOD
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Answer._meta.db_table}")
        ids = [str(row[0]) for row in cursor.fetchall()]
    assert len(ids) == 6
    assert all(len(i.replace("-", "")) == 32 for i in ids)
    assert len({i[:8] for i in ids}) == 6  # random, not counting up


# --- the client's own pages ------------------------------------------------------------------


def test_the_client_answers_their_own_invitation_only(aino, employment):
    mine = make_client(organisation=employment)
    other = make_client(organisation=employment, name=("Toinen", "Asiakas"))
    for client in (mine, other):
        _close(open_path(aino, client), aino)
    theirs = Invitation.objects.filter(client=other).first()
    assert theirs is not None
    with pytest.raises(LinkUnavailable):
        services.survey_answer_by_client(client_id=mine.pk, invitation_id=theirs.pk, answers=GOOD)
    own = Invitation.objects.get(client=mine, survey="work_ability_change")
    services.survey_answer_by_client(
        client_id=mine.pk, invitation_id=own.pk, answers={"now": "7", "at_start": "3"}
    )
    assert sorted(AnswerValue.objects.values_list("item", "value")) == [("at_start", 3), ("now", 7)]
    with pytest.raises(LinkUnavailable) as caught:
        services.survey_answer_by_client(
            client_id=mine.pk, invitation_id=own.pk, answers={"now": "7", "at_start": "3"}
        )
    assert caught.value.state == "used"
    assert [s.survey.key for s in open_surveys_of_client(client_id=mine.pk)] == [
        "client_satisfaction"
    ]


def test_six_months_counts_calendar_months(aino, employment):
    from tyollisyystalo.rules.calendar import add_months

    today = TODAY()
    exactly = (today - add_months(today, -6)).days  # started six calendar months ago today
    due = open_path(aino, make_client(organisation=employment), started_days_ago=exactly)
    open_path(
        aino,
        make_client(organisation=employment, name=("Huomenna", "Vasta")),
        started_days_ago=exactly - 1,
    )
    assert services.six_month_invitations_send() == 1
    assert Invitation.objects.get().case_id == due.pk


def test_a_swedish_speaking_client_is_asked_in_swedish(
    aino, employment, django_capture_on_commit_callbacks
):
    from tyollisyystalo.surveys.links import invitation_sms_make

    client = make_client(organisation=employment, name=("Stina", "Strand"))
    identity = ClientIdentity.objects.get(client=client)
    identity.email, identity.language = "stina@example.org", "sv"
    identity.save()
    with django_capture_on_commit_callbacks(execute=True):
        _close(open_path(aino, client), aino)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Förändringen i din arbetsförmåga", "Kundnöjdhet"]
    assert all("Länken fungerar en gång" in m.body for m in mail.outbox)
    invitation = Invitation.objects.get(survey="client_satisfaction")
    _invitation, text = invitation_sms_make(actor=aino, invitation_id=invitation.pk, language="fi")
    assert text.startswith("Hej! Berätta vad du tycker: Kundnöjdhet.")
