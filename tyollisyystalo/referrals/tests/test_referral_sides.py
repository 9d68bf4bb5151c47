"""Which view of a referral a person gets, and what it shows (issue 13, defects 1, 2 and 4).

The expected answers come from an oracle written here from rules R1, R2 and R4 with the role
table's facts spelled out literally, apart from the selectors and the gatekeeper under test.

The world: employment services (the sender, whose coordinator Aino is in the client's team)
refer the client to the wellbeing county; Kela is a third organisation. The sender has an
entry in every category. The consent from the sender to the county is then left as it was
(covering), withdrawn, ended (none valid now) or narrowed to categories that the referral did
not share (not covering).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import add_entry, add_to_team, login, make_client, make_consent, make_person
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.services import case_open
from tyollisyystalo.clients.models import ClientIdentity, ClientRelationship
from tyollisyystalo.consents.models import ConsentCategory, ConsentVersion
from tyollisyystalo.organisations.models import Organisation, OrganisationType
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.referrals.services import (
    referral_answer,
    referral_cancel,
    referral_complete,
    referral_send,
)
from tyollisyystalo.staff.roles import Role

ALL = {
    "identity",
    "social",
    "health",
    "education_work",
    "employment_services",
    "plan",
    "assessments",
    "notes",
}
HEALTH_DATA = {"identity", "health", "plan", "assessments", "notes"}
EMPLOYMENT_DATA = {"identity", "education_work", "employment_services", "plan", "assessments"}
# The role table's facts (staff/policy.py, ADR 0005), written out literally for the oracle.
READS: dict[str, set[str]] = {
    "coordinator": ALL,
    "social_worker": ALL,
    "social_counsellor": ALL - {"health"},
    "nurse": HEALTH_DATA | {"social"},
    "physiotherapist": HEALTH_DATA,
    "psychologist": HEALTH_DATA | {"social"},
    "job_coach": EMPLOYMENT_DATA | {"notes"},
    "kela_expert": HEALTH_DATA | {"education_work"},
    "work_group_supervisor": {"identity", "plan", "education_work"},
    "manager": set(),
}
HANDLES_REFERRALS = {
    "coordinator",
    "social_worker",
    "social_counsellor",
    "nurse",
    "physiotherapist",
    "psychologist",
    "job_coach",
    "kela_expert",
}
DUTY_COVERS_CLIENTS = {"coordinator", "social_counsellor", "employment_expert"}

SHARED = ["health", "education_work", "assessments"]  # identity always travels with them
COVERING = ["identity", "plan", "health", "education_work", "assessments", "social"]
NOT_COVERING = ["social", "notes"]
CONSENT_STATES = ["none", "covering", "not_covering", "withdrawn"]
TODAY = timezone.localdate()
REASON = "Ohjauksen syy: selkäoireet ja työkyky"
PHONE = "+358401234567"


def title(category: str) -> str:
    return f"Lähettäjän kirjaus {category}"


@dataclass
class World:
    employment: Organisation
    county: Organisation
    kela: Organisation
    referral: Referral
    consent_id: int
    state: str
    covering: list[str]

    def covered(self, category: str) -> bool:
        """A consent valid now lets the sender disclose ``category`` to the county."""
        if self.state == "covering":
            return category in self.covering
        if self.state == "not_covering":
            return category in NOT_COVERING
        return False


def build(db_state: str, *, status: str = "sent", shared=SHARED, covering=COVERING) -> World:
    employment = Organisation.objects.create(code="tyollisyys", name_fi="Työllisyyspalvelut")
    county = Organisation.objects.create(
        code="hva", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )
    kela = Organisation.objects.create(code="kela", name_fi="Kela", type=OrganisationType.KELA)
    aino = make_person("aino", "Aino Koordinaattori", employment, Role.COORDINATOR)
    client = make_client(organisation=employment, name=("Klaus", "Testinen"))
    identity = ClientIdentity.objects.get(client=client)
    identity.phone = PHONE
    identity.save()
    add_to_team(client, aino)
    for category in sorted(ALL - {"identity"}):
        add_entry(client, employment, aino, category, title(category))
    consent = make_consent(
        client, disclosing=[employment], receiving=[county], categories=covering, recorder=aino
    )
    case = case_open(
        actor=aino,
        client_id=client.id,
        entry_route="self",
        referred_on=TODAY - dt.timedelta(days=5),
        coordinator=aino,
    )
    referral = referral_send(
        actor=aino,
        case_id=case.id,
        reason=REASON,
        categories=shared,
        receiving_organisation=county,
    )
    if status != "sent":
        acceptor = make_person("ritva", "Ritva Vastaanottaja", county, Role.NURSE)
        if status == "cancelled":
            referral_cancel(actor=aino, referral_id=referral.id)
        else:
            referral_answer(
                actor=acceptor,
                referral_id=referral.id,
                accept=status != "declined",
                reason="Ei resursseja",
            )
        if status == "completed":
            referral_complete(actor=acceptor, referral_id=referral.id, result="Tulos: tehty")
    version = ConsentVersion.objects.get(consent=consent)
    if db_state == "withdrawn":
        consent.withdrawn_at = timezone.now() - dt.timedelta(minutes=1)
        consent.withdrawn_by = aino
        consent.withdrawal_method = "oral"
        consent.save()
    elif db_state == "none":
        ConsentVersion.objects.filter(pk=version.pk).update(
            valid_until=TODAY - dt.timedelta(days=1)
        )
    elif db_state == "not_covering":
        ConsentCategory.objects.filter(version=version).delete()
        ConsentCategory.objects.bulk_create(
            [ConsentCategory(version=version, category=c) for c in NOT_COVERING]
        )
    referral.refresh_from_db()
    return World(employment, county, kela, referral, consent.pk, db_state, list(covering))


# --- the oracle (R1, R2, R4) -------------------------------------------------------------


def works_with(reader, client_id) -> bool:
    from tyollisyystalo.clients.models import TeamMembership

    in_team = TeamMembership.objects.filter(
        client_id=client_id, staff_member=reader, ended_at__isnull=True
    ).exists()
    own_relationship = ClientRelationship.objects.filter(
        client_id=client_id, organisation=reader.organisation, ended_on__isnull=True
    ).exists()
    return in_team or (reader.role in DUTY_COVERS_CLIENTS and own_relationship)


def r1(world: World, reader, owner: Organisation, category: str) -> bool:
    if category not in READS[reader.role]:
        return False
    if not works_with(reader, world.referral.client_id):
        return False
    if owner == reader.organisation:
        return True
    return (
        owner == world.employment
        and reader.organisation == world.county
        and world.covered(category)
    )


def r2(world: World, reader) -> bool:
    owners = Organisation.objects.filter(
        client_relationships__client_id=world.referral.client_id
    ).distinct()
    return any(r1(world, reader, owner, "identity") for owner in owners)


def side(world: World, reader) -> str | None:
    if reader.organisation == world.county and reader.role in HANDLES_REFERRALS:
        return "receiver"
    if reader.organisation == world.employment and r1(world, reader, world.employment, "plan"):
        return "sender"
    return None


def shown_to_receiver_before_answer(world: World, reader) -> set[str]:
    return {
        c
        for c in ["identity", *SHARED]
        if c in world.referral.categories and world.covered(c) and c in READS[reader.role]
    }


# --- helpers over the response ------------------------------------------------------------


def page_of(client, world: World, reader):
    login(client, reader)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("referrals:detail", kwargs={"referral_id": world.referral.id}))
    rows = list(AccessLogEntry.objects.order_by("id")[before:])
    return response, response.content.decode(), rows


def answer_url(world: World) -> str:
    return reverse("referrals:answer", kwargs={"referral_id": world.referral.id})


def cancel_url(world: World) -> str:
    return reverse("referrals:cancel", kwargs={"referral_id": world.referral.id})


def assert_denied_and_logged_once(response, text: str, rows, world: World) -> None:
    assert response.status_code == 404
    assert "Klaus" not in text
    assert REASON not in text
    assert [(r.outcome, r.client_id, r.categories) for r in rows] == [
        ("denied", world.referral.client_id, "")
    ]


def assert_consent_rows_name_their_consent(rows) -> None:
    for row in rows:
        if row.basis in {"consent", "statute"}:
            assert row.consent_id is not None, row.categories


def shown_categories(text: str) -> set[str]:
    return {c for c in ALL - {"identity"} if title(c) in text}


READERS = {
    # name: (organisation attribute, role)
    "sender-coordinator": ("employment", Role.COORDINATOR),
    "sender-job-coach": ("employment", Role.JOB_COACH),
    "receiver-nurse": ("county", Role.NURSE),
    "receiver-without-referral-handle": ("county", Role.WORK_GROUP_SUPERVISOR),
    "third-organisation": ("kela", Role.KELA_EXPERT),
}


def reader_for(world: World, kind: str, in_team: bool):
    organisation, role = READERS[kind]
    reader = make_person("lukija", "Lukija Testaaja", getattr(world, organisation), role)
    if in_team:
        add_to_team(world.referral.client, reader)
    return reader


# --- defect 4: the side alone decides the view ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("in_team", [True, False], ids=["in-team", "not-in-team"])
@pytest.mark.parametrize("state", CONSENT_STATES)
@pytest.mark.parametrize("kind", list(READERS))
def test_the_view_depends_only_on_the_readers_side(client, kind, state, in_team):
    world = build(state)
    reader = reader_for(world, kind, in_team)
    expected = side(world, reader)
    response, text, rows = page_of(client, world, reader)
    if expected is None:
        assert_denied_and_logged_once(response, text, rows, world)
        return
    assert response.status_code == 200
    assert all(r.outcome == "allowed" for r in rows)
    assert {r.object_type for r in rows} == {"referral"}
    assert_consent_rows_name_their_consent(rows)
    logged = set().union(*(set(r.categories.split(",")) for r in rows)) - {""}
    if expected == "receiver":
        assert answer_url(world) in text
        assert cancel_url(world) not in text
        assert "Peru lähete" not in text
        shown = shown_to_receiver_before_answer(world, reader)
        assert shown_categories(text) == shown - {"identity"}
        assert ("Klaus" in text) == ("identity" in shown)
        assert logged == shown | {"plan"}
        referral_row = next(r for r in rows if "plan" in r.categories.split(","))
        assert (referral_row.basis, referral_row.consent_id) == ("consent", world.consent_id)
    else:
        assert answer_url(world) not in text
        assert cancel_url(world) in text
        assert shown_categories(text) == set()
        assert REASON in text
        assert "plan" in logged


@pytest.mark.django_db
def test_klaus_case_the_receiver_with_a_covering_consent_gets_the_answer_form(client):
    """The browser walk: consent to share plan data with the county, Bertta in the team."""
    world = build("covering")
    bertta = reader_for(world, "receiver-nurse", in_team=True)
    response, text, _rows = page_of(client, world, bertta)
    assert response.status_code == 200
    assert answer_url(world) in text
    assert "Peru lähete" not in text
    answered = client.post(answer_url(world), {"answer": "accept"})
    assert answered.status_code == 302
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.ACCEPTED
    answer_row = AccessLogEntry.objects.filter(action="update", object_type="referral").latest("id")
    assert (answer_row.basis, answer_row.consent_id) == ("consent", world.consent_id)


@pytest.mark.django_db
@pytest.mark.parametrize("in_team", [True, False], ids=["in-team", "not-in-team"])
@pytest.mark.parametrize("state", ["covering", "withdrawn"])
def test_cancel_is_refused_to_the_receiver_and_changes_nothing(client, state, in_team):
    world = build(state)
    bertta = reader_for(world, "receiver-nurse", in_team=in_team)
    login(client, bertta)
    before = AccessLogEntry.objects.count()
    response = client.post(cancel_url(world))
    rows = list(AccessLogEntry.objects.order_by("id")[before:])
    assert response.status_code in {403, 404}
    assert "Klaus" not in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.SENT
    assert [(r.outcome, r.client_id) for r in rows] == [("denied", world.referral.client_id)]


@pytest.mark.django_db
def test_the_sender_may_cancel_an_unanswered_referral(client):
    world = build("covering")
    sender = reader_for(world, "sender-coordinator", in_team=True)
    login(client, sender)
    response = client.post(cancel_url(world))
    assert response.status_code == 302
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.CANCELLED


# --- defect 1: the receiver's role table applies ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        Role.PHYSIOTHERAPIST,
        Role.PSYCHOLOGIST,
        Role.SOCIAL_COUNSELLOR,
        Role.SOCIAL_WORKER,
        Role.JOB_COACH,
        Role.NURSE,
    ],
)
def test_the_receiver_sees_only_shared_consented_categories_that_the_role_needs(client, role):
    everything = sorted(ALL - {"identity"})
    world = build("covering", shared=everything, covering=sorted(ALL))
    reader = make_person("vastaanottaja", "Vera Vastaanottaja", world.county, role)
    response, text, rows = page_of(client, world, reader)
    assert response.status_code == 200
    expected = READS[role] - {"identity"}
    assert shown_categories(text) == expected
    assert ("Klaus" in text) == ("identity" in READS[role])
    logged = set().union(*(set(r.categories.split(",")) for r in rows)) - {""}
    assert logged == (READS[role] & ALL) | {"plan"}
    assert all(r.consent_id == world.consent_id for r in rows)


# --- defect 2: after the answer, the ordinary gatekeeper --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("in_team", [True, False], ids=["in-team", "not-in-team"])
@pytest.mark.parametrize("state", CONSENT_STATES)
@pytest.mark.parametrize("status", ["accepted", "completed", "declined", "cancelled"])
def test_after_the_answer_the_receiver_sees_the_referral_fields_and_only_what_r1_allows(
    client, status, state, in_team
):
    world = build(state, status=status)
    reader = reader_for(world, "receiver-nurse", in_team=in_team)
    response, text, rows = page_of(client, world, reader)
    assert response.status_code == 200
    assert answer_url(world) not in text
    assert cancel_url(world) not in text
    assert world.referral.get_status_display() in text
    expected_entries = {c for c in SHARED if r1(world, reader, world.employment, c)}
    assert shown_categories(text) == expected_entries
    named = r2(world, reader)
    assert ("Klaus" in text) == named
    assert (PHONE in text) == named
    assert (REASON in text) == r1(world, reader, world.employment, "plan")
    assert all(r.outcome == "allowed" for r in rows)
    assert_consent_rows_name_their_consent(rows)
    logged = set().union(*(set(r.categories.split(",")) for r in rows)) - {""}
    assert logged == expected_entries | {"plan"} | ({"identity"} if named else set())


@pytest.mark.django_db
@pytest.mark.parametrize("in_team", [True, False], ids=["in-team", "not-in-team"])
@pytest.mark.parametrize("state", ["covering", "withdrawn", "not_covering"])
@pytest.mark.parametrize("status", ["sent", "accepted"])
def test_the_inbox_names_a_client_only_when_allowed(client, status, state, in_team):
    world = build(state, status=status)
    reader = reader_for(world, "receiver-nurse", in_team=in_team)
    login(client, reader)
    before = AccessLogEntry.objects.count()
    text = client.get(reverse("cases:worklist")).content.decode()
    rows = [
        r
        for r in AccessLogEntry.objects.order_by("id")[before:]
        if r.object_type == "referral_inbox"
    ]
    if status == "sent":
        named = "identity" in shown_to_receiver_before_answer(world, reader) or r2(world, reader)
    else:
        named = r2(world, reader)
    assert reverse("referrals:detail", kwargs={"referral_id": world.referral.id}) in text
    assert ("Testinen, Klaus" in text or "Klaus Testinen" in text) == named
    assert [r.client_id for r in rows] == ([world.referral.client_id] if named else [])
    assert_consent_rows_name_their_consent(rows)
