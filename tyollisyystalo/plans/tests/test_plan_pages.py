"""Plan pages: write a plan with rows, see what is missing, edit, conflict, print."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, add_to_team, login, open_path
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.plans.services import plan_create, plan_revise
from tyollisyystalo.plans.tests.test_content import GOOD
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


@pytest.fixture
def case(sari, aino):
    return open_path(aino, sari)


def editor_post(goals, actions, **extra):
    data = {"summary": extra.pop("summary", "")}
    for n, goal in enumerate(goals):
        data[f"goal-{n}-id"] = goal.get("id", f"g{n}")
        for key, value in goal.items():
            data[f"goal-{n}-{key}"] = value
    for n, action in enumerate(actions):
        data[f"action-{n}-id"] = action.get("id", f"a{n}")
        data.setdefault(f"action-{n}-status", "planned")
        for key, value in action.items():
            data[f"action-{n}-{key}"] = value
    data.update(extra)
    return data


@pytest.mark.django_db
def test_coordinator_writes_a_plan_and_sees_what_is_still_missing(client, aino, case):
    login(client, aino)
    url = reverse("plans:create", kwargs={"case_id": case.id})
    assert "Tavoite 1" in client.get(url).content.decode()
    bad = client.post(
        url,
        editor_post(
            [{"text": "", "measure": "Päiviä viikossa"}],
            [{"what": "Työkokeilu", "responsible_kind": "client"}],
            plan_type="client",
            started_on=TODAY.isoformat(),
            language="fi",
        ),
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Kirjoita tavoite." in text
    assert 'value="Päiviä viikossa"' in text  # the input is kept
    assert not Plan.objects.exists()
    good = client.post(
        url,
        editor_post(
            [{"text": "Työkokeilu keväällä", "area": "tyo"}, {"text": ""}],
            [
                {"what": "Työkokeilupaikka", "goal": "g0", "responsible_kind": "client"},
                {"what": ""},
            ],
            plan_type="client",
            started_on=TODAY.isoformat(),
            language="fi",
        ),
    )
    assert good.status_code == 302
    plan = Plan.objects.get()
    assert len(plan.versions.get().content.goals) == 1
    page = client.get(good["Location"]).content.decode()
    assert "Mitä suunnitelmasta vielä puuttuu" in page
    assert "puuttuu mittari" in page
    assert "puuttuu seurantapäivä" in page


@pytest.mark.django_db
def test_second_save_of_the_same_version_gets_409_and_keeps_the_input(
    client, aino, case, employment
):
    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )
    other = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    add_to_team(case.client, other)
    login(client, other)
    # Aino saves version 2 while the other coordinator still edits version 1.
    plan_revise(
        actor=aino, plan_id=plan.id, base_number=1, content={**GOOD, "summary": "Ainon versio"}
    )
    edit_url = reverse("plans:edit", kwargs={"plan_id": plan.id})
    response = client.post(
        edit_url,
        editor_post(GOOD["goals"], GOOD["actions"], summary="Toisen teksti", base_number="1"),
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Joku tallensi version 2 sillä välin" in text
    assert "Toisen teksti" in text
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    again = client.post(
        edit_url,
        editor_post(GOOD["goals"], GOOD["actions"], summary="Toisen teksti", base_number="2"),
    )
    assert again.status_code == 302
    assert plan.versions.get(number=3).content.summary == "Toisen teksti"


@pytest.mark.django_db
def test_version_pages_show_the_readable_diff(client, aino, case):
    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )
    changed = {**GOOD, "goals": [{**GOOD["goals"][0], "target": "4 päivää"}]}
    plan_revise(actor=aino, plan_id=plan.id, base_number=1, content=changed, note="Tavoite nousi")
    login(client, aino)
    text = client.get(reverse("plans:detail", kwargs={"plan_id": plan.id})).content.decode()
    assert "Muutokset versiossa 2" in text
    assert "<del>3 päivää</del> → <ins>4 päivää</ins>" in text
    assert "Tavoite nousi" in text
    old = client.get(reverse("plans:detail", kwargs={"plan_id": plan.id}) + "?versio=1")
    assert "Tämä on vanha versio" in old.content.decode()


@pytest.mark.django_db
def test_the_plan_prints_as_pdf_in_the_clients_language(client, aino, case):
    plan = plan_create(
        actor=aino,
        case_id=case.id,
        plan_type="client",
        started_on=TODAY,
        content=GOOD,
        language="sv",
    )
    login(client, aino)
    response = client.get(reverse("plans:pdf", kwargs={"plan_id": plan.id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from django.template.loader import render_to_string
    from django.utils import translation

    from tyollisyystalo.plans.pdf import plan_pdf  # noqa: F401 - the renderer is importable
    from tyollisyystalo.plans.selectors import plan_get

    page = plan_get(staff=aino, plan_id=plan.id, purpose="test")
    with translation.override("sv"):
        html = render_to_string(
            "plans/plan_print.html",
            {"page": page, "plan": plan, "content": page.version.content},
        )
    assert "Mål" in html or "Åtgärder" in html
    assert AccessLogEntry.objects.filter(purpose="plan print").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "manager", "nurse_in_team", "other_coordinator"])
def test_denied_plan_page_and_pdf_show_nothing_and_log_no_read(
    client, aino, bertta, mikko, case, who
):
    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )
    if who == "manager":
        login(client, mikko)
    elif who == "nurse_in_team":
        login(client, bertta)
    elif who == "other_coordinator":
        login(client, StaffFactory.create(role=Role.COORDINATOR))
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    for name in ("plans:detail", "plans:pdf"):
        response = client.get(reverse(name, kwargs={"plan_id": plan.id}))
        assert response.status_code in {302, 404}
        assert b"Klaus" not in response.content
        assert not response.content.startswith(b"%PDF")
    assert not AccessLogEntry.objects.filter(id__gt=before, outcome="allowed").exists()


@pytest.mark.django_db
def test_plan_page_makes_the_same_number_of_queries_with_1_and_12_versions(client, aino, case):
    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="activation", started_on=TODAY, content=GOOD
    )
    login(client, aino)
    url = reverse("plans:detail", kwargs={"plan_id": plan.id})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 12):
        plan_revise(
            actor=aino,
            plan_id=plan.id,
            base_number=n,
            content={**GOOD, "summary": f"Versio {n + 1}"},
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_an_incomplete_acknowledgement_is_a_400_and_records_nothing(client, aino, case):
    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )
    login(client, aino)
    response = client.post(
        reverse("plans:acknowledge", kwargs={"plan_id": plan.id}),
        {"number": 1, "party": "organisation", "method": "oral"},
    )
    assert response.status_code == 400
    assert "Täytä osapuoli, tapa ja päivä." in response.content.decode()
    assert not plan.versions.get().acknowledgements.exists()


AINO_GOALS = [{**GOOD["goals"][0], "target": "4 päivää"}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("loser_goals", "loser_summary"),
    [(AINO_GOALS, GOOD["summary"]), (GOOD["goals"], "Toisen teksti")],
    ids=["same content", "other content"],
)
def test_the_loser_of_two_simultaneous_saves_sees_the_winners_change(
    client, aino, case, employment, monkeypatch, loser_goals, loser_summary
):
    """Both pages were opened on version 1; Aino's save lands after the other person's page
    was loaded but before their save: the other gets 409 with Aino's change, whether they typed
    the same content or not, never "no changes"."""
    from tyollisyystalo.plans import services

    plan = plan_create(
        actor=aino, case_id=case.id, plan_type="client", started_on=TODAY, content=GOOD
    )
    other = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    add_to_team(case.client, other)
    login(client, other)
    original = services.plan_revise

    def aino_saves_first(**kwargs):
        original(actor=aino, plan_id=plan.id, base_number=1, content={**GOOD, "goals": AINO_GOALS})
        return original(**kwargs)

    monkeypatch.setattr(services, "plan_revise", aino_saves_first)
    response = client.post(
        reverse("plans:edit", kwargs={"plan_id": plan.id}),
        editor_post(loser_goals, GOOD["actions"], summary=loser_summary, base_number="1"),
    )
    assert response.status_code == 409
    text = response.content.decode()
    conflict = text.split("sillä välin")[1].split("</div>")[0]
    assert "Joku tallensi version 2 sillä välin" in text
    assert "<del>3 päivää</del> → <ins>4 päivää</ins>" in conflict
    assert "Ei muutoksia" not in conflict
    assert 'name="base_number" value="2"' in text
    assert PlanVersion.objects.filter(plan=plan).count() == 2


@pytest.mark.django_db
def test_the_editor_names_only_organisations_the_card_shows_in_the_team(
    client, aino, bertta, county, case
):
    """The county's nurse is in Sari's team, but no consent lets employment services see that
    Sari uses the county's services (R3): the plan editor's organisation picker does not offer
    the county, and offers it once Sari's consent discloses her identity data to them."""
    from conftest import make_consent

    login(client, aino)
    url = reverse("plans:create", kwargs={"case_id": case.id})
    offered = dict(client.get(url).context["organisation_choices"])
    assert str(aino.organisation_id) in offered
    assert str(county.pk) not in offered
    make_consent(
        case.client,
        disclosing=[county],
        receiving=[aino.organisation],
        categories=["identity"],
        recorder=bertta,
    )
    assert str(county.pk) in dict(client.get(url).context["organisation_choices"])
