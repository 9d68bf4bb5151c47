"""Every role × own/other organisation × team member or not × consent state.

The record is a health entry owned by the wellbeing county. "Own" staff work for the county;
"other" staff work for Esimerkkilä employment services, which also has the client. The consent,
when there is one, discloses from the county to the employment services.
"""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import StaffFactory, add_entry, add_to_team, make_client, make_consent
from tyollisyystalo.access.gatekeeper import (
    access_context_load,
    clients_visible_to,
    decide_identity,
    decide_read,
    identity_decisions,
    record_decisions,
)
from tyollisyystalo.access.policy import POLICY
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientRelationship
from tyollisyystalo.consents.models import EmergencyAccess
from tyollisyystalo.staff.roles import Role

CONSENT_STATES = ["none", "valid", "expired", "withdrawn", "not_yet_valid", "category_not_covered"]


def consent_for(state, client, county, receiver, recorder):
    today = timezone.localdate()
    if state == "none":
        return None
    categories = (
        [DataCategory.ASSESSMENTS]
        if state == "category_not_covered"
        else [DataCategory.HEALTH, DataCategory.IDENTITY]
    )
    kwargs = {}
    if state == "expired":
        kwargs = {
            "valid_from": today - dt.timedelta(days=100),
            "valid_until": today - dt.timedelta(days=1),
        }
    if state == "not_yet_valid":
        kwargs = {"valid_from": today + dt.timedelta(days=1)}
    return make_consent(
        client,
        disclosing=[county],
        receiving=[receiver],
        categories=categories,
        recorder=recorder,
        withdrawn=state == "withdrawn",
        **kwargs,
    )


def expected(role, own, team, state):
    policy = POLICY[role]
    works_with_client = team or policy.duty_covers_clients
    covered = own or state == "valid"
    return DataCategory.HEALTH in policy.readable and works_with_client and covered


@pytest.mark.parametrize("state", CONSENT_STATES)
@pytest.mark.parametrize("team", [True, False], ids=["team", "not-team"])
@pytest.mark.parametrize("own", [True, False], ids=["own-org", "other-org"])
@pytest.mark.parametrize("role", list(Role))
def test_health_record_is_readable_exactly_when_it_should_be(
    role, own, team, state, county, employment
):
    recorder = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    client = make_client(organisation=employment)
    ClientRelationship.objects.create(
        client=client, organisation=county, started_on=timezone.localdate() - dt.timedelta(days=5)
    )
    add_entry(client, county, recorder, DataCategory.HEALTH, "Terveystarkastus")
    consent_for(state, client, county, employment, recorder)
    staff = StaffFactory.create(organisation=county if own else employment, role=role)
    if team:
        add_to_team(client, staff)
    before = AccessLogEntry.objects.count()

    try:
        card = client_card_get(staff=staff, client_id=client.id, purpose="test")
    except Http404:
        card = None

    allowed = expected(role, own, team, state)
    shown = card is not None and any(e.title == "Terveystarkastus" for e in card.entries)
    assert shown == allowed
    new_entries = list(AccessLogEntry.objects.order_by("id")[before:])
    health_reads = [
        e for e in new_entries if "health" in e.category_list and e.outcome == "allowed"
    ]
    if allowed:
        assert len(health_reads) == 1
        assert health_reads[0].basis == ("consent" if not own else ("team" if team else "duty"))
    else:
        assert health_reads == []
        if card is None:
            # Nothing at all was visible: the attempt is logged as denied, and only that.
            assert [(e.action, e.outcome) for e in new_entries] == [("read", "denied")]
        else:
            assert card.more_exists


@pytest.mark.parametrize("state", CONSENT_STATES)
@pytest.mark.parametrize("team", [True, False], ids=["team", "not-team"])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NURSE, Role.KELA_EXPERT, Role.MANAGER])
def test_search_visibility_matches_the_card_gatekeeper(role, team, state, county, employment, kela):
    """The SQL twin used by search agrees with the Python decision for identity data."""
    recorder = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    client = make_client(organisation=county)
    consent_for(state, client, county, kela, recorder)
    staff = StaffFactory.create(organisation=kela, role=role)
    if team:
        add_to_team(client, staff)

    in_sql = clients_visible_to(staff).filter(pk=client.pk).exists()
    decided = decide_identity(staff, access_context_load(client.id)).allowed

    assert in_sql == decided
    assert decided == (team and state == "valid" and DataCategory.IDENTITY in POLICY[role].readable)


def mixed_batch(staff, county, employment):
    """Clients of the staff member's organisation and of the county, in and out of the staff
    member's team, in every consent state and with an emergency access."""
    recorder = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    clients = []
    for owner in (employment, county):
        for team in (True, False):
            for state in [*CONSENT_STATES, "emergency"]:
                client = make_client(organisation=owner)
                if owner == county:
                    consent_for(
                        "none" if state == "emergency" else state,
                        client,
                        county,
                        employment,
                        recorder,
                    )
                if team:
                    add_to_team(client, staff)
                if state == "emergency":
                    EmergencyAccess.objects.create(
                        staff_member=staff,
                        client=client,
                        reason="Kiireellinen tilanne",
                        expires_at=timezone.now() + dt.timedelta(hours=2),
                    )
                clients.append(client)
    return clients


@pytest.mark.parametrize("role", list(Role))
def test_list_identity_decisions_are_those_of_full_contexts(role, county, employment, kela):
    """Lists decide names in two steps (own organisation first, consents only for the rest):
    every client of a mixed batch gets exactly the decision, basis and consent of one full
    context."""
    staff = StaffFactory.create(organisation=employment, role=role)
    clients = mixed_batch(staff, county, employment)

    decisions = identity_decisions(staff, [c.id for c in clients])

    expected = {c.id: decide_identity(staff, access_context_load(c.id)) for c in clients}
    assert decisions == expected
    bases = {d.basis for d in decisions.values() if d.allowed}
    if DataCategory.IDENTITY in POLICY[role].readable:
        assert {"team", "consent", "emergency"} <= bases
    else:
        assert bases == set()


@pytest.mark.parametrize("role", list(Role))
def test_list_record_decisions_are_those_of_full_contexts(role, county, employment, kela):
    """A list of records with their clients' names (the coach's worklist) decides in the same
    two steps: for records of either organisation in a category the staff member's own
    organisation reads, one the consent covers and one it does not, every record gets the
    read decision and every client the name decision of one full context."""
    staff = StaffFactory.create(organisation=employment, role=role)
    clients = mixed_batch(staff, county, employment)
    records = [
        (c.id, owner.pk, category)
        for c in clients
        for owner in (employment, county)
        for category in (DataCategory.EDUCATION_WORK, DataCategory.HEALTH, DataCategory.ASSESSMENTS)
    ]

    decisions = record_decisions(staff, records)

    assert set(decisions) == set(records)
    for client_id, owner, category in records:
        ctx = access_context_load(client_id)
        read = decide_read(staff, ctx, owner_organisation_id=owner, category=category)
        assert decisions[(client_id, owner, category)] == (read, decide_identity(staff, ctx))
    if DataCategory.HEALTH in POLICY[role].readable:
        bases = {read.basis for read, _ in decisions.values() if read.allowed}
        assert {"team", "consent", "emergency"} <= bases
