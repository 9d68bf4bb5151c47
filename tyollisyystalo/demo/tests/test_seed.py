from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tyollisyystalo.audit.selectors import access_log_breaks
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.consents.models import ConsentVersion
from tyollisyystalo.contact_requests.models import ContactRequest
from tyollisyystalo.demo.accounts import ACCOUNTS
from tyollisyystalo.organisations.models import Organisation, OrganisationType
from tyollisyystalo.staff.models import StaffMember


@pytest.mark.django_db
def test_seed_demo_builds_the_region_once(settings):
    settings.DEMO = True
    call_command("seed_demo", clients=40)
    counts = (
        Client.objects.count(),
        StaffMember.objects.count(),
        Organisation.objects.count(),
        ContactRequest.objects.count(),
    )
    call_command("seed_demo", clients=40)
    assert (
        Client.objects.count(),
        StaffMember.objects.count(),
        Organisation.objects.count(),
        ContactRequest.objects.count(),
    ) == counts
    # Every municipality's queue has something to show.
    assert set(ContactRequest.objects.values_list("municipality__code", flat=True)) == {
        "X01",
        "X02",
        "X03",
    }
    assert counts[0] == 40
    assert counts[1] == len(ACCOUNTS) >= 20
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    assert all(i.hetu_is_temporary for i in ClientIdentity.objects.all())
    assert list(access_log_breaks()) == []


@pytest.mark.django_db
def test_demo_consents_come_in_every_state(settings):
    settings.DEMO = True
    call_command("seed_demo", clients=40)
    now = timezone.now()
    states = {v.status_at(now) for v in ConsentVersion.objects.select_related("consent")}
    assert states == {"valid", "expired", "withdrawn", "not_yet_valid"}
    partial = [
        v
        for v in ConsentVersion.objects.all()
        if {c.category for c in v.categories.all()} == {"identity", "assessments"}
    ]
    assert partial


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["seed_demo", "demo_credentials"])
def test_demo_commands_refuse_without_demo_mode(settings, command):
    settings.DEMO = False
    with pytest.raises(CommandError, match="DEMO"):
        call_command(command)
    assert Client.objects.count() == 0


@pytest.mark.django_db
def test_demo_credentials_print_current_codes(settings, capsys):
    settings.DEMO = True
    call_command("demo_credentials")
    out = capsys.readouterr().out
    assert "aino" in out
    assert "Demo-salasana-2026" in out


@pytest.mark.django_db
def test_demo_catalogue_ages_flag_some_services_once(settings):
    import json
    from pathlib import Path

    from tyollisyystalo.catalogue.models import Service
    from tyollisyystalo.catalogue.revisions import stale_before
    from tyollisyystalo.catalogue.services import catalogue_import

    settings.DEMO = True
    call_command("seed_demo", clients=1)
    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json"
    catalogue_import(data=json.loads(path.read_text(encoding="utf-8")))
    call_command("seed_demo", catalogue_ages=True)
    stale = set(Service.objects.filter(reviewed_at__lt=stale_before()).values_list("pk", flat=True))
    assert 10 <= len(stale) < Service.objects.count() / 2
    assert Service.objects.get(source_id="svc-100").pk in stale
    call_command("seed_demo", catalogue_ages=True)
    assert (
        set(Service.objects.filter(reviewed_at__lt=stale_before()).values_list("pk", flat=True))
        == stale
    )


