"""The demo history (issue 15 part 7) and its bulk builder, shared with the benchmark."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.coaching.models import CoachingPeriod, Placement
from tyollisyystalo.demo.history import Coaching, Keeper, history_build, seed_history
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.organisations.models import Municipality, Organisation, OrganisationType
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.worktrials.models import FeedbackLink

TODAY = dt.date(2026, 12, 4)


def _staff(username, organisation, role=Role.COORDINATOR):
    user = get_user_model().objects.create_user(username)
    return StaffMember.objects.create(user=user, organisation=organisation, role=role)


@pytest.fixture
def keepers(db):
    x01 = Municipality.objects.create(code="X01", name_fi="Esimerkkilä")
    x02 = Municipality.objects.create(code="X02", name_fi="Pohjala")
    a = Organisation.objects.create(
        code="org-a", name_fi="A", type=OrganisationType.EMPLOYMENT_AUTHORITY
    )
    b = Organisation.objects.create(
        code="org-b", name_fi="B", type=OrganisationType.WELLBEING_COUNTY
    )
    coaches = Organisation.objects.create(code="org-c", name_fi="C", type=OrganisationType.NGO)
    return {
        "a": Keeper(a, [_staff("a1", a), _staff("a2", a)], [x01]),
        "b": Keeper(b, [_staff("b1", b)], [x01, x02], (10, 70, 10, 10)),
        "coach": _staff("c1", coaches, Role.JOB_COACH),
        "municipalities": {"X01": x01, "X02": x02},
    }


def test_builder_makes_the_clients_and_paths_asked_for(keepers):
    counts = history_build(
        [(keepers["a"], 70), (keepers["b"], 30)],
        coaching=Coaching(coaches=[keepers["coach"]]),
        today=TODAY,
    )
    assert Client.objects.count() == 100
    assert Case.objects.filter(owner_organisation=keepers["a"].organisation).count() == 70
    assert Case.objects.filter(owner_organisation=keepers["b"].organisation).count() == 30
    # What the builder says it inserted is what is there.
    assert counts["clients"] == 100
    assert counts["paths"] == 100
    assert counts["events"] == CaseEvent.objects.count()
    assert counts["deadlines"] == CaseDeadline.objects.count()
    assert counts["referrals"] == Referral.objects.count()
    assert counts["instrument_answers"] == InstrumentResponse.objects.count()
    assert counts["coaching_periods"] == CoachingPeriod.objects.count()
    # Every path is opened once; each started path has its five reviews (1, 3, 6, 9, 12 months).
    for case in Case.objects.prefetch_related("events", "deadlines"):
        kinds = [e.kind for e in case.events.all()]
        assert kinds.count("opened") == 1
        assert len(case.deadlines.all()) == (5 if case.started_on else 0)
        closing = [e for e in case.events.all() if e.to_status == "closed"]
        assert len(closing) == (1 if case.status == "closed" else 0)
        if case.status == "closed":
            assert closing[0].outcome == case.outcome
            assert closing[0].effective_on == case.closed_on
        # Dated within the eighteen months (and two more for paths still under way), none ahead.
        assert TODAY - dt.timedelta(days=18 * 30 + 60) <= case.referred_on <= TODAY
        assert all(e.effective_on <= TODAY for e in case.events.all())
    # Clients live where their keeper serves, a few elsewhere (not known).
    a_places = set(
        ClientIdentity.objects.filter(client__registered_by=keepers["a"].organisation).values_list(
            "municipality__code", flat=True
        )
    )
    assert a_places <= {"X01", None}
    assert "X01" in a_places


def test_builder_is_reproducible(keepers):
    """One random stream per client: the same numbers give the same paths."""
    coaching = Coaching(coaches=[keepers["coach"]])
    history_build([(keepers["a"], 20)], coaching=coaching, today=TODAY, start=0)
    first = sorted(Case.objects.values_list("referred_on", "status", "outcome"))
    history_build([(keepers["a"], 20)], coaching=coaching, today=TODAY, start=0)
    both = sorted(Case.objects.values_list("referred_on", "status", "outcome"))
    assert both == sorted(first + first)
    assert len(set(first)) > 10


@pytest.fixture
def demo_region(db, settings):
    settings.DEMO = True
    call_command("seed_demo", clients=5)


def test_seed_history_is_idempotent_and_shows_true_variety(demo_region):
    counts = seed_history()
    assert counts["history_clients"] == 900
    totals = (
        Client.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        Referral.objects.count(),
        InstrumentResponse.objects.count(),
        CoachingPeriod.objects.count(),
    )
    assert seed_history() == {}
    assert (
        Client.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        Referral.objects.count(),
        InstrumentResponse.objects.count(),
        CoachingPeriod.objects.count(),
    ) == totals
    today = timezone.localdate()
    history = Case.objects.filter(coordinator__user__username__startswith="historia")
    assert set(history.values_list("owner_organisation__code", flat=True)) == {
        "org-esimerkkila-tyollisyys",
        "org-pohjala-tyollisyys",
        "org-jarvikyla-tyollisyys",
        "org-hva",
    }
    assert set(history.values_list("status", flat=True)) == {
        "referred",
        "intake",
        "active",
        "closed",
    }
    assert set(history.values_list("entry_route", flat=True)) == {
        "employment_services",
        "social_health",
        "self",
        "portal",
    }
    # Paths in every one of the eighteen months.
    months = {(c.year, c.month) for c in history.values_list("referred_on", flat=True)}
    assert len(months) >= 18
    # Job or study about 28 % of the closed paths.
    closed = history.filter(status="closed")
    share = closed.filter(outcome="job_or_study").count() / closed.count()
    assert 0.2 <= share <= 0.36
    # Reviews: most on time, some late, some overdue now.
    reviews = CaseDeadline.objects.filter(case__in=history, due_on__lte=today)
    on_time = reviews.filter(done_on__isnull=False, done_on__lte=F("due_on")).count()
    late = reviews.filter(done_on__gt=F("due_on")).count()
    overdue = reviews.filter(done_on__isnull=True, cancelled_at__isnull=True).count()
    assert on_time > late > 0
    assert overdue > 0
    assert set(Referral.objects.filter(case__in=history).values_list("status", flat=True)) == {
        "sent",
        "accepted",
        "completed",
        "declined",
        "cancelled",
    }
    assert FeedbackLink.objects.filter(case__in=history, used_at__isnull=False).exists()
    # Work-ability scores at the start and later for some clients.
    scored = InstrumentResponse.objects.filter(
        instrument_key="work_ability_score", client__in=history.values("client")
    )
    per_client: dict[object, int] = {}
    for client_id in scored.values_list("client_id", flat=True):
        per_client[client_id] = per_client.get(client_id, 0) + 1
    assert sum(1 for n in per_client.values() if n >= 2) >= 20
    assert Placement.objects.filter(period__case__in=history, competitive=True).exists()
    # The henkilötunnus of every history client is temporary (900–999).
    identities = ClientIdentity.objects.filter(client__in=history.values("client"))
    assert all(i.hetu_is_temporary and 900 <= int(i.hetu[7:10]) <= 999 for i in identities)


def test_demo_history_gives_every_indicator_a_shown_figure(demo_region):
    """With the history and the survey demo, every indicator has a figure that is shown (not
    hidden by the small-number rule) in this half-year and the one before: for the region, for
    Mikko's employment services (job coaching is kept by the coaching organisations) and for
    a coaching organisation."""
    from tyollisyystalo.demo.surveys import seed_surveys
    from tyollisyystalo.indicators.definitions import indicators_all
    from tyollisyystalo.indicators.periods import PeriodKind, period_of
    from tyollisyystalo.indicators.selectors import indicator_values

    seed_history()
    seed_surveys(klaus_case=None)
    current = period_of(PeriodKind.HALF, timezone.localdate())
    periods = [current.previous(), current]
    esimerkkila = Organisation.objects.get(code="org-esimerkkila-tyollisyys")
    askelma = Organisation.objects.get(code="org-askelma")
    keys = [k for k, i in indicators_all().items() if i.kind != "public"]
    assert "work_ability_change" in keys
    assert "coaching_competitive_employment" in keys
    for key in keys:
        if key == "work_group_open_market":
            continue  # the county's work groups come with the subcontracting demo, not the history
        scopes = [None, askelma.pk if key == "coaching_competitive_employment" else esimerkkila.pk]
        for organisation_id in scopes:
            values = indicator_values(
                key,
                organisation_id=organisation_id,
                municipality_code=None,
                periods=periods,
                using="default",
            )
            shown = [v for v in values if v.value is not None and not v.suppressed]
            assert len(shown) == 2, (key, organisation_id, values)
