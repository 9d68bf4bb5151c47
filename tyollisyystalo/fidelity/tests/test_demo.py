import pytest

from conftest import OrganisationFactory, StaffFactory
from tyollisyystalo.employers.demo import seed_employer_register
from tyollisyystalo.fidelity.demo import seed_fidelity_reviews
from tyollisyystalo.fidelity.models import FidelityReview, ImprovementAction
from tyollisyystalo.staff.roles import Role


@pytest.mark.django_db
def test_two_reviews_six_months_apart_once():
    askelma = OrganisationFactory.create(code="org-askelma")
    klubitalo = OrganisationFactory.create(code="org-klubitalo")
    StaffFactory.create(user__username="ville", organisation=askelma, role=Role.JOB_COACH)
    StaffFactory.create(user__username="kalle", organisation=klubitalo, role=Role.JOB_COACH)
    seed_employer_register()

    assert seed_fidelity_reviews() == 2
    assert seed_fidelity_reviews() == 0
    earlier, later = FidelityReview.objects.order_by("reviewed_on")
    assert (later.reviewed_on - earlier.reviewed_on).days == 180
    assert earlier.complete
    assert later.complete
    assert later.total > earlier.total
    assert ImprovementAction.objects.filter(review=earlier).exists()