@pytest.mark.django_db
def test_demo_paths_walk_klaus_and_cover_every_state_once(settings):
    import json
    from pathlib import Path

    from tyollisyystalo.cases.models import Case, CaseOutcome
    from tyollisyystalo.catalogue.services import catalogue_import
    from tyollisyystalo.coaching.models import CoachingPeriod, CoachingStatus
    from tyollisyystalo.coaching_modules.models import CoachingModule
    from tyollisyystalo.demo.surveys import quarters_back
    from tyollisyystalo.employers.models import EmployerContact
    from tyollisyystalo.fidelity.models import FidelityReview
    from tyollisyystalo.referrals.models import Referral
    from tyollisyystalo.selfservice.models import ClientAccount
    from tyollisyystalo.surveys.models import Answer, Invitation
    from tyollisyystalo.surveys.selectors import open_surveys_of_client
    from tyollisyystalo.worktrials.models import WorkTrialFeedback

    settings.DEMO = True
    call_command("seed_demo", clients=80)
    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json"
    catalogue_import(data=json.loads(path.read_text(encoding="utf-8")))
    call_command("seed_demo", paths=True)
    klaus = ClientAccount.objects.get(user__username="klaus").client
    case = Case.objects.get(client=klaus)
    # Found a job; the path stays open until the next interim review, which is ahead.
    assert case.status == "active"
    assert case.outcome == CaseOutcome.JOB_OR_STUDY
    next_review = case.deadlines.filter(done_on__isnull=True, kind="interim_review").first()
    assert next_review is not None
    assert next_review.due_on > timezone.localdate()
    health_check = Referral.objects.filter(client=klaus).order_by("created_at").first()
    assert health_check is not None
    assert health_check.status == "completed"
    assert WorkTrialFeedback.objects.filter(client=klaus).exists()
    assert klaus.identity.hetu_is_temporary
    # Klaus's plan waits for him and for the county; Kela's acknowledgement carried forward.
    from tyollisyystalo.plans.models import PlanAcknowledgement
    from tyollisyystalo.plans.selectors import plans_waiting_for_client
    from tyollisyystalo.staff.models import StaffMember

    assert [v.number for v in plans_waiting_for_client(client_id=klaus.pk)] == [2]
    current = PlanAcknowledgement.objects.filter(version__plan__client=klaus, version__number=2)
    assert [(a.recorded_by, a.carried_from_number) for a in current] == [
        (StaffMember.objects.get(user__username="cecilia"), 1)
    ]
    states = set(Case.objects.values_list("status", flat=True))
    assert states == {"referred", "intake", "active", "closed"}
    outcomes = set(Case.objects.filter(status="closed").values_list("outcome", flat=True))
    assert outcomes == set(CaseOutcome.values)
    # Job coaching (issue 14): Klaus with forms A, B and C, twenty others in every state,
    # a modular period, two fidelity reviews six months apart.
    klaus_coaching = CoachingPeriod.objects.get(client=klaus)
    assert (klaus_coaching.coach.user.username, klaus_coaching.status) == ("ville", "follow_along")
    assert set(klaus_coaching.form_answers.values_list("form", flat=True)) == {"A", "C"}
    assert klaus_coaching.placements.get().competitive
    assert EmployerContact.objects.filter(client=klaus, kind="meeting").exists()
    # (The eighteen months of history have coaching periods of their own, by other coaches.)
    others = CoachingPeriod.objects.exclude(client=klaus).filter(
        coach__user__username__in=["ville", "kalle"]
    )
    assert others.count() == 20
    assert set(others.values_list("status", flat=True)) == set(CoachingStatus.values)
    assert set(others.values_list("coach__user__username", flat=True)) == {"ville", "kalle"}
    assert CoachingModule.objects.filter(period__kind="modular").count() == 2
    reviews = list(FidelityReview.objects.order_by("reviewed_on"))
    assert len(reviews) == 2
    assert all(r.complete for r in reviews)
    assert 150 <= (reviews[1].reviewed_on - reviews[0].reviewed_on).days <= 210
    # Surveys (issue 15): Klaus's mid-path survey waits on his own pages; the closed paths
    # invited their clients; four quarters of answers, five or more per organisation and
    # quarter, and a neighbouring municipality's answers below five.
    assert [s.survey.key for s in open_surveys_of_client(client_id=klaus.pk)] == [
        "client_satisfaction"
    ]
    # (Paths closed through the service; the 18 months of history are bulk-built rows.)
    invited = Invitation.objects.filter(moment="path_closed")
    assert invited.exists()
    assert not invited.exclude(case__status="closed").exists()
    assert invited.count() == 2 * invited.values("case_id").distinct().count()
    esimerkkila = Organisation.objects.get(code="org-esimerkkila-tyollisyys")
    for months in quarters_back(timezone.localdate()):
        in_quarter = Answer.objects.filter(
            survey="client_satisfaction", organisation=esimerkkila, month__in=months
        )
        by_place = Counter(in_quarter.values_list("municipality__code", flat=True))
        assert sorted(by_place.values()) == [3, 12]
    assert Answer.objects.filter(survey="cooperation").count() >= 2 * 5
    assert Answer.objects.filter(survey="employer_feedback").exclude(texts="").exists()
    total = (
        Case.objects.count(),
        CoachingPeriod.objects.count(),
        Answer.objects.count(),
        Invitation.objects.count(),
    )
    call_command("seed_demo", paths=True)
    assert (
        Case.objects.count(),
        CoachingPeriod.objects.count(),
        Answer.objects.count(),
        Invitation.objects.count(),
    ) == total
    assert list(access_log_breaks()) == []
