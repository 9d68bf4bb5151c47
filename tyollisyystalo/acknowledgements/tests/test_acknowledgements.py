"""Parties acknowledge a plan themselves: the client on their own pages, a professional of
another organisation on theirs; the plan and the PDF show who has and has not."""

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from conftest import (
    OrganisationFactory,
    StaffFactory,
    add_to_team,
    login,
    make_client,
    make_consent,
    open_path,
)
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.notifications.models import Notification, NotificationKind
from tyollisyystalo.plans.models import PlanAcknowledgement, PlanComment
from tyollisyystalo.plans.selectors import plan_get
from tyollisyystalo.plans.services import plan_acknowledge, plan_create, plan_revise
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role

TODAY = timezone.localdate()


def content(county_id: int, kela_id: int, **changes: str) -> dict[str, Any]:
    return {
        "summary": "Haluan takaisin remonttitöihin.",
        "goals": [{"id": "g1", "text": "Työkokeilu keväällä"}],
        "actions": [
            {"id": "a1", "goal": "g1", "what": "Oma työnhaku", "responsible_kind": "client"},
            {
                "id": "a2",
                "goal": "g1",
                "what": changes.get("a2", "Selkäharjoittelu"),
                "responsible_kind": "organisation",
                "responsible": "Hyvinvointialue",
                "organisation_id": str(county_id),
            },
            {
                "id": "a3",
                "goal": "g1",
                "what": "Kuntoutusselvitys",
                "responsible_kind": "organisation",
                "responsible": "Kela",
                "organisation_id": str(kela_id),
            },
        ],
    }


@pytest.fixture
def world(sari, aino, bertta, cecilia, employment, county, kela):
    """Sari's plan at employment services names the county (consent for the plan: it may read
    it) and Kela (no consent: it may not); both are in her team. Dora's organisation is not in
    the plan at all."""
    add_to_team(sari, cecilia)
    make_consent(
        sari,
        disclosing=[employment],
        receiving=[county],
        categories=[DataCategory.PLAN],
        recorder=aino,
    )
    case = open_path(aino, sari)
    user = get_user_model().objects.create_user("sari-omat")
    ClientAccount.objects.create(user=user, client=sari)
    plan = plan_create(
        actor=aino,
        case_id=case.id,
        plan_type="client",
        started_on=TODAY,
        content=content(county.pk, kela.pk),
    )
    dora = StaffFactory.create(organisation=OrganisationFactory.create(), role=Role.NURSE)
    return {"plan": plan, "user": user, "dora": dora}


def main(response) -> str:
    html = response.content.decode()
    found = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    return found.group(1) if found else ""


def reads_by(staff) -> int:
    return AccessLogEntry.objects.filter(
        actor_user_id=staff.user_id, action="read", outcome="allowed"
    ).count()


@pytest.mark.django_db
def test_the_client_acknowledges_on_their_own_pages_once(client, world, aino):
    plan, user = world["plan"], world["user"]
    client.force_login(user)
    waiting = main(client.get(reverse("acknowledgements:own_index")))
    assert "Odottaa hyväksyntääsi" in waiting
    assert str(plan.pk) in waiting
    url = reverse("acknowledgements:own_plan", kwargs={"plan_id": plan.pk})
    page = main(client.get(url))
    assert "Hyväksyn suunnitelman" in page
    assert "Oma työnhaku" in page
    response = client.post(url, {"number": 1, "response": "acknowledge"})
    assert response.status_code == 302
    ack = PlanAcknowledgement.objects.get(version__plan=plan, party="client")
    assert ack.given_by_party
    assert ack.recorded_by is None
    assert "Olet hyväksynyt" in main(client.get(url))
    again = client.post(url, {"number": 1, "response": "acknowledge"})
    assert again.status_code == 400
    assert "jo hyväksynyt" in main(again)
    assert PlanAcknowledgement.objects.filter(version__plan=plan, party="client").count() == 1
    assert Notification.objects.filter(
        recipient=aino.user, kind=NotificationKind.ACKNOWLEDGEMENT
    ).exists()
    assert (
        str(plan.pk)
        not in main(client.get(reverse("acknowledgements:own_index"))).split(
            "Kaikki suunnitelmasi"
        )[0]
    )


