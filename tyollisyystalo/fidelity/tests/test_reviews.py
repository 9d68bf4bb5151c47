"""Fidelity review pages: who may do what (expected answers from ADR 0023 decision 13 and the
brief, not from the code), saving, bad input, change from the previous review, the plan."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.fidelity.models import FidelityItemScore, FidelityReview, ImprovementAction
from tyollisyystalo.fidelity.tests.test_scoring import ISSUE_KEYS
from tyollisyystalo.ips.tests import builders
from tyollisyystalo.staff.roles import Role

# who → (reads the team's reviews, runs reviews and writes plans)
EXPECTED = {
    "leader": (True, True),
    "leader_from_outside": (True, True),
    "coach_of_team_org": (True, False),
    "coach_of_second_team_org": (True, False),
    "manager_of_team_org": (True, False),
    "coordinator_of_team_org": (False, False),
    "coach_of_other_team": (False, False),
    "manager_of_other_org": (False, False),
}


def make_who(who, askel, klubi, muu, team):
    if who == "leader":
        staff = StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
        team.leaders.add(staff)
        return staff
    if who == "leader_from_outside":
        staff = StaffFactory.create(organisation=muu, role=Role.COORDINATOR)
        team.leaders.add(staff)
        return staff
    if who == "coach_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    if who == "coach_of_second_team_org":
        return StaffFactory.create(organisation=klubi, role=Role.JOB_COACH)
    if who == "manager_of_team_org":
        return StaffFactory.create(organisation=klubi, role=Role.MANAGER)
    if who == "coordinator_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.COORDINATOR)
    if who == "coach_of_other_team":
        return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)
    return StaffFactory.create(organisation=muu, role=Role.MANAGER)


def form_data(reviewers, scores, *, on=None, evidence=None):
    data = {"reviewed_on": (on or timezone.localdate()).isoformat(), "reviewers": reviewers}
    for key, value in scores.items():
        data[f"score_{key}"] = str(value)
    for key, note in (evidence or {}).items():
        data[f"evidence_{key}"] = note
    return data


def all_scores(value=4):
    return dict.fromkeys(ISSUE_KEYS, value)


@pytest.fixture
def review(team, leader):
    from tyollisyystalo.fidelity.services import ReviewData, fidelity_review_save

    scores = all_scores(4)
    scores["disclosure"] = 2
    return fidelity_review_save(
        staff=leader,
        team=team,
        data=ReviewData(
            reviewed_on=timezone.localdate() - dt.timedelta(days=180),
            reviewers=[leader],
            scores=scores,
            evidence={"disclosure": "Asiasta ei puhuta asiakkaiden kanssa."},
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_review_pages_by_who(client, who, askel, klubi, muu, team, other_team, review):
    may_read, may_write = EXPECTED[who]
    staff = make_who(who, askel, klubi, muu, team)
    login(client, staff)
    before_log = AccessLogEntry.objects.count()
    before_reviews = FidelityReview.objects.count()

    listing = client.get(reverse("fidelity:team", kwargs={"pk": team.pk}))
    detail = client.get(reverse("fidelity:review", kwargs={"pk": review.pk}))
    new_page = client.get(reverse("fidelity:new", kwargs={"pk": team.pk}))
    created = client.post(
        reverse("fidelity:new", kwargs={"pk": team.pk}), form_data([staff.pk], all_scores(5))
    )
    action = client.post(
        reverse("fidelity:action_add", kwargs={"pk": review.pk}),
        {
            "item_key": "disclosure",
            "what": "Koulutus",
            "who": "Tiimi",
            "due_on": timezone.localdate().isoformat(),
        },
    )
    edit = client.post(
        reverse("fidelity:edit", kwargs={"pk": review.pk}), form_data([staff.pk], all_scores(1))
    )

    assert listing.status_code == (200 if may_read else 404)
    assert detail.status_code == (200 if may_read else 404)
    assert new_page.status_code == (200 if may_write else 404)
    assert created.status_code == (302 if may_write else 404)
    assert action.status_code == (302 if may_write else 404)
    assert edit.status_code == (302 if may_write else 404)
    if not may_read:
        assert "Asiasta ei puhuta" not in detail.text
        assert team.name not in listing.text
    assert FidelityReview.objects.count() == before_reviews + (1 if may_write else 0)
    assert ImprovementAction.objects.count() == (1 if may_write else 0)
    review.refresh_from_db()
    assert (review.total == 25) is may_write
    assert AccessLogEntry.objects.count() == before_log


@pytest.mark.django_db
def test_other_teams_coach_gets_404_everywhere(client, other_coach, team, other_team, review):
    login(client, other_coach)
    own = client.get(reverse("fidelity:index"))
    assert own["Location"] == reverse("fidelity:team", kwargs={"pk": other_team.pk})
    assert client.get(reverse("fidelity:team", kwargs={"pk": team.pk})).status_code == 404
    assert client.get(reverse("fidelity:review", kwargs={"pk": review.pk})).status_code == 404


@pytest.mark.django_db
def test_leader_saves_a_complete_review_with_band(client, leader, coach, team):
    login(client, leader)
    scores = all_scores(5)
    scores["caseload_size"] = 4
    scores["disclosure"] = 4
    response = client.post(
        reverse("fidelity:new", kwargs={"pk": team.pk}),
        form_data([leader.pk, coach.pk], scores, evidence={"disclosure": "Keskusteltu."}),
    )
    assert response.status_code == 302
    saved = FidelityReview.objects.get()
    assert (saved.total, saved.band, saved.complete) == (123, "exemplary", True)
    assert set(saved.reviewers.all()) == {leader, coach}
    assert FidelityItemScore.objects.filter(review=saved).count() == 25
    assert saved.item_scores.get(item_key="disclosure").evidence == "Keskusteltu."
    page = client.get(response["Location"])
    assert "123" in page.text
    assert "Erinomainen" in page.text


@pytest.mark.django_db
def test_incomplete_review_has_no_band(client, leader, team):
    login(client, leader)
    scores = all_scores(5)
    del scores["assertive_engagement"]
    client.post(reverse("fidelity:new", kwargs={"pk": team.pk}), form_data([leader.pk], scores))
    saved = FidelityReview.objects.get()
    assert (saved.total, saved.band, saved.complete) == (120, "", False)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["6", "0", "x", "3.5"])
def test_score_outside_1_5_is_400_and_keeps_what_was_typed(client, leader, team, bad):
    login(client, leader)
    data = form_data([leader.pk], all_scores(4), evidence={"vocational_unit": "Oma kirjoitus"})
    data["score_vocational_unit"] = bad
    response = client.post(reverse("fidelity:new", kwargs={"pk": team.pk}), data)
    assert response.status_code == 400
    assert "Oma kirjoitus" in response.text
    assert not FidelityReview.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [{"reviewers": []}, {"reviewed_on": "2099-01-01"}, {"reviewed_on": "31.2.2026"}],
)
def test_bad_review_header_is_400(client, leader, team, change):
    login(client, leader)
    data = form_data([leader.pk], all_scores(4))
    data.update(change)
    response = client.post(reverse("fidelity:new", kwargs={"pk": team.pk}), data)
    assert response.status_code == 400
    assert not FidelityReview.objects.exists()


@pytest.mark.django_db
def test_reviewer_from_another_team_is_refused(client, leader, other_coach, team):
    login(client, leader)
    response = client.post(
        reverse("fidelity:new", kwargs={"pk": team.pk}),
        form_data([other_coach.pk], all_scores(4)),
    )
    assert response.status_code == 400
    assert not FidelityReview.objects.exists()


@pytest.mark.django_db
def test_prefilled_item_is_shown_and_overriding_needs_a_note(client, leader, coach, team):
    # Three open periods for one coach: 3 per coach, caseload anchor 5.
    for _ in range(3):
        builders.period(coach, builders.days_ago(40), team=team)
    login(client, leader)
    page = client.get(reverse("fidelity:new", kwargs={"pk": team.pk}))
    assert page.status_code == 200
    assert "3 avointa valmennusjaksoa valmentajaa kohden" in page.text
    assert 'value="5" id="id_score_caseload_size_5" checked' in page.text
    assert "Enintään 20 asiakasta valmentajaa kohden" in page.text  # the anchor next to 5

    scores = all_scores(4)  # caseload 4 although the figure gives 5
    # No employer contacts at all: job development and rapid job search are counted as 1.
    assert "0 kasvokkaista työnantajatapaamista" in page.text
    scores["job_development_frequency"] = 1
    scores["rapid_job_search"] = 1
    refused = client.post(
        reverse("fidelity:new", kwargs={"pk": team.pk}), form_data([leader.pk], scores)
    )
    assert refused.status_code == 400
    assert "perustelu" in refused.text.lower()
    assert not FidelityReview.objects.exists()

    accepted = client.post(
        reverse("fidelity:new", kwargs={"pk": team.pk}),
        form_data([leader.pk], scores, evidence={"caseload_size": "Osa-aikainen valmentaja."}),
    )
    assert accepted.status_code == 302
    item = FidelityItemScore.objects.get(item_key="caseload_size")
    assert (item.score, item.prefill_score) == (4, 5)
    assert item.prefill_figure == {"kind": "caseload", "value": "3.0", "count": 3, "base": 1}
    detail = client.get(accepted["Location"])
    assert "arvioija muutti" in detail.text


@pytest.mark.django_db
def test_history_chart_table_and_change_from_previous(client, leader, team, review):
    login(client, leader)
    scores = all_scores(4)
    scores["disclosure"] = 5
    scores["vocational_unit"] = 3
    client.post(
        reverse("fidelity:new", kwargs={"pk": team.pk}),
        form_data([leader.pk], scores),
    )
    latest = FidelityReview.objects.order_by("-reviewed_on")[0]
    assert latest.total == 100  # 23 × 4 + 5 + 3
    listing = client.get(reverse("fidelity:team", kwargs={"pk": team.pk}))
    assert "<svg" in listing.text
    assert "<polyline" in listing.text
    assert listing.text.count("<tr>") >= 3  # header row and a row per review
    assert "98" in listing.text
    assert "100" in listing.text
    detail = client.get(reverse("fidelity:review", kwargs={"pk": latest.pk}))
    assert "+3 (2 → 5)" in detail.text
    assert "-1 (4 → 3)" in detail.text


@pytest.mark.django_db
def test_improvement_plan_for_low_items_only(client, leader, team, review):
    login(client, leader)
    url = reverse("fidelity:action_add", kwargs={"pk": review.pk})
    ok = client.post(
        url,
        {
            "item_key": "disclosure",
            "what": "Kertomisen työpaja",
            "who": "Tiimin vetäjä",
            "due_on": timezone.localdate().isoformat(),
        },
    )
    assert ok.status_code == 302
    high = client.post(
        url, {"item_key": "caseload_size", "what": "X", "who": "Y", "due_on": "2030-01-01"}
    )
    assert high.status_code == 400
    early = client.post(
        url,
        {
            "item_key": "disclosure",
            "what": "Liian aikaisin",
            "who": "Y",
            "due_on": (review.reviewed_on - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert early.status_code == 400
    assert "Liian aikaisin" in early.text
    assert list(ImprovementAction.objects.values_list("what", flat=True)) == ["Kertomisen työpaja"]
    assert (
        "Kertomisen työpaja"
        in client.get(reverse("fidelity:review", kwargs={"pk": review.pk})).text
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_form_in_every_language(client, leader, team, language):
    login(client, leader)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("fidelity:new", kwargs={"pk": team.pk}))
    assert page.status_code == 200
    expected = {
        "fi": "Asiakasmäärä valmentajaa kohden",
        "sv": "Antal klienter per coach",
        "en": "Caseload size",
    }[language]
    assert expected in page.text


@pytest.mark.django_db
def test_review_pages_queries_constant_in_number_of_reviews(client, leader, coach, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tyollisyystalo.fidelity.services import ReviewData, fidelity_review_save

    def add(days_ago):
        return fidelity_review_save(
            staff=leader,
            team=team,
            data=ReviewData(
                reviewed_on=timezone.localdate() - dt.timedelta(days=days_ago),
                reviewers=[leader, coach],
                scores=all_scores(3),
            ),
        )

    latest = add(1)
    add(200)
    login(client, leader)
    team_url = reverse("fidelity:team", kwargs={"pk": team.pk})
    review_url = reverse("fidelity:review", kwargs={"pk": latest.pk})
    client.get(team_url)
    with CaptureQueriesContext(connection) as few:
        client.get(team_url)
        client.get(review_url)
    for n in range(8):
        add(300 + 180 * n)
    with CaptureQueriesContext(connection) as many:
        client.get(team_url)
        client.get(review_url)
    assert len(few) == len(many)
