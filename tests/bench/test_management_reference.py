"""The management benchmark's reference (bench/management_reference.py) counts by the
definitions: a small region whose every figure is worked out by hand below."""

import datetime as dt
import importlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.coaching.models import CoachingPeriod, Placement
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.organisations.models import Municipality, Organisation, OrganisationType
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role
from tyollisyystalo.worktrials.models import FeedbackLink

reference = importlib.import_module("bench.management_reference")

FIRST, LAST = dt.date(2026, 7, 1), dt.date(2026, 9, 30)  # the quarter asked about
TODAY = dt.date(2026, 12, 4)


def at(day, hour=12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def region(db):
    m1 = Municipality.objects.create(code="X01", name_fi="Yksi")
    m2 = Municipality.objects.create(code="X02", name_fi="Kaksi")
    org = Organisation.objects.create(
        code="org-o", name_fi="O", type=OrganisationType.EMPLOYMENT_AUTHORITY
    )
    other = Organisation.objects.create(
        code="org-p", name_fi="P", type=OrganisationType.EMPLOYMENT_AUTHORITY
    )
    user = get_user_model().objects.create_user("k")
    staff = StaffMember.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
    return {"m1": m1, "m2": m2, "org": org, "other": other, "staff": staff}


def client(region, municipality):
    c = Client.objects.create(registered_by=region["org"])
    ClientIdentity.objects.create(
        client=c, first_names="A", last_name="B", search_name="b a", municipality=municipality
    )
    return c


def path(region, c, referred, started=None, closed=None, outcome="", org=None):
    status = "closed" if closed else "active" if started else "referred"
    case = Case.objects.create(
        client=c,
        owner_organisation=org or region["org"],
        category="plan",
        entry_route="self",
        coordinator=region["staff"],
        status=status,
        referred_on=referred,
        started_on=started,
        closed_on=closed,
        outcome=outcome,
        outcome_on=closed if outcome else None,
    )
    events = [CaseEvent(case=case, kind="opened", effective_on=referred, actor=region["staff"])]
    if started:
        events.append(
            CaseEvent(
                case=case,
                kind="status",
                effective_on=started,
                actor=region["staff"],
                from_status="referred",
                to_status="intake",
            )
        )
    CaseEvent.objects.bulk_create(events)
    return case


def figure(tmp_path, region, key, municipality=None):
    reference.export_tables(tmp_path)
    ref = reference.Reference(tmp_path)
    return ref.figure(
        key,
        organisation=region["org"].pk,
        municipality=municipality,
        first=FIRST,
        last=LAST,
        today=TODAY,
    )


def test_placed_in_working_life(region, tmp_path):
    c1, c2, c3 = (client(region, region[m]) for m in ("m1", "m1", "m2"))
    path(region, c1, dt.date(2026, 1, 5), dt.date(2026, 1, 9), dt.date(2026, 8, 10), "job_or_study")
    path(region, c2, dt.date(2026, 2, 5), dt.date(2026, 2, 9), dt.date(2026, 9, 30), "declined")
    path(region, c3, dt.date(2026, 2, 5), dt.date(2026, 2, 9), dt.date(2026, 7, 1), "independent")
    # Closed the day after the quarter; and another organisation's path: neither counts.
    path(region, c3, dt.date(2026, 2, 5), dt.date(2026, 2, 9), dt.date(2026, 10, 1), "job_or_study")
    path(
        region,
        c1,
        dt.date(2026, 2, 5),
        dt.date(2026, 2, 9),
        dt.date(2026, 8, 1),
        "job_or_study",
        org=region["other"],
    )
    whole = figure(tmp_path, region, "placed_in_working_life")
    assert (whole.numerator, whole.denominator) == (1, 3)
    assert str(whole.rounded(0)) == "33"  # 1/3
    x01 = figure(tmp_path, region, "placed_in_working_life", "X01")
    assert (x01.numerator, x01.denominator, str(x01.rounded(0))) == (1, 2, "50")


def test_median_days_to_first_meeting(region, tmp_path):
    c = client(region, region["m1"])
    # Days from referral to the move to intake: 4, 10, 30 in the quarter; 2 in June (not).
    for referred, started in (
        (dt.date(2026, 6, 27), dt.date(2026, 7, 1)),
        (dt.date(2026, 8, 1), dt.date(2026, 8, 11)),
        (dt.date(2026, 8, 31), dt.date(2026, 9, 30)),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 3)),
    ):
        path(region, c, referred, started, dt.date(2026, 11, 1), "other")
    result = figure(tmp_path, region, "median_days_to_first_meeting")
    assert (result.n, str(result.rounded(0))) == (3, "10")