@pytest.mark.django_db
def test_the_client_asks_for_changes_and_the_coordinator_sees_the_comment(client, world, aino):
    plan, user = world["plan"], world["user"]
    client.force_login(user)
    url = reverse("acknowledgements:own_plan", kwargs={"plan_id": plan.pk})
    empty = client.post(url, {"number": 1, "response": "changes", "comment": "  "})
    assert empty.status_code == 400
    assert not PlanComment.objects.exists()
    client.post(url, {"number": 1, "response": "changes", "comment": "Työkokeilu syksyllä."})
    assert PlanComment.objects.get().body == "Työkokeilu syksyllä."
    assert not PlanAcknowledgement.objects.filter(party="client").exists()
    login(client, aino)
    page = main(client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})))
    assert "Työkokeilu syksyllä." in page
    assert "Haluaa muutoksia" in page


@pytest.mark.django_db
def test_a_client_sees_only_their_own_plans(client, world, employment):
    other = make_client(organisation=employment, name=("Olli", "Toinen"))
    user = get_user_model().objects.create_user("olli-omat")
    ClientAccount.objects.create(user=user, client=other)
    client.force_login(user)
    plan = world["plan"]
    url = reverse("acknowledgements:own_plan", kwargs={"plan_id": plan.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"number": 1, "response": "acknowledge"}).status_code == 404
    assert str(plan.pk) not in main(client.get(reverse("acknowledgements:own_index")))
    assert not PlanAcknowledgement.objects.exists()


# The oracle, written from the world's setup apart from the gatekeeper: who may open the plan
# (own organisation or a consent for the plan to theirs, and in the team), and whose
# organisation is a party that may acknowledge it.
ORACLE = [
    # person, opens the plan, is listed as waiting for their organisation
    ("aino", True, False),  # the owner's coordinator: writes the plan, is no party
    ("bertta", True, True),  # the county: a party, consent for the plan
    ("cecilia", False, False),  # Kela: a party, but no consent for the plan
    ("dora", False, False),  # an organisation with no part in the plan, not in the team
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "opens", "listed"), ORACLE)
def test_who_opens_and_acknowledges_a_plan(client, world, request, who, opens, listed):
    staff = world["dora"] if who == "dora" else request.getfixturevalue(who)
    plan = world["plan"]
    login(client, staff)
    before = reads_by(staff)
    page = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk}))
    assert page.status_code == (200 if opens else 404)
    if not opens:
        assert "Selkäharjoittelu" not in main(page)
        assert reads_by(staff) == before  # a refusal is logged as denied, never as a read
    waiting = main(client.get(reverse("acknowledgements:waiting")))
    assert (str(plan.pk) in waiting) is listed
    before = reads_by(staff)
    answer = client.post(
        reverse("acknowledgements:respond", kwargs={"plan_id": plan.pk}),
        {"number": 1, "response": "acknowledge"},
    )
    if listed:
        assert answer.status_code == 302
        ack = PlanAcknowledgement.objects.get(organisation=staff.organisation)
        assert ack.given_by_party
        assert ack.recorded_by == staff
    else:
        assert answer.status_code in (400, 404)
        assert not PlanAcknowledgement.objects.exists()
        if not opens:
            assert answer.status_code == 404
            assert reads_by(staff) == before


@pytest.mark.django_db
def test_an_organisation_acknowledges_once_and_the_plan_shows_both_parties(
    client, world, aino, bertta
):
    plan = world["plan"]
    url = reverse("acknowledgements:respond", kwargs={"plan_id": plan.pk})
    login(client, bertta)
    client.post(url, {"number": 1, "response": "acknowledge"})
    again = client.post(url, {"number": 1, "response": "acknowledge"})
    assert again.status_code == 400
    assert "jo kuitannut" in main(again)
    login(client, aino)
    page = main(client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})))
    assert "osapuoli itse sähköisesti" in page
    assert page.count("ei ole vielä kuitannut") == 2  # the client and Kela


@pytest.mark.django_db
def test_the_parties_are_asked_and_told(world, aino, bertta, cecilia):
    user = world["user"]
    asked = Notification.objects.filter(kind=NotificationKind.ACKNOWLEDGEMENT_REQUESTED)
    assert set(asked.values_list("recipient_id", flat=True)) == {
        user.pk,
        bertta.user_id,
        cecilia.user_id,
    }
    assert not asked.filter(recipient=aino.user).exists()


