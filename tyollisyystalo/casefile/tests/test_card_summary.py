"""The card summarises (issue 16 part 2): what matters now from what the reader may see, each
part on its own page under the same decision, and removing a team member asks first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import add_to_team, login, make_client, make_person, open_path
from tyollisyystalo.audit.models import AccessLogEntry, Outcome
from tyollisyystalo.cases.models import CaseDeadline
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


def summary_of(response) -> str:
    text = response.content.decode()
    start = text.index('class="card-summary"')
    return text[start : text.index("</section>", start)]


@pytest.fixture
def path(sari, aino):
    case = open_path(aino, sari, started_days_ago=40)
    CaseDeadline.objects.create(
        case=case, kind="interim_review", due_on=TODAY - dt.timedelta(days=3)
    )
    return case


@pytest.mark.django_db
def test_the_coordinator_sees_what_matters_now(client, path, sari, aino):
    login(client, aino)
    summary = summary_of(client.get(reverse("casefile:card", kwargs={"client_id": sari.id})))
    assert "Vastuuhenkilö" in summary
    assert aino.display_name in summary
    assert "Seuraava määräaika" in summary
    assert "(myöhässä)" in summary
    assert "Myöhässä:" in summary  # a thing to do, linked to the path
    assert f"/polut/{path.pk}/" in summary
    assert "Laadi suunnitelma palvelupolulle." in summary
    assert "Avoimet lähetteet" in summary


@pytest.mark.django_db
def test_a_reader_who_may_not_read_the_path_sees_nothing_of_it_in_the_summary(
    client, path, sari, bertta
):
    # The oracle: the county's nurse is in Sari's team but no consent discloses the employment
    # services' plan data to the county, so nothing of the path may show.
    login(client, bertta)
    response = client.get(reverse("casefile:card", kwargs={"client_id": sari.id}))
    assert response.status_code == 200
    summary = summary_of(response)
    assert "Vastuuhenkilö" not in summary
    assert "Suunnitelma" not in summary
    assert "Myöhässä" not in summary
    assert f"/polut/{path.pk}/" not in summary


@pytest.mark.django_db
def test_the_summary_costs_the_same_queries_with_more_deadlines(client, path, sari, aino):
    login(client, aino)
    url = reverse("casefile:card", kwargs={"client_id": sari.id})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        CaseDeadline.objects.create(
            case=path, kind="interim_review", due_on=TODAY - dt.timedelta(days=10 + n)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["coordinator", "stranger"])
def test_a_part_on_its_own_page_opens_exactly_as_the_card_does(
    client, path, sari, aino, kela, reader
):
    staff = (
        aino if reader == "coordinator" else make_person("kalle", "Kalle K", kela, Role.KELA_EXPERT)
    )
    login(client, staff)
    card = client.get(reverse("casefile:card", kwargs={"client_id": sari.id}))
    part = client.get(reverse("casefile:section", kwargs={"client_id": sari.id, "key": "team"}))
    assert part.status_code == card.status_code
    allowed = AccessLogEntry.objects.filter(actor_user_id=staff.user_id, outcome=Outcome.ALLOWED)
    if reader == "coordinator":
        assert part.status_code == 200
        assert "Asiakkaan tiimi" in part.content.decode()
    else:
        assert part.status_code == 404
        assert not allowed.exists()
        assert (
            AccessLogEntry.objects.filter(
                actor_user_id=staff.user_id, outcome=Outcome.DENIED
            ).count()
            == 2
        )
    unknown = client.get(reverse("casefile:section", kwargs={"client_id": sari.id, "key": "nope"}))
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_removing_a_team_member_asks_first(client, path, sari, aino, bertta, kela):
    colleague = make_person("eero", "Eero Kollega", aino.organisation, Role.COORDINATOR)
    membership = add_to_team(sari, colleague)
    hidden = TeamMembership.objects.get(client=sari, staff_member=bertta, ended_at__isnull=True)
    confirm = reverse(
        "casefile:team_end_confirm", kwargs={"client_id": sari.id, "membership_id": membership.pk}
    )
    stranger = make_person("kalle", "Kalle K", kela, Role.KELA_EXPERT)
    login(client, stranger)
    assert client.get(confirm).status_code in (403, 404)
    client.logout()
    login(client, aino)
    card = client.get(reverse("casefile:card", kwargs={"client_id": sari.id})).content.decode()
    assert confirm in card  # a small link, not a form of buttons
    page = client.get(confirm)
    assert page.status_code == 200
    assert colleague.display_name in page.content.decode()
    # The county's nurse is not shown to aino (R3): she cannot be named here either.
    hidden_url = reverse(
        "casefile:team_end_confirm", kwargs={"client_id": sari.id, "membership_id": hidden.pk}
    )
    assert client.get(hidden_url).status_code == 404
    membership.refresh_from_db()
    assert membership.ended_at is None  # asking changes nothing
    done = client.post(confirm)
    assert done.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None


@pytest.mark.django_db
def test_a_member_the_remover_is_not_shown_cannot_be_removed(
    client, path, sari, aino, bertta, employment
):
    """Removal goes through what the card shows: a member hidden from the reader (R3), or a
    membership of another client posted under this client's address, is a 404 that changes
    nothing and logs nothing as read."""
    hidden = TeamMembership.objects.get(client=sari, staff_member=bertta, ended_at__isnull=True)
    other_client = make_client(organisation=employment, name=("Olli", "Muu"))
    colleague = make_person("eero", "Eero Kollega", aino.organisation, Role.COORDINATOR)
    elsewhere = add_to_team(other_client, colleague)
    login(client, aino)
    reads_before = AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).count()
    for membership in (hidden, elsewhere):
        url = reverse(
            "casefile:team_end_confirm",
            kwargs={"client_id": sari.id, "membership_id": membership.pk},
        )
        assert client.post(url).status_code == 404
        membership.refresh_from_db()
        assert membership.ended_at is None
    assert AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).count() == reads_before
