"""Plans on the path: versions, the concurrent edit conflict, acknowledgements, deadlines."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from conftest import StaffFactory, open_path
from tyollisyystalo.cases.models import CaseDeadline
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.plans.services import (
    PlanConflict,
    plan_acknowledge,
    plan_create,
    plan_review_record,
    plan_revise,
)
from tyollisyystalo.plans.tests.test_content import GOOD
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


@pytest.fixture
def case(sari, aino):
    return open_path(aino, sari)


def new_plan(aino, case, plan_type="client", **kwargs):
    return plan_create(
        actor=aino,
        case_id=case.id,
        plan_type=plan_type,
        started_on=TODAY - dt.timedelta(days=10),
        content=GOOD,
        **kwargs,
    )


@pytest.mark.django_db
def test_a_plan_starts_at_version_1_and_each_change_is_a_new_version(aino, case):
    plan = new_plan(aino, case)
    assert plan.current_number == 1
    changed = {**GOOD, "summary": "Uusi tilanne"}
    version = plan_revise(actor=aino, plan_id=plan.id, base_number=1, content=changed, note="x")
    assert version.number == 2
    assert version.created_by == aino
    assert PlanVersion.objects.get(plan=plan, number=1).content.summary == GOOD["summary"]
    with pytest.raises(ValidationError, match="ei tehty muutoksia"):
        plan_revise(actor=aino, plan_id=plan.id, base_number=2, content=changed)


@pytest.mark.django_db
def test_two_coordinators_saving_the_same_version_the_second_gets_a_conflict(
    aino, case, employment
):
    other = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    from conftest import add_to_team

    add_to_team(case.client, other)
    plan = new_plan(aino, case)
    first = {**GOOD, "summary": "Ainon muutos"}
    second = {**GOOD, "summary": "Toisen muutos"}
    plan_revise(actor=aino, plan_id=plan.id, base_number=1, content=first)
    with pytest.raises(PlanConflict) as caught:
        plan_revise(actor=other, plan_id=plan.id, base_number=1, content=second)
    assert caught.value.current_number == 2
    plan.refresh_from_db()
    assert plan.current_number == 2
    assert PlanVersion.objects.get(plan=plan, number=2).content.summary == "Ainon muutos"
    # Nothing lost: the second saves again on top of the newest version.
    plan_revise(actor=other, plan_id=plan.id, base_number=2, content=second)
    assert PlanVersion.objects.filter(plan=plan).count() == 3


@pytest.mark.django_db
def test_activation_and_typ_plans_get_their_statutory_deadlines(aino, case):
    activation = new_plan(aino, case, "activation")
    review = CaseDeadline.objects.get(plan_id=activation.id, kind="plan_review")
    assert review.months == 3
    assert "189/2001" in review.legal_source
    typ = new_plan(aino, case, "multisector", mapping_started_on=TODAY - dt.timedelta(days=15))
    kinds = set(CaseDeadline.objects.filter(plan_id=typ.id).values_list("kind", flat=True))
    assert kinds == {"plan_review", "typ_mapping"}
    assert not CaseDeadline.objects.filter(plan_id=new_plan(aino, case, "client").id).exists()


@pytest.mark.django_db
def test_review_dates_the_next_review_and_client_acknowledgement_ends_mapping(aino, case):
    typ = new_plan(aino, case, "multisector", mapping_started_on=TODAY - dt.timedelta(days=15))
    plan_acknowledge(
        actor=aino,
        plan_id=typ.id,
        number=1,
        party="client",
        method="signature",
        acknowledged_on=TODAY,
    )
    mapping = CaseDeadline.objects.get(plan_id=typ.id, kind="typ_mapping")
    assert mapping.done_on == TODAY
    with pytest.raises(ValidationError, match="jo hyväksynyt"):
        plan_acknowledge(
            actor=aino,
            plan_id=typ.id,
            number=1,
            party="client",
            method="oral",
            acknowledged_on=TODAY,
        )
    plan_review_record(actor=aino, plan_id=typ.id, reviewed_on=TODAY)
    reviews = CaseDeadline.objects.filter(plan_id=typ.id, kind="plan_review").order_by("due_on")
    assert [r.done_on for r in reviews] == [TODAY, None]
    assert reviews[1].due_on >= TODAY + dt.timedelta(days=89)


@pytest.mark.django_db
def test_one_plan_of_each_type_per_path_and_bad_content_writes_nothing(aino, case):
    new_plan(aino, case)
    with pytest.raises(ValidationError):
        new_plan(aino, case)
    with pytest.raises(ValidationError) as caught:
        plan_create(
            actor=aino,
            case_id=case.id,
            plan_type="activation",
            started_on=TODAY,
            content={"goals": [{"text": ""}]},
        )
    assert "goals.0.text" in caught.value.message_dict
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_another_organisation_cannot_write_the_plan(aino, bertta, case):
    plan = new_plan(aino, case)
    with pytest.raises(Http404):
        plan_revise(actor=bertta, plan_id=plan.id, base_number=1, content={**GOOD, "summary": "x"})
    assert PlanVersion.objects.filter(plan=plan).count() == 1