def test_reviews_on_time(region, tmp_path):
    c1, c2 = client(region, region["m1"]), client(region, region["m2"])
    p1 = path(region, c1, dt.date(2026, 1, 5), dt.date(2026, 1, 9))
    p2 = path(region, c2, dt.date(2026, 1, 5), dt.date(2026, 1, 9), dt.date(2026, 8, 20), "other")
    CaseDeadline.objects.bulk_create(
        [
            # on time (done the day it was due, and a day early)
            CaseDeadline(
                case=p1,
                kind="interim_review",
                due_on=dt.date(2026, 7, 9),
                done_on=dt.date(2026, 7, 9),
                done_by=region["staff"],
            ),
            CaseDeadline(
                case=p1,
                kind="interim_review",
                due_on=dt.date(2026, 9, 9),
                done_on=dt.date(2026, 9, 8),
                done_by=region["staff"],
            ),
            # late: done after the due date, and never done (due date passed)
            CaseDeadline(
                case=p2,
                kind="interim_review",
                due_on=dt.date(2026, 7, 9),
                done_on=dt.date(2026, 7, 20),
                done_by=region["staff"],
            ),
            CaseDeadline(case=p2, kind="final_review", due_on=dt.date(2026, 8, 1)),
            # cancelled at closing after its due date: late
            CaseDeadline(
                case=p2,
                kind="interim_review",
                due_on=dt.date(2026, 8, 15),
                cancelled_at=at(dt.date(2026, 8, 20)),
            ),
            # cancelled before its due date: left out; not a review kind: left out
            CaseDeadline(
                case=p2,
                kind="interim_review",
                due_on=dt.date(2026, 9, 15),
                cancelled_at=at(dt.date(2026, 8, 20)),
            ),
            # cancelled on its due date: left out too
            CaseDeadline(
                case=p1,
                kind="interim_review",
                due_on=dt.date(2026, 9, 20),
                cancelled_at=at(dt.date(2026, 9, 20)),
            ),
            CaseDeadline(case=p1, kind="referral_answer", due_on=dt.date(2026, 7, 15)),
            # due outside the quarter
            CaseDeadline(case=p1, kind="interim_review", due_on=dt.date(2026, 10, 9)),
        ]
    )
    result = figure(tmp_path, region, "reviews_on_time")
    assert (result.numerator, result.denominator, result.n) == (2, 5, 2)
    assert str(result.rounded(0)) == "40"
    x01 = figure(tmp_path, region, "reviews_on_time", "X01")
    assert (x01.numerator, x01.denominator, str(x01.rounded(0))) == (2, 2, "100")


def referral(region, case, sent, status, answered=None, completed=None):
    return Referral.objects.create(
        client=case.client,
        owner_organisation=case.owner_organisation,
        category="plan",
        created_at=at(sent),
        case=case,
        receiving_organisation=region["other"],
        reason="x",
        shared_categories="education_work",
        status=status,
        sent_by=region["staff"],
        answer_due_on=sent + dt.timedelta(days=14),
        answered_at=at(answered) if answered else None,
        completed_at=at(completed) if completed else None,
        decline_reason="syy" if status == "declined" else "",
        result="tulos" if status == "completed" else "",
    )


def test_referrals_closed_loop(region, tmp_path):
    c1, c2 = client(region, region["m1"]), client(region, region["m2"])
    p1 = path(region, c1, dt.date(2026, 1, 5), dt.date(2026, 1, 9))
    p2 = path(region, c2, dt.date(2026, 1, 5), dt.date(2026, 1, 9))
    d = dt.date
    referral(region, p1, d(2026, 7, 3), "completed", d(2026, 7, 5), d(2026, 11, 1))  # result later
    referral(region, p1, d(2026, 8, 3), "declined", d(2026, 8, 5))
    referral(region, p1, d(2026, 9, 3), "accepted", d(2026, 9, 5))
    referral(region, p2, d(2026, 9, 30), "sent")
    referral(region, p2, d(2026, 9, 3), "cancelled")  # left out
    referral(region, p2, d(2026, 6, 30), "completed", d(2026, 7, 1), d(2026, 7, 2))  # June
    result = figure(tmp_path, region, "referrals_closed_loop")
    assert (result.numerator, result.denominator, result.n) == (2, 4, 2)
    assert str(result.rounded(0)) == "50"


