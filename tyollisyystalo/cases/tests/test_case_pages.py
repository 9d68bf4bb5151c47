"""The path pages: opening from the card, moving, reviews, invitations, worklist; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import add_to_team, login, make_client, open_path
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import Case, CaseDeadline, CaseStatus
from tyollisyystalo.cases.services import case_transition
from tyollisyystalo.cases.team import team_member_invite
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


def started_case(actor, client_obj, days_ago=40):
    return open_path(actor, client_obj, started_days_ago=days_ago)


@pytest.mark.django_db
def test_coordinator_opens_a_path_from_the_card_and_moves_it(client, sari, aino):
    login(client, aino)
    card = client.get(reverse("casefile:card", kwargs={"client_id": sari.id})).content.decode()
    assert "Avaa palvelupolku" in card
    url = reverse("cases:open", kwargs={"client_id": sari.id})
    bad = client.post(url, {"entry_route": "nowhere", "referred_on": TODAY.isoformat()})
    assert bad.status_code == 400
    assert not Case.objects.exists()
    response = client.post(
        url,
        {
            "entry_route": "employment_services",
            "referred_on": TODAY.isoformat(),
            "coordinator": aino.pk,
            "referrer_name": "Liisa Laine",
            "reason": "Työkyvyn tuen tarve",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Ohjattu" in page
    assert "Liisa Laine" in page
    moved = client.post(
        reverse("cases:transition", kwargs={"case_id": case.id}),
        {"to_status": "intake", "on": TODAY.isoformat()},
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    refused = client.post(
        reverse("cases:transition", kwargs={"case_id": case.id}),
        {"to_status": "referred", "on": TODAY.isoformat()},
    )
    assert refused.status_code == 400
    assert "ei voi siirtyä" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE


@pytest.mark.django_db
def test_closing_without_outcome_keeps_the_form_and_says_what_is_missing(client, sari, aino):
    case = started_case(aino, sari)
    login(client, aino)
    response = client.post(
        reverse("cases:transition", kwargs={"case_id": case.id}),
        {"to_status": "closed", "on": TODAY.isoformat(), "reason": "Muutti Ouluun"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Valitse, miten palvelupolku päättyi." in text
    assert "Muutti Ouluun" in text
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE


@pytest.mark.django_db
def test_review_is_recorded_from_the_path_page(client, sari, aino):
    case = started_case(aino, sari)
    first = CaseDeadline.objects.filter(case=case).order_by("due_on")[0]
    login(client, aino)
    empty = client.post(
        reverse("cases:review", kwargs={"case_id": case.id}),
        {"deadline_id": first.pk, "held_on": TODAY.isoformat(), "summary": ""},
    )
    assert empty.status_code == 400
    done = client.post(
        reverse("cases:review", kwargs={"case_id": case.id}),
        {"deadline_id": first.pk, "held_on": TODAY.isoformat(), "summary": "Hyvä alku."},
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.done_on == TODAY


@pytest.mark.django_db
def test_invited_member_sees_the_invitation_on_the_worklist_and_what_consent_is_missing(
    client, sari, aino, cecilia
):
    case = started_case(aino, sari)
    team_member_invite(
        actor=aino, case_id=case.id, staff_member=cecilia, role_in_case="Kuntoutusasiantuntija"
    )
    login(client, aino)
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.id})).content.decode()
    assert "Kutsuttu" in page
    assert "Ei näe ilman suostumusta" in page
    client.logout()
    login(client, cecilia)
    worklist = client.get(reverse("cases:worklist")).content.decode()
    assert "Kuntoutusasiantuntija" in worklist
    assert "Esimerkki, Sari" not in worklist  # no client name before joining
    membership = case.team.get(staff_member=cecilia)
    response = client.post(
        reverse("cases:invitation_answer", kwargs={"membership_id": membership.pk}),
        {"answer": "accept"},
    )
    # Joined, but the path is the employment organisation's plan data: no consent, no page.
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "manager", "other_coordinator", "nurse_in_team"])
def test_denied_path_page_shows_nothing_and_logs_no_read(client, sari, aino, mikko, bertta, who):
    from conftest import StaffFactory
    from tyollisyystalo.staff.roles import Role

    case = started_case(aino, sari)
    if who == "manager":
        login(client, mikko)
    elif who == "other_coordinator":
        login(client, StaffFactory.create(role=Role.COORDINATOR))
    elif who == "nurse_in_team":
        login(client, bertta)
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = client.get(reverse("cases:detail", kwargs={"case_id": case.id}))
    assert response.status_code in {302, 404}
    assert "Arvioinnit ja määräajat" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(id__gt=before, outcome="allowed").exists()


@pytest.mark.django_db
def test_worklist_shows_overdue_and_due_soon_reviews_by_client_name(client, sari, aino):
    case = started_case(aino, sari, days_ago=40)  # the 1-month review is overdue
    review = case.deadlines.get(months=1)
    login(client, aino)
    text = client.get(reverse("cases:worklist")).content.decode()
    assert "Myöhässä" in text
    assert "Väliarviointi (1 kk)" in text
    due = review.due_on
    assert f"<td>{due.day}.{due.month}.{due.year}</td>" in text
    case_link = reverse("cases:detail", kwargs={"case_id": case.id})
    assert f'<a href="{case_link}">Esimerkki, Sari</a>' in text


def _many_paths(aino, employment, count):
    for n in range(count):
        person = make_client(organisation=employment, name=(f"Asiakas{n}", "Testi"))
        add_to_team(person, aino)
        started_case(aino, person, days_ago=25 + n)


@pytest.mark.django_db
def test_worklist_and_path_page_make_the_same_number_of_queries_at_two_sizes(
    client, sari, aino, employment
):
    case = started_case(aino, sari)
    login(client, aino)
    _many_paths(aino, employment, 2)
    with CaptureQueriesContext(connection) as small_list:
        assert client.get(reverse("cases:worklist")).status_code == 200
    with CaptureQueriesContext(connection) as small_page:
        client.get(reverse("cases:detail", kwargs={"case_id": case.id}))
    _many_paths(aino, employment, 12)
    for n in range(6):
        case_transition(
            actor=aino,
            case_id=Case.objects.filter(status="intake").exclude(pk=case.pk)[n].id,
            to_status="active",
            on=TODAY,
        )
    with CaptureQueriesContext(connection) as big_list:
        text = client.get(reverse("cases:worklist")).content.decode()
    assert text.count("Asiakas1") >= 1
    with CaptureQueriesContext(connection) as big_page:
        client.get(reverse("cases:detail", kwargs={"case_id": case.id}))
    assert len(big_list) == len(small_list)
    assert len(big_page) == len(small_page)


@pytest.mark.django_db
def test_invite_finds_a_professional_by_name_and_sends_the_invitation(client, sari, aino, cecilia):
    case = started_case(aino, sari)
    login(client, aino)
    url = reverse("cases:invite", kwargs={"case_id": case.id})
    found = client.get(url, {"q": cecilia.user.last_name}).content.decode()
    assert cecilia.display_name in found
    missing = client.post(url, {"q": cecilia.user.last_name, "role_in_case": "Kela"})
    assert missing.status_code == 400
    sent = client.post(
        url, {"q": "x", "staff_member": cecilia.pk, "role_in_case": "Kuntoutusasiantuntija"}
    )
    assert sent.status_code == 302
    assert case.team.get(staff_member=cecilia).state == "invited"


@pytest.mark.django_db
def test_coordinator_page_changes_the_deputy(client, sari, aino, employment):
    from conftest import make_person

    case = started_case(aino, sari)
    deputy = make_person("eero", "Eero Eskola", employment, Role.COORDINATOR)
    login(client, aino)
    url = reverse("cases:coordinator", kwargs={"case_id": case.id})
    assert client.get(url).status_code == 200
    response = client.post(url, {"coordinator": aino.pk, "deputy": deputy.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.deputy == deputy


@pytest.mark.django_db
def test_the_worklist_pages_the_deadlines_most_urgent_first(client, sari, aino, employment):
    from tyollisyystalo.cases.selectors import WORKLIST_PAGE

    _many_paths(aino, employment, WORKLIST_PAGE + 5)  # each has its 1-month review near
    login(client, aino)
    first = client.get(reverse("cases:worklist")).content.decode()
    assert "Sivu 1 / 2" in first
    second = client.get(reverse("cases:worklist"), {"sivu": "2"}).content.decode()
    assert "Sivu 2 / 2" in second
    assert client.get(reverse("cases:worklist"), {"sivu": "x"}).status_code == 200


@pytest.mark.django_db
def test_the_card_logs_the_paths_it_lists(client, sari, aino):
    started_case(aino, sari)
    login(client, aino)
    client.get(reverse("casefile:card", kwargs={"client_id": sari.id}))
    read = AccessLogEntry.objects.get(object_type="client_cases", client_id=sari.id)
    assert read.categories == "plan"
    assert read.action == "read"
