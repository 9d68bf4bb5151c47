"""R3: the card shows another organisation's relationships, team members and consents only as
the access rules allow (issue 13, leak 3).

The expected answer comes from ``oracle_may_read`` below, a second reading of R1 written over
plain rows, which never calls the access layer. The world: client Sari is a client of
Esimerkkilä employment services (E) and of the wellbeing county (H) in one unit; psychologist
Pirjo of that unit is in her team; a consent from H to E is in one of five states; a consent
between H and Kela is always there (E is no party to it). The reader is an E coordinator or
employment expert, or an H nurse, in the team, by duty only, by emergency access, or not at all.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import (
    OrganisationFactory,
    StaffFactory,
    add_to_team,
    login,
    make_client,
    make_consent,
    make_person,
)
from tyollisyystalo.access.policy import POLICY
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRelationship, TeamMembership
from tyollisyystalo.consents.models import Consent, ConsentVersion, EmergencyAccess
from tyollisyystalo.organisations.models import OrganisationType, Unit
from tyollisyystalo.staff.roles import Role

UNITS = {  # code: (name, data category)
    "mtp": ("Mielenterveys- ja päihdepalvelut", DataCategory.HEALTH),
    "sosiaali": ("Aikuissosiaalityö", DataCategory.SOCIAL),
    "neuvonta": ("Palveluneuvonta", ""),
}
CONSENT_STATES = ["none", "covering", "not_covering", "withdrawn", "expired"]
CONNECTIONS = ["team", "duty", "emergency", "none"]
_people = itertools.count()
READERS = {  # name: (organisation key, role, unit code of the reader)
    "e-coordinator": ("E", Role.COORDINATOR, None),
    "e-expert": ("E", Role.EMPLOYMENT_EXPERT, None),
    "h-nurse": ("H", Role.NURSE, "terveys"),
}


# --- the oracle: R1 and R3 read again over plain rows ------------------------------------------


def oracle_may_read(reader, client_id: uuid.UUID, owner_id: int, category: str) -> bool:
    now = timezone.now()
    today = timezone.localdate(now)
    if not reader.is_active:
        return False
    if category not in POLICY[reader.role].readable:
        return False
    in_team = any(
        m.staff_member_id == reader.pk
        and m.started_at is not None
        and m.started_at <= now
        and (m.ended_at is None or m.ended_at > now)
        for m in TeamMembership.objects.filter(client_id=client_id)
    )
    by_duty = POLICY[reader.role].duty_covers_clients and any(
        r.organisation_id == reader.organisation_id
        and r.started_on <= today
        and (r.ended_on is None or r.ended_on >= today)
        and (r.unit_id is None or reader.unit_id is None or r.unit_id == reader.unit_id)
        for r in ClientRelationship.objects.filter(client_id=client_id)
    )
    works_with = in_team or by_duty
    if works_with and owner_id == reader.organisation_id:
        return True
    if works_with:
        for version in ConsentVersion.objects.filter(consent__client_id=client_id):
            consent = Consent.objects.get(pk=version.consent_id)
            if not version.is_current:
                continue
            if consent.withdrawn_at is not None and consent.withdrawn_at <= now:
                continue
            if version.valid_from > today:
                continue
            if version.valid_until is not None and version.valid_until < today:
                continue
            disclosing = {o.pk for o in version.disclosing_organisations.all()}
            receiving = {o.pk for o in version.receiving_organisations.all()}
            categories = {c.category for c in version.categories.all()}
            parties = owner_id in disclosing and reader.organisation_id in receiving
            if parties and category in categories:
                return True
    return EmergencyAccess.objects.filter(
        client_id=client_id, staff_member=reader, started_at__lte=now, expires_at__gt=now
    ).exists()


def oracle_unit_category(unit: Unit | None) -> str:
    if unit is None or not unit.data_category:
        return DataCategory.IDENTITY
    return unit.data_category


def oracle_card(reader, client_id: uuid.UUID) -> dict[str, set[int]] | None:
    """What R3 lets the reader see on the card; None when the card is a 404."""
    owners = set(
        ClientRelationship.objects.filter(client_id=client_id).values_list(
            "organisation_id", flat=True
        )
    )
    candidates = owners | {reader.organisation_id}
    for version in ConsentVersion.objects.filter(consent__client_id=client_id):
        candidates |= {o.pk for o in version.disclosing_organisations.all()}
    identity = any(oracle_may_read(reader, client_id, o, DataCategory.IDENTITY) for o in owners)
    anything = any(
        oracle_may_read(reader, client_id, o, c) for o in candidates for c in DataCategory.values
    )
    if not owners or not (identity or anything):
        return None
    relationships = {
        r.pk
        for r in ClientRelationship.objects.filter(client_id=client_id).select_related("unit")
        if oracle_may_read(reader, client_id, r.organisation_id, oracle_unit_category(r.unit))
    }
    team = {
        m.pk
        for m in TeamMembership.objects.filter(client_id=client_id, ended_at__isnull=True)
        if oracle_may_read(
            reader,
            client_id,
            m.staff_member.organisation_id,
            oracle_unit_category(m.staff_member.unit),
        )
    }
    consents = set()
    if identity:
        for version in ConsentVersion.objects.filter(consent__client_id=client_id, is_current=True):
            parties = {o.pk for o in version.disclosing_organisations.all()} | {
                o.pk for o in version.receiving_organisations.all()
            }
            if reader.organisation_id in parties:
                consents.add(version.consent_id)
    return {"relationships": relationships, "team": team, "consents": consents}


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    employment = OrganisationFactory.create(
        code="org-esimerkkila-tyollisyys", name_fi="Esimerkkilän työllisyyspalvelut"
    )
    county = OrganisationFactory.create(
        code="org-hva", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )
    kela = OrganisationFactory.create(code="org-kela", name_fi="Kela", type=OrganisationType.KELA)
    units = {
        code: Unit.objects.create(organisation=county, code=code, name_fi=name, data_category=cat)
        for code, (name, cat) in {**UNITS, "terveys": ("Terveyspalvelut", "health")}.items()
    }
    return {"E": employment, "H": county, "K": kela, "units": units}


def build(world, *, reader_key: str, connection: str, unit_code: str, consent_state: str):
    organisation_key, role, reader_unit = READERS[reader_key]
    employment, county = world["E"], world["H"]
    unit = world["units"][unit_code]
    coordinator = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    psychologist = make_person(
        f"pirjo{next(_people)}", "Pirjo Pulkkinen", county, Role.PSYCHOLOGIST
    )
    psychologist.unit = unit
    psychologist.save()
    reader = StaffFactory.create(
        organisation=world[organisation_key],
        role=role,
        unit=world["units"][reader_unit] if reader_unit else None,
    )
    # A client of E; and of H in the unit only when the reader is not H's own duty reader.
    client = make_client(organisation=employment)
    ClientRelationship.objects.create(
        client=client,
        organisation=county,
        unit=unit,
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )
    add_to_team(client, coordinator)
    add_to_team(client, psychologist)
    if connection == "team":
        add_to_team(client, reader)
    if connection == "emergency":
        EmergencyAccess.objects.create(
            client=client,
            staff_member=reader,
            reason="Kiireellinen tilanne",
            expires_at=timezone.now() + dt.timedelta(hours=4),
        )
    if connection in {"none", "emergency"} and organisation_key == "E":
        # Neither team nor duty: the reader works in another unit of E.
        reader.unit = Unit.objects.create(organisation=employment, code="muu", name_fi="Muu")
        reader.save()
        ClientRelationship.objects.filter(client=client, organisation=employment).update(
            unit=Unit.objects.create(organisation=employment, code="oma", name_fi="Oma")
        )
    today = timezone.localdate()
    category = UNITS.get(unit_code, ("", "health"))[1] or DataCategory.ASSESSMENTS
    if consent_state != "none":
        make_consent(
            client,
            disclosing=[county],
            receiving=[employment],
            categories=[DataCategory.IDENTITY, category]
            if consent_state != "not_covering"
            else [DataCategory.IDENTITY, DataCategory.EDUCATION_WORK],
            recorder=coordinator,
            withdrawn=consent_state == "withdrawn",
            **(
                {
                    "valid_from": today - dt.timedelta(days=100),
                    "valid_until": today - dt.timedelta(days=1),
                }
                if consent_state == "expired"
                else {}
            ),
        )
    make_consent(
        client,
        disclosing=[county],
        receiving=[world["K"]],
        categories=[DataCategory.HEALTH],
        recorder=psychologist,
    )
    return reader, client


def shown(card) -> dict[str, set[int]]:
    return {
        "relationships": {r.pk for r in card.data("relationships", [])},
        "team": {m.pk for m in card.team},
        "consents": set(card.consent_ids),
    }


@pytest.mark.parametrize("consent_state", CONSENT_STATES)
@pytest.mark.parametrize("unit_code", list(UNITS))
@pytest.mark.parametrize("connection", CONNECTIONS)
@pytest.mark.parametrize("reader_key", list(READERS))
def test_card_shows_service_use_exactly_as_r3_allows(
    world, reader_key, connection, unit_code, consent_state
):
    reader, client = build(
        world,
        reader_key=reader_key,
        connection=connection,
        unit_code=unit_code,
        consent_state=consent_state,
    )
    expected = oracle_card(reader, client.id)
    if expected is None:
        with pytest.raises(Http404):
            client_card_get(staff=reader, client_id=client.id, purpose="test")
        return
    card = client_card_get(staff=reader, client_id=client.id, purpose="test")
    assert shown(card) == expected
    every = {
        "relationships": set(
            ClientRelationship.objects.filter(client=client).values_list("pk", flat=True)
        ),
        "team": set(TeamMembership.objects.filter(client=client).values_list("pk", flat=True)),
        "consents": set(Consent.objects.filter(client=client).values_list("pk", flat=True)),
    }
    hidden = any(expected[k] != every[k] for k in every)
    if hidden:
        assert card.more_exists


def test_oracle_sees_both_answers_in_the_matrix(world):
    """The matrix is not vacuous: the county unit is shown in some cases and hidden in others."""
    seen = set()
    for state in ["covering", "withdrawn"]:
        reader, client = build(
            world,
            reader_key="e-coordinator",
            connection="team",
            unit_code="mtp",
            consent_state=state,
        )
        relationship = ClientRelationship.objects.get(client=client, unit__code="mtp")
        expected = oracle_card(reader, client.id)
        assert expected is not None
        seen.add(relationship.pk in expected["relationships"])
    assert seen == {True, False}


# --- the example, on the page and the API, with the demo's people ----------------------


@pytest.fixture
def demo_world(db, settings):
    from tyollisyystalo.demo.seed import seed_organisations, seed_staff

    organisations = seed_organisations()
    return organisations, seed_staff(organisations)


def test_withdrawn_consent_hides_the_mental_health_unit_and_the_psychologist(client, demo_world):
    organisations, staff = demo_world
    aino, pirjo = staff["aino"], staff["pirjo"]
    county = organisations["org-hva"]
    mtp = Unit.objects.get(organisation=county, code="mtp")
    assert mtp.data_category == DataCategory.HEALTH
    sari = make_client(organisation=aino.organisation)
    ClientRelationship.objects.create(
        client=sari, organisation=county, unit=mtp, started_on=timezone.localdate()
    )
    add_to_team(sari, aino)
    add_to_team(sari, pirjo)
    make_consent(
        sari,
        disclosing=[county],
        receiving=[aino.organisation],
        categories=[DataCategory.IDENTITY, DataCategory.HEALTH],
        recorder=aino,
        withdrawn=True,
    )
    login(client, aino)
    page = client.get(reverse("casefile:card", args=[sari.id]))
    assert page.status_code == 200
    # The add-to-team choice lists all staff of the region; that says nothing about Sari.
    text = re.sub(r"<select.*?</select>", "", page.content.decode(), flags=re.S)
    assert mtp.name_fi not in text
    assert pirjo.display_name not in text
    assert "Asiakkaasta on tietoja, jotka eivät näy sinulle." in text
    api = client.get(reverse("v1:client-card", args=[sari.id]))
    assert api.status_code == 200
    assert pirjo.display_name not in api.content.decode()
    assert [m["name"] for m in api.json()["team"]] == [aino.display_name]
    assert api.json()["more_exists"] is True
    # Nothing of the county was logged as read.
    read = AccessLogEntry.objects.filter(client_id=sari.id, outcome="allowed")
    assert read.exists()
    assert all("health" not in row.category_list for row in read)


def test_covering_consent_shows_the_unit_and_logs_it_as_health_data(client, demo_world):
    organisations, staff = demo_world
    aino, pirjo = staff["aino"], staff["pirjo"]
    county = organisations["org-hva"]
    mtp = Unit.objects.get(organisation=county, code="mtp")
    sari = make_client(organisation=aino.organisation)
    ClientRelationship.objects.create(
        client=sari, organisation=county, unit=mtp, started_on=timezone.localdate()
    )
    add_to_team(sari, aino)
    add_to_team(sari, pirjo)
    consent = make_consent(
        sari,
        disclosing=[county],
        receiving=[aino.organisation],
        categories=[DataCategory.IDENTITY, DataCategory.HEALTH],
        recorder=aino,
    )
    login(client, aino)
    page = client.get(reverse("casefile:card", args=[sari.id]))
    text = re.sub(r"<select.*?</select>", "", page.content.decode(), flags=re.S)
    assert mtp.name_fi in text
    assert pirjo.display_name in text
    by_consent = AccessLogEntry.objects.get(client_id=sari.id, consent_id=consent.pk)
    assert "health" in by_consent.category_list


# --- other lists of service-use facts: the path page's team, the consent page ------------------


@pytest.mark.parametrize("consent_state", ["covering", "withdrawn"])
def test_path_page_lists_another_organisations_member_only_as_r3_allows(
    client, world, consent_state
):
    reader, sari = build(
        world,
        reader_key="e-coordinator",
        connection="team",
        unit_code="mtp",
        consent_state=consent_state,
    )
    from conftest import open_path

    case = open_path(reader, sari)
    psychologist = TeamMembership.objects.get(
        client=sari, staff_member__organisation=world["H"]
    ).staff_member
    expected = oracle_may_read(reader, sari.id, world["H"].pk, DataCategory.HEALTH)
    login(client, reader)
    text = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    text = re.sub(r"<select.*?</select>", "", text, flags=re.S)
    assert (psychologist.display_name in text) is expected
    assert ("Tiimissä on myös jäseniä, jotka eivät näy sinulle." in text) is not expected


def test_consent_page_is_a_logged_404_for_an_organisation_that_is_no_party(client, world):
    reader, sari = build(
        world,
        reader_key="e-coordinator",
        connection="team",
        unit_code="mtp",
        consent_state="covering",
    )
    own = Consent.objects.get(client=sari, versions__receiving_organisations=world["E"])
    other = Consent.objects.get(client=sari, versions__receiving_organisations=world["K"])
    login(client, reader)
    assert client.get(reverse("consents:detail", args=[own.pk])).status_code == 200
    before = AccessLogEntry.objects.filter(outcome="allowed").count()
    answer = client.get(reverse("consents:detail", args=[other.pk]))
    assert answer.status_code == 404
    assert "Kela" not in answer.content.decode()
    assert AccessLogEntry.objects.filter(outcome="allowed").count() == before
    denied = AccessLogEntry.objects.filter(outcome="denied", client_id=sari.id)
    assert denied.count() == 1


def test_client_log_shows_staff_only_their_own_organisations_rows(client, world):
    reader, sari = build(
        world,
        reader_key="e-coordinator",
        connection="team",
        unit_code="mtp",
        consent_state="withdrawn",
    )
    psychologist = TeamMembership.objects.get(
        client=sari, staff_member__organisation=world["H"]
    ).staff_member
    client_card_get(staff=psychologist, client_id=sari.id, purpose="test")
    login(client, reader)
    page = client.get(reverse("audit:client_log", args=[sari.id]))
    assert page.status_code == 200
    assert psychologist.display_name not in page.text
    assert "Psykologi" not in page.text
    assert "Lokissa on myös muiden organisaatioiden rivejä." in page.text
    api = client.get(reverse("v1:client-log", args=[sari.id]))
    assert psychologist.display_name not in api.content.decode()