def test_client_activation_at_the_quarters_end(region, tmp_path):
    d = dt.date
    c = [client(region, region["m1"]) for _n in range(5)]
    # c0: an accepted referral, completed only after the quarter: under way on 30.9.
    p0 = path(region, c[0], d(2026, 5, 1), d(2026, 5, 5))
    referral(region, p0, d(2026, 9, 1), "completed", d(2026, 9, 2), d(2026, 10, 15))
    # c1: a coaching period of the path, started in August, not ended.
    p1 = path(region, c[1], d(2026, 5, 1), d(2026, 5, 5))
    CoachingPeriod.objects.create(
        client=c[1],
        owner_organisation=region["org"],
        category="education_work",
        case=p1,
        coach=region["staff"],
        kind="ips",
        intensity="light",
        status="job_search",
        started_on=d(2026, 8, 1),
        created_by=region["staff"],
    )
    # c2: a work trial whose host link is still open at the end of 30.9.
    p2 = path(region, c[2], d(2026, 5, 1), d(2026, 5, 5))
    FeedbackLink.objects.create(
        case=p2,
        client=c[2],
        owner_organisation=region["org"],
        category="plan",
        token_hash="a" * 64,
        trial_label="t",
        host_name="h",
        created_by=region["staff"],
        created_at=at(d(2026, 9, 20)),
        expires_at=at(d(2026, 11, 20)),
    )
    # c3: the referral was completed in September and the trial link used: nothing under way.
    p3 = path(region, c[3], d(2026, 5, 1), d(2026, 5, 5))
    referral(region, p3, d(2026, 8, 1), "completed", d(2026, 8, 2), d(2026, 9, 15))
    FeedbackLink.objects.create(
        case=p3,
        client=c[3],
        owner_organisation=region["org"],
        category="plan",
        token_hash="b" * 64,
        trial_label="t",
        host_name="h",
        created_by=region["staff"],
        created_at=at(d(2026, 8, 20)),
        expires_at=at(d(2026, 11, 20)),
        used_at=at(d(2026, 9, 25)),
    )
    # c4: open path, nothing; and a path closed on 30.9. (not open at its end) with a referral.
    path(region, c[4], d(2026, 9, 29))
    closed = path(
        region, client(region, region["m1"]), d(2026, 5, 1), d(2026, 5, 5), d(2026, 9, 30), "other"
    )
    referral(region, closed, d(2026, 9, 1), "accepted", d(2026, 9, 2))
    result = figure(tmp_path, region, "client_activation")
    assert (result.numerator, result.denominator) == (3, 5)
    assert str(result.rounded(0)) == "60"


def test_coaching_competitive_employment(region, tmp_path):
    d = dt.date
    c = [client(region, region["m1"]) for _n in range(4)]

    def period(cl, started, ended=None):
        return CoachingPeriod.objects.create(
            client=cl,
            owner_organisation=region["org"],
            category="education_work",
            coach=region["staff"],
            kind="ips",
            intensity="light",
            status="ended" if ended else "job_search",
            started_on=started,
            ended_on=ended,
            ending_reason="other" if ended else "",
            created_by=region["staff"],
        )

    def job(p, started, ended=None, competitive=True):
        Placement.objects.create(
            client=p.client,
            owner_organisation=region["org"],
            category="education_work",
            period=p,
            employer_name="E",
            job_title="T",
            started_on=started,
            ended_on=ended,
            hours_per_week=20,
            contract_type="permanent",
            competitive=competitive,
        )

    job(period(c[0], d(2026, 1, 1)), d(2026, 9, 30))  # job starts on the last day: counts
    job(period(c[1], d(2026, 1, 1), d(2026, 7, 1)), d(2026, 3, 1), d(2026, 7, 1))  # ends on day 1
    job(period(c[2], d(2026, 1, 1)), d(2026, 8, 1), competitive=False)  # not competitive
    job(period(c[3], d(2026, 1, 1)), d(2026, 3, 1), d(2026, 6, 30))  # ended before the quarter
    period(client(region, region["m2"]), d(2026, 10, 1))  # starts after: not in coaching
    result = figure(tmp_path, region, "coaching_competitive_employment")
    assert (result.numerator, result.denominator) == (2, 4)


def score(region, c, on, value, org=None):
    InstrumentResponse.objects.create(
        client=c,
        owner_organisation=org or region["org"],
        category="assessments",
        instrument_key="work_ability_score",
        instrument_version="1",
        answered_on=on,
        respondent="professional",
        entered_by=region["staff"],
        answers_json=json.dumps({"work_ability": str(value)}),
        result_json=json.dumps({"total": str(value)}),
    )


def test_work_ability_change(region, tmp_path):
    d = dt.date
    c = [client(region, region["m1"]) for _n in range(4)]
    score(region, c[0], d(2025, 3, 1), 3)
    score(region, c[0], d(2026, 1, 1), 9)
    score(region, c[0], d(2026, 8, 1), 5)  # latest in the quarter: 5 - 3 = +2
    score(region, c[1], d(2026, 2, 1), 6)
    score(region, c[1], d(2026, 9, 30), 5)  # -1
    score(region, c[2], d(2026, 2, 1), 2)
    score(region, c[2], d(2026, 7, 1), 6)  # +4
    score(region, c[2], d(2026, 10, 1), 9)  # after the quarter: not the latest "by its end"
    score(region, c[3], d(2026, 8, 1), 7)  # one score only
    score(region, c[3], d(2026, 1, 1), 1, org=region["other"])  # another keeper's
    result = figure(tmp_path, region, "work_ability_change")
    assert result.n == 3
    assert str(result.rounded(1)) == "2.0"  # median of -1, +2, +4