@pytest.mark.django_db
def test_a_new_version_asks_only_the_parties_whose_part_changed(world, aino, bertta, county, kela):
    plan = world["plan"]
    plan_acknowledge(
        actor=aino,
        plan_id=plan.pk,
        number=1,
        party="organisation",
        organisation_id=kela.pk,
        method="signature",
        acknowledged_on=TODAY,
    )
    Notification.objects.all().delete()
    plan_revise(
        actor=aino,
        plan_id=plan.pk,
        base_number=1,
        content=content(county.pk, kela.pk, a2="Fysioterapeutin ohjaama selkäharjoittelu"),
    )
    asked = Notification.objects.filter(kind=NotificationKind.ACKNOWLEDGEMENT_REQUESTED)
    assert set(asked.values_list("recipient_id", flat=True)) == {world["user"].pk, bertta.user_id}
    carried = PlanAcknowledgement.objects.get(version__number=2, organisation=kela)
    assert carried.carried_from_number == 1
    assert not carried.given_by_party
    page = plan_get(staff=aino, plan_id=plan.pk, purpose="test")
    assert page.parties is not None
    states = {p.key: p for p in page.parties.parties}
    assert states[str(kela.pk)].acknowledgement == carried
    assert not states[str(kela.pk)].asked
    assert states[str(county.pk)].asked
    assert states[str(county.pk)].acknowledgement is None


@pytest.mark.django_db
def test_the_coordinators_paper_record_is_marked_as_such(client, world, aino):
    plan = world["plan"]
    login(client, aino)
    client.post(
        reverse("plans:acknowledge", kwargs={"plan_id": plan.pk}),
        {
            "number": 1,
            "party": "client",
            "method": "signature",
            "acknowledged_on": TODAY.isoformat(),
            "person_name": "Sari Esimerkki",
        },
    )
    ack = PlanAcknowledgement.objects.get(party="client")
    assert not ack.given_by_party
    assert ack.recorded_by == aino
    page = main(client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})))
    assert "allekirjoitus paperilla, koordinaattorin kirjaama" in page


@pytest.mark.django_db
def test_the_pdf_shows_each_partys_acknowledgement(world, aino, bertta, monkeypatch):
    from tyollisyystalo.plans import pdf
    from tyollisyystalo.plans.services import plan_respond_for_organisation

    plan = world["plan"]
    plan_respond_for_organisation(actor=bertta, plan_id=plan.pk, number=1, response="acknowledge")
    seen: dict[str, str] = {}

    class FakeHTML:
        def __init__(self, string: str) -> None:
            seen["html"] = string

        def write_pdf(self) -> bytes:
            return b"%PDF"

    import weasyprint  # type: ignore[import-untyped]

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    pdf.plan_pdf(plan_get(staff=aino, plan_id=plan.pk, purpose="print"))
    html = seen["html"]
    assert bertta.display_name in html
    assert "osapuoli itse sähköisesti" in html
    assert TODAY.strftime("%-d.%-m.%Y") in html
    assert "ei ole vielä kuitannut" in html  # the client and Kela have not


@pytest.mark.django_db
def test_the_clients_export_holds_the_acknowledgements_and_comments(world):
    from tyollisyystalo.plans.services import plan_respond_by_client
    from tyollisyystalo.selfservice.selectors import own_export

    plan, user = world["plan"], world["user"]
    plan_respond_by_client(
        user=user,
        client_id=plan.client_id,
        plan_id=plan.pk,
        number=1,
        response="acknowledge",
        comment="Hyvä näin.",
    )
    exported = own_export(client_id=plan.client_id)["plans"][0]
    assert exported["acknowledgements"][0]["party"] == "client"
    assert exported["comments"][0]["text"] == "Hyvä näin."
    assert dt.date.fromisoformat(exported["acknowledgements"][0]["on"]) == TODAY


@pytest.mark.django_db
def test_plans_the_reader_may_not_open_do_not_crowd_the_waiting_list(
    client, world, monkeypatch, aino, bertta, employment, county, kela
):
    """The list is filled a batch at a time from what the reader may open: newer plans naming
    the county that it may not read (no consent) do not push Sari's plan off the list."""
    from tyollisyystalo.plans import selectors as plan_selectors

    monkeypatch.setattr(plan_selectors, "WAITING_SHOWN", 2)
    for n in range(3):
        person = make_client(organisation=employment, name=("Muu", f"Muukalainen{n}"))
        add_to_team(person, aino)
        plan_create(
            actor=aino,
            case_id=open_path(aino, person).id,
            plan_type="client",
            started_on=TODAY,
            content=content(county.pk, kela.pk),
        )
    login(client, bertta)
    waiting = main(client.get(reverse("acknowledgements:waiting")))
    assert str(world["plan"].pk) in waiting
    assert "Muukalainen" not in waiting
