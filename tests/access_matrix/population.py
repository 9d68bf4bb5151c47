"""The access matrix's population: demo organisations, units and staff plus 20 synthetic clients.

Every fact that can reveal something carries a unique marker: entries (``MXE-cc-kk-``), plan
summaries (``MXP-cc-kk-``), referral reasons (``MXR-cc-kk-``), client surnames (``Matriisi…``)
and the surnames of "witness" staff members who only ever sit in clients' teams (``Todistaja…``),
so a response can be scanned for exactly what it reveals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tyollisyystalo.cases.services import case_open, case_transition
from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.clients.hetu import format_hetu, parse_hetu
from tyollisyystalo.clients.models import (
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.consents.models import (
    Consent,
    ConsentCategory,
    ConsentVersion,
    EmergencyAccess,
)
from tyollisyystalo.demo.seed import seed_organisations, seed_staff
from tyollisyystalo.organisations.models import Organisation, Unit
from tyollisyystalo.plans.services import plan_create
from tyollisyystalo.referrals.services import (
    referral_answer,
    referral_cancel,
    referral_complete,
    referral_send,
)
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

E = "org-esimerkkila-tyollisyys"
P = "org-pohjala-tyollisyys"
H = "org-hva"
K = "org-kela"
Y = "org-typ"
A = "org-askelma"

# What the county's units hold, as issue 13 (R3) gives it; written into
# ``organisations_unit.data_category`` when that column exists.
UNIT_CATEGORIES = {"terveys": C.HEALTH, "mtp": C.HEALTH, "sosiaali": C.SOCIAL}

# Staff who are only ever team members: their surnames are markers.
WITNESSES = {
    "w_ter": ("Tea", "Todistajater", H, Role.NURSE, "terveys"),
    "w_mtp": ("Maija", "Todistajamtp", H, Role.PSYCHOLOGIST, "mtp"),
    "w_sos": ("Sofia", "Todistajasos", H, Role.SOCIAL_COUNSELLOR, "sosiaali"),
    "w_hva": ("Heikki", "Todistajahva", H, Role.PHYSICIAN, ""),
    "w_kela": ("Kerttu", "Todistajakela", K, Role.KELA_EXPERT, ""),
    "w_typ": ("Toivo", "Todistajatyp", Y, Role.COORDINATOR, ""),
    "w_ngo": ("Niilo", "Todistajango", A, Role.JOB_COACH, ""),
    "w_emp": ("Eija", "Todistajaemp", E, Role.EMPLOYMENT_EXPERT, ""),
    "w_poh": ("Paavo", "Todistajapoh", P, Role.COORDINATOR, ""),
}
# Who writes the entries of an organisation (never a team member by that act).
AUTHORS = {E: "aino", P: "pasi", H: "lauri", K: "cecilia", Y: "tuomas", A: "ville"}

ALL_CATEGORIES = [c.value for c in C if c != C.IDENTITY]


@dataclass
class ClientSpec:
    """One client: ``rels`` (org, unit code, ended), ``team`` (staff key, state),
    ``consents`` (disclosing, receiving, categories, state), ``emergency`` (username, active),
    ``entries`` (org, category), ``paths`` (org, plan?), ``referrals`` (path index, receiver,
    shared categories, final status, withdraw the consent afterwards)."""

    rels: list[tuple[str, str, bool]]
    team: list[tuple[str, str]] = field(default_factory=list)
    consents: list[tuple[list[str], list[str], Sequence[str], str]] = field(default_factory=list)
    emergency: list[tuple[str, bool]] = field(default_factory=list)
    entries: list[tuple[str, str]] = field(default_factory=list)
    paths: list[tuple[str, bool]] = field(default_factory=list)
    referrals: list[tuple[int, str, Sequence[str], str, bool]] = field(default_factory=list)


def _every(org: str, categories: Sequence[str] | None = None) -> list[tuple[str, str]]:
    return [(org, c) for c in categories or ALL_CATEGORIES]


HEALTHY = [C.HEALTH, C.SOCIAL, C.ASSESSMENTS, C.NOTES]
WORKY = [C.EDUCATION_WORK, C.EMPLOYMENT_SERVICES, C.PLAN, C.NOTES]
PLANNED = [C.IDENTITY, C.PLAN, C.EDUCATION_WORK, C.ASSESSMENTS, C.HEALTH]

SPECS: list[ClientSpec] = [
    # 1 Employment only, coordinator and a witness in the team.
    ClientSpec(
        rels=[(E, "", False)],
        team=[("aino", "active"), ("w_emp", "active")],
        entries=_every(E),
        paths=[(E, True)],
    ),
    # 2 Employment and the county's mental-health unit, consent to the county withdrawn.
    ClientSpec(
        rels=[(E, "", False), (H, "mtp", False)],
        team=[("aino", "active"), ("w_mtp", "active"), ("pirjo", "active")],
        consents=[([H], [E], [C.IDENTITY, C.HEALTH, C.PLAN], "withdrawn")],
        entries=_every(E, WORKY) + _every(H, HEALTHY),
        paths=[(E, False)],
    ),
    # 3 Employment and county health, valid consent both ways: a referral from employment
    # to the county waits for an answer (the Klaus case of issue 13, defect 4).
    ClientSpec(
        rels=[(E, "", False), (H, "terveys", False)],
        team=[("aino", "active"), ("w_ter", "active")],
        consents=[
            ([E], [H], PLANNED, "valid"),
            ([H], [E], [C.IDENTITY, C.HEALTH, C.ASSESSMENTS], "valid"),
        ],
        entries=_every(E, [*WORKY, C.ASSESSMENTS]) + _every(H, HEALTHY),
        paths=[(E, True)],
        referrals=[(0, H, [C.EDUCATION_WORK, C.ASSESSMENTS, C.HEALTH, C.PLAN], "sent", False)],
    ),
    # 4 Referral employment -> county sent, then the consent withdrawn.
    ClientSpec(
        rels=[(E, "", False)],
        team=[("eero", "active")],
        consents=[([E], [H], PLANNED, "valid")],
        entries=_every(E),
        paths=[(E, False)],
        referrals=[(0, H, [C.EDUCATION_WORK, C.PLAN], "sent", True)],
    ),
    # 5 Referral employment -> county accepted (the nurse joins), consent still valid.
    ClientSpec(
        rels=[(E, "", False)],
        team=[("aino", "active")],
        consents=[([E], [H], [*PLANNED, C.EMPLOYMENT_SERVICES], "valid")],
        entries=_every(E),
        paths=[(E, False)],
        referrals=[(0, H, [C.EDUCATION_WORK, C.EMPLOYMENT_SERVICES, C.HEALTH], "accepted", False)],
    ),
    # 6 Referral employment -> county completed, consent afterwards withdrawn (defect 2).
    ClientSpec(
        rels=[(E, "", False)],
        team=[("aino", "active")],
        consents=[([E], [H], [*PLANNED, C.EMPLOYMENT_SERVICES, C.NOTES], "valid")],
        entries=_every(E),
        paths=[(E, False)],
        referrals=[(0, H, [C.EMPLOYMENT_SERVICES, C.NOTES], "completed", True)],
    ),
    # 7 Referral employment -> Kela declined; Kela also has a relationship.
    ClientSpec(
        rels=[(E, "", False), (K, "", False)],
        team=[("aino", "active"), ("w_kela", "active")],
        consents=[([E], [K], [C.IDENTITY, C.HEALTH, C.EDUCATION_WORK, C.PLAN], "valid")],
        entries=_every(E) + _every(K, [C.HEALTH, C.NOTES]),
        paths=[(E, False)],
        referrals=[(0, K, [C.EDUCATION_WORK], "declined", False)],
    ),
    # 8 Referral employment -> NGO cancelled; referral employment -> TYP sent.
    ClientSpec(
        rels=[(E, "", False), (A, "", True)],
        team=[("aino", "active"), ("w_ngo", "ended")],
        consents=[([E], [A, Y], [C.IDENTITY, C.EMPLOYMENT_SERVICES, C.PLAN], "valid")],
        entries=_every(E) + _every(A, [C.NOTES]),
        paths=[(E, True)],
        referrals=[
            (0, A, [C.EMPLOYMENT_SERVICES], "cancelled", False),
            (0, Y, [C.EMPLOYMENT_SERVICES, C.PLAN], "sent", False),
        ],
    ),
    # 9 County social services path with a referral county -> employment sent.
    ClientSpec(
        rels=[(H, "sosiaali", False), (E, "", True)],
        team=[("sanna", "active"), ("w_sos", "active")],
        consents=[([H], [E], [C.IDENTITY, C.SOCIAL, C.PLAN], "valid")],
        entries=_every(H, [*HEALTHY, C.PLAN]) + _every(E, [C.EMPLOYMENT_SERVICES]),
        paths=[(H, True)],
        referrals=[(0, E, [C.SOCIAL, C.PLAN], "sent", False)],
    ),
    # 10 County mental-health unit, a nurse of the health unit in the team, no consent at all;
    # an invited psychologist.
    ClientSpec(
        rels=[(H, "mtp", False)],
        team=[("w_mtp", "active"), ("pirjo", "invited"), ("bertta", "active")],
        entries=_every(H, HEALTHY),
    ),
    # 11 Employment and county, consent to Kela expired, emergency access of the nurse active.
    ClientSpec(
        rels=[(E, "", False), (H, "", False)],
        team=[("eero", "active"), ("w_hva", "active")],
        consents=[([E, H], [K], [C.IDENTITY, C.HEALTH, C.EDUCATION_WORK], "expired")],
        emergency=[("bertta", True)],
        entries=_every(E, WORKY) + _every(H, HEALTHY),
    ),
    # 12 TYP client, TYP path with a referral TYP -> county accepted; consent future.
    ClientSpec(
        rels=[(Y, "", False), (E, "", False)],
        team=[("tuomas", "active"), ("w_typ", "active")],
        consents=[
            ([Y], [H], [C.IDENTITY, C.PLAN, C.SOCIAL, C.HEALTH], "valid"),
            ([Y], [K], [C.IDENTITY, C.PLAN], "future"),
        ],
        entries=_every(Y, [*WORKY, C.SOCIAL]) + _every(E, [C.NOTES]),
        paths=[(Y, True)],
        referrals=[(0, H, [C.SOCIAL, C.PLAN], "accepted", False)],
    ),
    # 13 Kela only, with a consent Kela -> employment not covering health.
    ClientSpec(
        rels=[(K, "", False)],
        team=[("cecilia", "active")],
        consents=[([K], [E], [C.IDENTITY, C.NOTES], "valid")],
        entries=_every(K, [C.HEALTH, C.NOTES, C.PLAN]),
    ),
    # 14 Pohjala client, the Esimerkkilä coordinator's expired emergency access.
    ClientSpec(
        rels=[(P, "", False)],
        team=[("pasi", "active"), ("w_poh", "active")],
        emergency=[("aino", False)],
        entries=_every(P),
        paths=[(P, False)],
    ),
    # 15 Employment and county social unit; social counsellor by duty; consent both ways
    # for social only.
    ClientSpec(
        rels=[(E, "", False), (H, "sosiaali", False)],
        team=[("eero", "active"), ("w_sos", "invited")],
        consents=[([H], [E], [C.IDENTITY, C.SOCIAL], "valid"), ([E], [H], [C.IDENTITY], "valid")],
        entries=_every(E, WORKY) + _every(H, [C.SOCIAL, C.HEALTH]),
    ),
    # 16 Ended employment relationship only, physician's active emergency access.
    ClientSpec(
        rels=[(E, "", True)],
        team=[("aino", "ended")],
        emergency=[("lauri", True)],
        entries=_every(E, WORKY),
    ),
    # 17 Everyone: employment, county health (mtp through the team), Kela, TYP, NGO; one broad consent.
    ClientSpec(
        rels=[
            (E, "", False),
            (H, "terveys", False),
            (K, "", False),
            (Y, "", False),
            (A, "", False),
        ],
        team=[
            ("aino", "active"),
            ("w_ter", "active"),
            ("w_mtp", "active"),
            ("w_kela", "active"),
            ("w_typ", "active"),
            ("w_ngo", "active"),
            ("fiia", "active"),
            ("tiina", "active"),
            ("ville", "active"),
            ("kaisa", "active"),
            ("olli", "active"),
        ],
        consents=[
            (
                [E, H, K, Y, A],
                [E, H, K, Y, A],
                [C.IDENTITY, C.PLAN, C.ASSESSMENTS, C.NOTES, C.EDUCATION_WORK],
                "valid",
            ),
            ([H], [K], [C.HEALTH], "valid"),
        ],
        entries=_every(E) + _every(H) + _every(K, [C.HEALTH]) + _every(A, [C.NOTES]),
        paths=[(E, True), (H, False)],
    ),
    # 18 Registered by employment, no relationship of anyone else, nothing shared.
    ClientSpec(
        rels=[(E, "", False)],
        team=[("w_emp", "active")],
        entries=_every(E, [C.HEALTH, C.SOCIAL, C.NOTES]),
    ),
    # 19 NGO and county kuntoutus: the physiotherapist in the team, consent NGO -> county.
    ClientSpec(
        rels=[(A, "", False), (H, "", False)],
        team=[("ville", "active"), ("fiia", "active")],
        consents=[([A], [H], [C.IDENTITY, C.EMPLOYMENT_SERVICES, C.NOTES], "valid")],
        entries=_every(A, [C.EMPLOYMENT_SERVICES, C.NOTES]) + _every(H, [C.HEALTH]),
    ),
    # 20 Employment client, referral employment -> county sent, the county already works
    # with the client (the nurse in the team) and a consent covers plan (issue 13, defect 4).
    ClientSpec(
        rels=[(E, "", False), (H, "terveys", False)],
        team=[("aino", "active"), ("bertta", "active")],
        consents=[([E], [H], PLANNED, "valid")],
        entries=_every(E, WORKY) + _every(H, [C.HEALTH]),
        paths=[(E, False)],
        referrals=[(0, H, [C.PLAN], "sent", False)],
    ),
]

# Who answers referrals per receiver, and who acts for the sender.
RECEIVERS = {H: "bertta", K: "cecilia", A: "ville", Y: "tuomas", E: "eero"}
CASE_ACTORS = {E: "aino", H: "sanna", Y: "tuomas", P: "pasi"}


def unit_category_column() -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, Unit._meta.db_table)
    return any(c.name == "data_category" for c in columns)


@dataclass
class Population:
    staff: dict[str, StaffMember]
    clients: list[Client]
    unit_column: bool
    # Record id -> the marker string written into it (entries, plans, referrals).
    markers: dict[str, str]


def _staff(organisations: dict[str, Organisation]) -> dict[str, StaffMember]:
    staff = seed_staff(organisations)
    staff.pop("yllapito")
    user_model = get_user_model()
    for key, (first, last, org, role, unit) in WITNESSES.items():
        user = user_model.objects.create(username=key, first_name=first, last_name=last)
        staff[key] = StaffMember.objects.create(
            user=user,
            organisation=organisations[org],
            role=role,
            unit=Unit.objects.get(organisation=organisations[org], code=unit) if unit else None,
        )
    user = user_model.objects.create(username="inari", first_name="Inari", last_name="Ilola")
    staff["inari"] = StaffMember.objects.create(
        user=user, organisation=organisations[E], role=Role.COORDINATOR, is_active=False
    )
    return staff


def build() -> Population:
    organisations = seed_organisations()
    unit_column = unit_category_column()
    if unit_column:
        with connection.cursor() as cursor:
            for code, category in UNIT_CATEGORIES.items():
                cursor.execute(
                    f"UPDATE {Unit._meta.db_table} SET data_category = %s "
                    "WHERE code = %s AND organisation_id = %s",
                    [category.value, code, organisations[H].pk],
                )
    staff = _staff(organisations)
    units = {u.code: u for u in Unit.objects.filter(organisation=organisations[H])}
    today = timezone.localdate()
    now = timezone.now()
    clients = []
    markers: dict[str, str] = {}
    for n, spec in enumerate(SPECS, start=1):
        clients.append(_client(n, spec, organisations, units, staff, today, now, markers))
    return Population(staff=staff, clients=clients, unit_column=unit_column, markers=markers)


def _client(n, spec, organisations, units, staff, today, now, markers) -> Client:
    first_org = organisations[spec.rels[0][0]]
    client = Client.objects.create(registered_by=first_org)
    code = format_hetu(dt.date(1970, 1, 1) + dt.timedelta(days=400 * n), 900 + n)
    last = f"Matriisi{chr(96 + n)}{chr(96 + n)}"
    ClientIdentity.objects.create(
        client=client,
        hetu=code,
        hetu_hash=hetu_lookup_hash(code),
        hetu_is_temporary=True,
        birth_date=parse_hetu(code).birth_date,
        first_names="Asta",
        last_name=last,
        search_name=ClientIdentity.make_search_name("Asta", last),
    )
    for org, unit, ended in spec.rels:
        ClientRelationship.objects.create(
            client=client,
            organisation=organisations[org],
            unit=units[unit] if unit else None,
            started_on=today - dt.timedelta(days=200),
            ended_on=today - dt.timedelta(days=30) if ended else None,
        )
    for key, state in spec.team:
        member = staff[key]
        TeamMembership.objects.create(
            client=client,
            staff_member=member,
            added_by=member,
            invited_at=now - dt.timedelta(days=100),
            started_at=None if state == "invited" else now - dt.timedelta(days=90),
            ended_at=now - dt.timedelta(days=20) if state == "ended" else None,
        )
    consents = []
    for disclosing, receiving, categories, state in spec.consents:
        consents.append(
            _consent(
                client,
                disclosing=[organisations[o] for o in disclosing],
                receiving=[organisations[o] for o in receiving],
                categories=[str(c) for c in categories],
                recorder=staff["aino"],
                state=state,
            )
        )
    for username, active in spec.emergency:
        started = now - dt.timedelta(hours=1 if active else 30)
        EmergencyAccess.objects.create(
            staff_member=staff[username],
            client=client,
            reason="Matriisin hätäkäyttö",
            started_at=started,
            expires_at=started + dt.timedelta(hours=4),
        )
    for k, (org, category) in enumerate(spec.entries, start=1):
        marker = f"MXE-{n:02d}-{k:02d}-"
        entry = ClientEntry.objects.create(
            client=client,
            owner_organisation=organisations[org],
            category=category,
            author=staff[AUTHORS[org]],
            entry_date=today - dt.timedelta(days=5),
            title=f"Kirjaus {marker}",
            body=f"Synteettinen teksti {marker}.",
        )
        markers[str(entry.pk)] = marker
    cases = []
    for k, (org, with_plan) in enumerate(spec.paths, start=1):
        actor = staff[CASE_ACTORS[org]]
        _ensure_team(client, actor, now)
        case = case_open(
            actor=actor,
            client_id=client.id,
            entry_route="employment_services",
            referred_on=today - dt.timedelta(days=40),
            coordinator=actor,
        )
        case_transition(
            actor=actor, case_id=case.id, to_status="intake", on=today - dt.timedelta(days=30)
        )
        if with_plan:
            plan = plan_create(
                actor=actor,
                case_id=case.id,
                plan_type="client",
                started_on=today - dt.timedelta(days=20),
                content={
                    "summary": f"Suunnitelma MXP-{n:02d}-{k:02d}-",
                    "goals": [{"text": "Osa-aikatyö", "area": "tyo"}],
                    "actions": [{"what": "Työkokeilu"}],
                },
            )
            markers[str(plan.id)] = f"MXP-{n:02d}-{k:02d}-"
        cases.append(case)
    for k, (index, receiver, categories, status, withdraw) in enumerate(spec.referrals, start=1):
        case = cases[index]
        sender = staff[CASE_ACTORS[spec.paths[index][0]]]
        referral = referral_send(
            actor=sender,
            case_id=case.id,
            reason=f"Lähetteen syy MXR-{n:02d}-{k:02d}-",
            categories=[str(c) for c in categories],
            receiving_organisation=organisations[receiver],
        )
        markers[str(referral.id)] = f"MXR-{n:02d}-{k:02d}-"
        answerer = staff[RECEIVERS[receiver]]
        if status in {"accepted", "completed"}:
            referral_answer(actor=answerer, referral_id=referral.id, accept=True)
        if status == "completed":
            referral_complete(actor=answerer, referral_id=referral.id, result="Palvelu tehty.")
        if status == "declined":
            referral_answer(
                actor=answerer, referral_id=referral.id, accept=False, reason="Ei sovi nyt."
            )
        if status == "cancelled":
            referral_cancel(actor=sender, referral_id=referral.id)
        if withdraw:
            Consent.objects.filter(client=client, withdrawn_at__isnull=True).update(
                withdrawn_at=now - dt.timedelta(minutes=1),
                withdrawn_by=staff["aino"],
                withdrawal_method="oral",
            )
    return client


def _consent(
    client: Client,
    *,
    disclosing: list[Organisation],
    receiving: list[Organisation],
    categories: list[str],
    recorder: StaffMember,
    state: str,
) -> Consent:
    """A consent that is valid, withdrawn, expired or not yet valid."""
    today = timezone.localdate()
    consent = Consent.objects.create(client=client, created_by=recorder)
    valid_from = {"expired": -100, "future": 10}.get(state, -10)
    version = ConsentVersion.objects.create(
        consent=consent,
        number=1,
        purpose="Työkyvyn arviointi",
        method="written_form",
        form_reference="Lomake Y100",
        valid_from=today + dt.timedelta(days=valid_from),
        valid_until=today - dt.timedelta(days=10) if state == "expired" else None,
        recorded_by=recorder,
    )
    version.disclosing_organisations.set(disclosing)
    version.receiving_organisations.set(receiving)
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(version=version, category=c) for c in categories]
    )
    if state == "withdrawn":
        consent.withdrawn_at = timezone.now() - dt.timedelta(days=1)
        consent.withdrawn_by = recorder
        consent.withdrawal_method = "oral"
        consent.save()
    return consent


def _ensure_team(client: Client, member: StaffMember, now: dt.datetime) -> None:
    if not TeamMembership.objects.filter(
        client=client, staff_member=member, started_at__isnull=False, ended_at__isnull=True
    ).exists():
        TeamMembership.objects.create(
            client=client,
            staff_member=member,
            added_by=member,
            started_at=now - dt.timedelta(days=60),
        )
