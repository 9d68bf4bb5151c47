"""A refusal because the role lacks the capability, on a request that names a client, is
logged like every other denied access (issue 13, defect 8; rule R5).

The oracle is the role table written out literally here (DOMAIN.md §2, ADR 0005), not
``staff.policy``: for each role, which of the tested capabilities it has.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import login, make_consent, make_person
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import Case
from tyollisyystalo.cases.services import case_open
from tyollisyystalo.clients.models import ClientEntry, TeamMembership
from tyollisyystalo.consents.models import Consent, ConsentVersion, EmergencyAccess
from tyollisyystalo.plans.models import Plan
from tyollisyystalo.referrals.models import Referral
from tyollisyystalo.referrals.services import referral_send
from tyollisyystalo.staff.permissions import CLIENT_KWARGS, NOT_CLIENT_KWARGS
from tyollisyystalo.staff.roles import Role

WRITE = "record write"
TEAM = "team"
CASE = "case"
REFERRAL = "referral"
CONSENT_RECORD = "consent record"
CONSENT_WITHDRAW = "consent withdraw"
EMERGENCY = "emergency"
LOG = "client log"
CASE_OWNER = {WRITE, TEAM, CASE, REFERRAL, CONSENT_RECORD, CONSENT_WITHDRAW, EMERGENCY, LOG}
HEALTH_PROFESSIONAL = {WRITE, REFERRAL, CONSENT_RECORD, CONSENT_WITHDRAW, EMERGENCY}
CASEWORK = {WRITE, REFERRAL}
HAS: dict[str, set[str]] = {
    "coordinator": CASE_OWNER,
    "social_worker": CASE_OWNER,
    "social_counsellor": CASE_OWNER - {EMERGENCY},
    "employment_expert": CASE_OWNER - {EMERGENCY},
    "nurse": HEALTH_PROFESSIONAL,
    "physician": HEALTH_PROFESSIONAL,
    "physiotherapist": CASEWORK,
    "occupational_therapist": CASEWORK,
    "psychologist": CASEWORK,
    "job_coach": CASEWORK,
    "kela_expert": CASEWORK | {CONSENT_RECORD},
    "work_group_supervisor": set(),
    "service_editor": set(),
    "manager": {LOG},
    "administrator": {LOG},
    "steering_group": set(),
}
TODAY = timezone.localdate()
CONSENT_BODY = {
    "purpose": "Työkyvyn arviointi",
    "method": "oral",
    "disclosing_organisations": [],
    "receiving_organisations": [],
    "categories": ["identity"],
    "valid_from": TODAY.isoformat(),
}


def endpoints(w):
    """(name, capability, method, url, body, is_api) of requests that name Sari."""
    client_id = {"client_id": w["client"].id}
    case_id = {"case_id": w["case"].id}
    referral_id = {"referral_id": w["referral"].id}
    consent_id = {"consent_id": w["consent"].id}
    entry = {"category": "notes", "entry_date": TODAY.isoformat(), "title": "T", "body": "B"}
    return [
        ("entry", WRITE, "post", reverse("clients:entry_create", kwargs=client_id), entry, False),
        ("team add", TEAM, "post", reverse("clients:team_add", kwargs=client_id), {}, False),
        (
            "team end",
            TEAM,
            "post",
            reverse(
                "casefile:team_end_confirm",
                kwargs={**client_id, "membership_id": w["membership"].pk},
            ),
            {},
            False,
        ),
        (
            "team end confirm",
            TEAM,
            "get",
            reverse(
                "casefile:team_end_confirm",
                kwargs={**client_id, "membership_id": w["membership"].pk},
            ),
            {},
            False,
        ),
        (
            "emergency",
            EMERGENCY,
            "post",
            reverse("clients:emergency", kwargs=client_id),
            {"reason": "Kiireellinen tilanne, asiakas paikalla."},
            False,
        ),
        (
            "consent new",
            CONSENT_RECORD,
            "get",
            reverse("consents:create", kwargs=client_id),
            {},
            False,
        ),
        (
            "consent revise",
            CONSENT_RECORD,
            "get",
            reverse("consents:revise", kwargs=consent_id),
            {},
            False,
        ),
        (
            "consent withdraw",
            CONSENT_WITHDRAW,
            "post",
            reverse("consents:withdraw", kwargs=consent_id),
            {"method": "oral"},
            False,
        ),
        ("path open", CASE, "get", reverse("cases:open", kwargs=client_id), {}, False),
        (
            "path status",
            CASE,
            "post",
            reverse("cases:transition", kwargs=case_id),
            {"to_status": "closed"},
            False,
        ),
        ("invite", TEAM, "get", reverse("cases:invite", kwargs=case_id), {}, False),
        ("plan new", WRITE, "get", reverse("plans:create", kwargs=case_id), {}, False),
        ("referral send", WRITE, "get", reverse("referrals:send", kwargs=case_id), {}, False),
        (
            "referral answer",
            REFERRAL,
            "post",
            reverse("referrals:answer", kwargs=referral_id),
            {"answer": "accept"},
            False,
        ),
        (
            "referral complete",
            REFERRAL,
            "post",
            reverse("referrals:complete", kwargs=referral_id),
            {"result": "Valmis"},
            False,
        ),
        (
            "referral cancel",
            WRITE,
            "post",
            reverse("referrals:cancel", kwargs=referral_id),
            {},
            False,
        ),
        ("client log", LOG, "get", reverse("audit:client_log", kwargs=client_id), {}, False),
        ("rules save", WRITE, "post", reverse("rules:client_rules", kwargs=client_id), {}, False),
        (
            "api entry",
            WRITE,
            "post",
            reverse("v1:client-entries", kwargs=client_id),
            entry,
            True,
        ),
        (
            "api consent",
            CONSENT_RECORD,
            "post",
            reverse("v1:client-consents", kwargs=client_id),
            CONSENT_BODY,
            True,
        ),
        (
            "api consent revise",
            CONSENT_RECORD,
            "put",
            reverse("v1:consent", kwargs=consent_id),
            CONSENT_BODY,
            True,
        ),
        (
            "api consent withdraw",
            CONSENT_WITHDRAW,
            "post",
            reverse("v1:consent-withdraw", kwargs=consent_id),
            {"method": "oral"},
            True,
        ),
        ("api client log", LOG, "get", reverse("v1:client-log", kwargs=client_id), {}, True),
    ]


@pytest.fixture
def world(sari, aino, bertta, employment, county):
    make_consent(
        sari,
        disclosing=[employment],
        receiving=[county],
        categories=["identity", "plan"],
        recorder=aino,
    )
    case = case_open(
        actor=aino,
        client_id=sari.id,
        entry_route="self",
        referred_on=TODAY - dt.timedelta(days=5),
        coordinator=aino,
    )
    referral = referral_send(
        actor=aino,
        case_id=case.id,
        reason="Syy",
        categories=["plan"],
        receiving_organisation=county,
    )
    return {
        "client": sari,
        "case": case,
        "referral": referral,
        "consent": Consent.objects.filter(client=sari).first(),
        "membership": TeamMembership.objects.get(client=sari, staff_member=bertta),
    }


def state_of(client_id) -> tuple:
    """Everything the tested requests could change, and the allowed log rows."""
    return (
        ClientEntry.objects.filter(client_id=client_id).count(),
        sorted(TeamMembership.objects.filter(client_id=client_id).values_list("pk", "ended_at")),
        EmergencyAccess.objects.filter(client_id=client_id).count(),
        sorted(Consent.objects.filter(client_id=client_id).values_list("pk", "withdrawn_at")),
        ConsentVersion.objects.filter(consent__client_id=client_id).count(),
        sorted(Case.objects.filter(client_id=client_id).values_list("pk", "status")),
        sorted(Referral.objects.filter(client_id=client_id).values_list("pk", "status")),
        Plan.objects.filter(client_id=client_id).count(),
        AccessLogEntry.objects.filter(outcome="allowed").count(),
    )


def send(client, method, url, body, is_api):
    if method == "get":
        return client.get(url)
    if is_api:
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_a_role_without_the_capability_gets_403_with_one_denied_row_and_nothing_else(
    client, world, employment, role
):
    person = make_person("kokeilija", "Kari Kokeilija", employment, role)
    login(client, person)
    sari = world["client"]
    for name, capability, method, url, body, is_api in endpoints(world):
        if capability in HAS[role]:
            continue
        before_state = state_of(sari.id)
        before = AccessLogEntry.objects.count()
        response = send(client, method, url, body, is_api)
        rows = list(AccessLogEntry.objects.order_by("id")[before:])
        assert response.status_code == 403, name
        text = response.content.decode()
        assert "Sari" not in text, name
        assert state_of(sari.id) == before_state, name
        assert [(r.outcome, r.client_id, r.categories, r.actor_user_id) for r in rows] == [
            ("denied", sari.id, "", person.user_id)
        ], name


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_a_role_with_the_capability_is_not_refused_for_it(client, world, employment, role):
    """The other half of the literal table: the tested requests are really capability-bound."""
    person = make_person("kokeilija", "Kari Kokeilija", employment, role)
    login(client, person)
    for name, capability, method, url, body, is_api in endpoints(world):
        if capability not in HAS[role] or method != "get":
            continue
        response = send(client, method, url, body, is_api)
        assert response.status_code != 403, name


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_every_identifier_in_a_url_is_known_to_name_a_client_or_not():
    """A new URL with an identifier must be classified, so its 403s are logged when it should."""
    names = set()
    for route in _patterns(get_resolver()):
        if route.startswith("hallinta/"):  # Django's admin: superusers, no client data
            continue
        names |= set(re.findall(r"<(?:\w+:)?(\w+)>", route))
    unknown = names - set(CLIENT_KWARGS) - set(NOT_CLIENT_KWARGS)
    assert not unknown
