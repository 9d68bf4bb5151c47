"""The service path in the database: opening, moving, closing with an outcome, the team."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from conftest import make_client, make_consent
from tyollisyystalo.access.gatekeeper import access_context_load, decide_read
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseOutcome,
    CaseStatus,
    ImmutableError,
)
from tyollisyystalo.cases.services import (
    case_coordinator_change,
    case_open,
    case_outcome_record,
    case_review_record,
    case_transition,
)
from tyollisyystalo.cases.team import team_invitation_answer, team_member_invite
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import TeamMembership

TODAY = timezone.localdate()


def last_seq() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def open_case(actor, client_obj, **kwargs):
    kwargs.setdefault("entry_route", "employment_services")
    kwargs.setdefault("referred_on", TODAY - dt.timedelta(days=20))
    kwargs.setdefault("coordinator", actor)
    return case_open(actor=actor, client_id=client_obj.id, **kwargs)


def move(actor, case, status, days_ago=0, **kwargs):
    return case_transition(
        actor=actor,
        case_id=case.id,
        to_status=status,
        on=TODAY - dt.timedelta(days=days_ago),
        **kwargs,
    )


@pytest.mark.django_db
def test_opening_a_path_records_who_why_and_puts_the_coordinator_in_the_team(sari, aino):
    case = open_case(aino, sari, reason="TE-asiantuntija ohjasi", referrer_name="Liisa Laine")
    assert case.status == CaseStatus.REFERRED
    event = CaseEvent.objects.get(case=case)
    assert event.kind == "opened"
    assert event.actor == aino
    assert event.reason == "TE-asiantuntija ohjasi"
    membership = TeamMembership.objects.get(client=sari, staff_member=aino, ended_at__isnull=True)
    assert membership.is_coordinator
    assert AccessLogEntry.objects.filter(object_type="case", action="create").count() == 1


@pytest.mark.django_db
def test_one_open_path_per_organisation_and_history_is_kept(sari, aino):
    first = open_case(aino, sari)
    with pytest.raises(ValidationError, match="jo avoin"):
        open_case(aino, sari)
    move(aino, first, "closed", outcome=CaseOutcome.DECLINED, reason="Ei halunnut")
    second = open_case(aino, sari, referred_on=TODAY)
    assert Case.objects.filter(client=sari).count() == 2
    assert second.status == CaseStatus.REFERRED


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_path_even_past_the_service(sari, aino):
    case = open_case(aino, sari)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            client=sari,
            owner_organisation=case.owner_organisation,
            category=DataCategory.PLAN,
            entry_route="self",
            coordinator=aino,
            referred_on=TODAY,
        )


@pytest.mark.django_db
def test_the_whole_path_referred_intake_active_closed_with_reviews(sari, aino):
    case = open_case(aino, sari)
    move(aino, case, "intake", days_ago=10)
    case.refresh_from_db()
    assert case.started_on == TODAY - dt.timedelta(days=10)
    deadlines = list(CaseDeadline.objects.filter(case=case))
    assert [d.months for d in deadlines] == [1, 3, 6, 9, 12]
    move(aino, case, "active", days_ago=5)
    case_review_record(
        actor=aino,
        case_id=case.id,
        deadline_id=deadlines[0].pk,
        held_on=TODAY,
        summary="Työkokeilu alkaa.",
    )
    move(aino, case, "closed", outcome=CaseOutcome.INDEPENDENT)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == TODAY
    assert case.outcome == CaseOutcome.INDEPENDENT
    kinds = list(case.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [
        ("opened", "", "referred"),
        ("status", "referred", "intake"),
        ("status", "intake", "active"),
        ("review", "", ""),
        ("status", "active", "closed"),
    ]
    open_deadlines = CaseDeadline.objects.filter(case=case, done_on__isnull=True)
    assert all(d.cancelled_at is not None for d in open_deadlines)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "active"),
        ([], "referred"),
        (["intake"], "intake"),
        (["intake"], "referred"),
        (["intake", "active"], "intake"),
        (["intake", "active"], "active"),
        (["intake", "active", "closed"], "active"),
        (["closed"], "intake"),
    ],
)
def test_illegal_transitions_are_refused_with_a_message_and_change_nothing(
    sari, aino, path, illegal
):
    case = open_case(aino, sari)
    for status in path:
        move(aino, case, status, outcome=CaseOutcome.OTHER if status == "closed" else "")
    case.refresh_from_db()
    events = case.events.count()
    with pytest.raises(ValidationError) as caught:
        move(aino, case, illegal)
    assert "ei voi" in " ".join(caught.value.messages)
    case.refresh_from_db()
    assert case.status == (path[-1] if path else "referred")
    assert case.events.count() == events


@pytest.mark.django_db
def test_closing_needs_an_outcome_and_other_moves_take_none(sari, aino):
    case = open_case(aino, sari)
    with pytest.raises(ValidationError) as caught:
        move(aino, case, "closed")
    assert "outcome" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        move(aino, case, "intake", outcome=CaseOutcome.PENSION)
    assert "outcome" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        move(aino, case, "intake", days_ago=-1)
    assert "on" in caught.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


@pytest.mark.django_db
def test_a_job_found_is_recorded_and_the_path_continues_to_the_next_review(sari, aino):
    case = open_case(aino, sari)
    move(aino, case, "intake", days_ago=15)
    move(aino, case, "active", days_ago=10)
    case_outcome_record(
        actor=aino, case_id=case.id, outcome=CaseOutcome.JOB_OR_STUDY, on=TODAY, reason="Työpaikka"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.outcome == CaseOutcome.JOB_OR_STUDY
    with pytest.raises(ValidationError):
        case_outcome_record(actor=aino, case_id=case.id, outcome=CaseOutcome.PENSION, on=TODAY)
    move(aino, case, "closed", outcome=CaseOutcome.JOB_OR_STUDY)
    case.refresh_from_db()
    assert case.outcome_on == TODAY  # the day the job was found, kept at closing


@pytest.mark.django_db
def test_events_are_immutable(sari, aino):
    case = open_case(aino, sari)
    event = case.events.get()
    event.reason = "muutettu"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()


@pytest.mark.django_db
def test_outsiders_cannot_open_or_move_and_are_logged_as_denied(sari, aino, bertta, mikko, cecilia):
    case = open_case(aino, sari)
    with pytest.raises(PermissionDenied):
        move(mikko, case, "intake")
    with pytest.raises(PermissionDenied):
        move(bertta, case, "intake")  # a nurse does not manage paths
    from conftest import StaffFactory
    from tyollisyystalo.staff.roles import Role

    other_coordinator = StaffFactory.create(role=Role.COORDINATOR)
    before = last_seq()
    with pytest.raises(Http404):
        move(other_coordinator, case, "intake")
    with pytest.raises(Http404):
        open_case(other_coordinator, sari)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    assert list(AccessLogEntry.objects.filter(id__gt=before).values_list("outcome", flat=True)) == [
        "denied",
        "denied",
    ]


@pytest.mark.django_db
def test_coordinator_must_be_own_organisation_with_the_role(sari, aino, bertta):
    with pytest.raises(ValidationError) as caught:
        open_case(aino, sari, coordinator=bertta)
    assert "coordinator" in caught.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_team_invitation_gives_no_access_until_accepted_and_then_only_with_consent(
    sari, aino, cecilia, employment, kela
):
    case = open_case(aino, sari)
    membership = team_member_invite(
        actor=aino, case_id=case.id, staff_member=cecilia, role_in_case="Kuntoutusasiantuntija"
    )
    assert membership.state == "invited"
    ctx = access_context_load(sari.id)
    read = decide_read(
        cecilia, ctx, owner_organisation_id=employment.pk, category=DataCategory.PLAN
    )
    assert not read.allowed
    with pytest.raises(ValidationError):
        team_invitation_answer(actor=aino, membership_id=membership.pk, accept=True)
    team_invitation_answer(actor=cecilia, membership_id=membership.pk, accept=True)
    membership.refresh_from_db()
    assert membership.state == "active"
    ctx = access_context_load(sari.id)
    assert not decide_read(
        cecilia, ctx, owner_organisation_id=employment.pk, category=DataCategory.PLAN
    ).allowed
    make_consent(
        sari, disclosing=[employment], receiving=[kela], categories=["plan"], recorder=aino
    )
    ctx = access_context_load(sari.id)
    assert decide_read(
        cecilia, ctx, owner_organisation_id=employment.pk, category=DataCategory.PLAN
    ).allowed


@pytest.mark.django_db
def test_declined_invitation_ends_and_a_new_one_may_be_sent(sari, aino, cecilia):
    case = open_case(aino, sari)
    first = team_member_invite(
        actor=aino, case_id=case.id, staff_member=cecilia, role_in_case="Kela"
    )
    with pytest.raises(ValidationError):
        team_member_invite(actor=aino, case_id=case.id, staff_member=cecilia, role_in_case="Kela")
    team_invitation_answer(actor=cecilia, membership_id=first.pk, accept=False)
    first.refresh_from_db()
    assert first.state == "declined"
    second = team_member_invite(
        actor=aino, case_id=case.id, staff_member=cecilia, role_in_case="Kela"
    )
    assert second.state == "invited"


@pytest.mark.django_db
def test_changing_the_coordinator_brings_the_new_one_into_the_team(sari, aino, employment):
    from conftest import make_person
    from tyollisyystalo.staff.roles import Role

    case = open_case(aino, sari)
    new = make_person("eero", "Eero Esimerkki", employment, Role.COORDINATOR)
    case_coordinator_change(actor=aino, case_id=case.id, coordinator=new, deputy=aino)
    case.refresh_from_db()
    assert case.coordinator == new
    assert case.deputy == aino
    assert TeamMembership.objects.get(client=sari, staff_member=new).is_coordinator
    assert case.events.filter(kind="coordinator").exists()


@pytest.mark.django_db
def test_the_client_has_one_responsible_person_per_organisation(
    sari, aino, bertta, mikko, employment
):
    """Whoever registered the client was named responsible; the path's coordinator takes the
    title, and a new coordinator takes it over. The county's own stays the county's."""
    from conftest import make_person
    from tyollisyystalo.staff.roles import Role

    TeamMembership.objects.filter(client=sari).update(is_coordinator=True)
    TeamMembership.objects.create(
        client=sari, staff_member=mikko, added_by=mikko, is_coordinator=True
    )

    def responsible() -> set[str]:
        return {
            m.staff_member.user.username
            for m in TeamMembership.objects.filter(
                client=sari, ended_at__isnull=True, is_coordinator=True
            ).select_related("staff_member__user")
        }

    case = open_case(aino, sari)
    assert responsible() == {aino.user.username, bertta.user.username}
    new = make_person("eero", "Eero Esimerkki", employment, Role.COORDINATOR)
    case_coordinator_change(actor=aino, case_id=case.id, coordinator=new, deputy=aino)
    assert responsible() == {"eero", bertta.user.username}
    assert TeamMembership.objects.filter(client=sari, staff_member=aino, ended_at=None).exists()


@pytest.mark.django_db
def test_another_client_in_the_same_organisation_gets_its_own_path(sari, aino, employment):
    other = make_client(organisation=employment, name=("Klaus", "Esimerkki"))
    open_case(aino, sari)
    open_case(aino, other)
    assert Case.objects.filter(status="referred").count() == 2
