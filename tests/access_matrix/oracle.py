"""A second reading of the access rules (docs/access-rules.md R1–R5, ADR 0005, ADR 0014), over raw rows.

Nothing here calls the gatekeeper or a selector: the facts are read with plain SQL and the role
table of ``staff/policy.py`` is read as data (which categories a role needs, which capabilities
it has). ``unit_categories`` switches R3's unit rule: ``"column"`` reads
``organisations_unit.data_category`` (treated as '' when the column is missing) and ``"flat"``
treats every unit as ''. A check whose answer differs between the two depends on the unit rule.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection

from tyollisyystalo.access.policy import POLICY, Capability
from tyollisyystalo.staff.roles import Role

IDENTITY = "identity"
PLAN = "plan"
TABLES = {
    "staff": "staff_staffmember",
    "user": "auth_user",
    "org": "organisations_organisation",
    "unit": "organisations_unit",
    "rel": "clients_clientrelationship",
    "team": "clients_teammembership",
    "identity": "clients_clientidentity",
    "entry": "clients_cliententry",
    "consent": "consents_consent",
    "version": "consents_consentversion",
    "disclosing": "consents_consentversion_disclosing_organisations",
    "receiving": "consents_consentversion_receiving_organisations",
    "category": "consents_consentcategory",
    "emergency": "consents_emergencyaccess",
    "case": "cases_case",
    "plan": "plans_plan",
    "referral": "referrals_referral",
}


def _rows(sql: str, params: list[Any] | None = None) -> list[tuple]:
    sql = sql.format(**TABLES)
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _active(flag: object) -> bool:
    return bool(int(flag))  # type: ignore[call-overload]


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    last_name: str
    org: int
    unit: int | None
    role: str
    active: bool

    @property
    def readable(self) -> frozenset[str]:
        return frozenset(str(c) for c in POLICY[Role(self.role)].readable)

    @property
    def duty(self) -> bool:
        return POLICY[Role(self.role)].duty_covers_clients

    def can(self, capability: Capability) -> bool:
        return self.active and capability in POLICY[Role(self.role)].capabilities


@dataclass(frozen=True)
class Unit:
    id: int
    org: int
    code: str
    name: str
    category: str


@dataclass(frozen=True)
class Rel:
    client: uuid.UUID
    org: int
    unit: int | None
    active: bool


@dataclass(frozen=True)
class Member:
    id: int
    client: uuid.UUID
    staff: int
    active: bool
    state: str


@dataclass
class ConsentRow:
    id: int
    client: uuid.UUID
    valid: bool
    disclosing: set[int] = field(default_factory=set)
    receiving: set[int] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    # Every organisation named by any version (R3: a version is shown to its parties).
    parties: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Record:
    id: str
    client: uuid.UUID
    owner: int
    category: str


@dataclass(frozen=True)
class ReferralRow:
    id: uuid.UUID
    client: uuid.UUID
    sender: int
    receiver: int
    status: str
    shared: frozenset[str]
    case: uuid.UUID


class World:
    """Raw rows of the whole population, read once after it is built."""

    def __init__(
        self, *, unit_categories: str | dict[str, str], at: dt.datetime, today: dt.date
    ) -> None:
        self.at = at
        self.today = today
        has_column = any(
            c.name == "data_category"
            for c in connection.introspection.get_table_description(
                connection.cursor(), TABLES["unit"]
            )
        )
        category_sql = "data_category" if has_column and unit_categories == "column" else "''"
        self.units = {
            r[0]: Unit(r[0], r[1], r[2], r[3], r[4] or "")
            for r in _rows(
                f"SELECT id, organisation_id, code, name_fi, {category_sql} FROM {{unit}}"
            )
        }
        if isinstance(unit_categories, dict):  # the intended categories, to classify checks
            self.units = {
                k: Unit(u.id, u.org, u.code, u.name, unit_categories.get(u.code, ""))
                for k, u in self.units.items()
            }
        self.orgs = {r[0]: (r[1], r[2]) for r in _rows("SELECT id, code, name_fi FROM {org}")}
        self.staff = {
            r[0]: Staff(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]))
            for r in _rows(
                "SELECT s.id, u.username, u.last_name, s.organisation_id, s.unit_id, s.role, "
                "s.is_active FROM {staff} s JOIN {user} u ON u.id = s.user_id"
            )
        }
        self.names = {
            _uuid(r[0]): r[1] for r in _rows("SELECT client_id, last_name FROM {identity}")
        }
        self.rels = [
            Rel(_uuid(r[0]), r[1], r[2], _active(r[3]))
            for r in _rows(
                "SELECT client_id, organisation_id, unit_id, CASE WHEN started_on <= %s AND "
                "(ended_on IS NULL OR ended_on >= %s) THEN 1 ELSE 0 END FROM {rel}",
                [today, today],
            )
        ]
        self.team = [
            Member(r[0], _uuid(r[1]), r[2], _active(r[3]), r[4])
            for r in _rows(
                "SELECT id, client_id, staff_member_id, CASE WHEN started_at IS NOT NULL AND "
                "started_at <= %s AND (ended_at IS NULL OR ended_at > %s) THEN 1 ELSE 0 END, "
                "CASE WHEN ended_at IS NOT NULL THEN 'ended' WHEN started_at IS NULL "
                "THEN 'invited' ELSE 'active' END FROM {team}",
                [at, at],
            )
        ]
        self.consents: dict[int, ConsentRow] = {}
        for r in _rows(
            "SELECT c.id, c.client_id, CASE WHEN (c.withdrawn_at IS NULL OR c.withdrawn_at > %s) "
            "AND v.valid_from <= %s AND (v.valid_until IS NULL OR v.valid_until >= %s) "
            "THEN 1 ELSE 0 END FROM {consent} c JOIN {version} v ON v.consent_id = c.id "
            "WHERE v.is_current",
            [at, today, today],
        ):
            self.consents[r[0]] = ConsentRow(r[0], _uuid(r[1]), _active(r[2]))
        for table, attr in (("disclosing", "disclosing"), ("receiving", "receiving")):
            for consent_id, org, current in _rows(
                f"SELECT v.consent_id, m.organisation_id, v.is_current FROM {{{table}}} m "
                "JOIN {version} v ON v.id = m.consentversion_id"
            ):
                self.consents[consent_id].parties.add(org)
                if current:
                    getattr(self.consents[consent_id], attr).add(org)
        for consent_id, category in _rows(
            "SELECT v.consent_id, k.category FROM {category} k "
            "JOIN {version} v ON v.id = k.version_id WHERE v.is_current"
        ):
            self.consents[consent_id].categories.add(category)
        self.emergency = {
            (r[0], _uuid(r[1]))
            for r in _rows(
                "SELECT staff_member_id, client_id FROM {emergency} "
                "WHERE started_at <= %s AND expires_at > %s",
                [at, at],
            )
        }
        self.entries = [
            Record(str(r[0]), _uuid(r[1]), r[2], r[3])
            for r in _rows("SELECT id, client_id, owner_organisation_id, category FROM {entry}")
        ]
        self.cases = [
            Record(str(_uuid(r[0])), _uuid(r[1]), r[2], r[3])
            for r in _rows("SELECT id, client_id, owner_organisation_id, category FROM {case}")
        ]
        self.plans = [
            Record(str(_uuid(r[0])), _uuid(r[1]), r[2], r[3])
            for r in _rows("SELECT id, client_id, owner_organisation_id, category FROM {plan}")
        ]
        self.referrals = [
            ReferralRow(
                _uuid(r[0]),
                _uuid(r[1]),
                r[2],
                r[3],
                r[4],
                frozenset(c for c in r[5].split(",") if c),
                _uuid(r[6]),
            )
            for r in _rows(
                "SELECT id, client_id, owner_organisation_id, receiving_organisation_id, status, "
                "shared_categories, case_id FROM {referral}"
            )
        ]

    @cached_property
    def rels_by_client(self) -> dict[uuid.UUID, list[Rel]]:
        out: dict[uuid.UUID, list[Rel]] = defaultdict(list)
        for rel in self.rels:
            out[rel.client].append(rel)
        return out

    @cached_property
    def team_by_client(self) -> dict[uuid.UUID, list[Member]]:
        out: dict[uuid.UUID, list[Member]] = defaultdict(list)
        for member in self.team:
            out[member.client].append(member)
        return out

    @cached_property
    def consents_by_client(self) -> dict[uuid.UUID, list[ConsentRow]]:
        out: dict[uuid.UUID, list[ConsentRow]] = defaultdict(list)
        for consent in self.consents.values():
            out[consent.client].append(consent)
        return out

    def unit_category(self, unit: int | None) -> str:
        category = self.units[unit].category if unit is not None else ""
        return category or IDENTITY

    # --- R1 -----------------------------------------------------------------------------

    def works_with(self, s: Staff, client: uuid.UUID) -> bool:
        """In the client's active team, or a duty over the own organisation's active clients."""
        if any(m.staff == s.id and m.active for m in self.team_by_client[client]):
            return True
        return s.duty and any(
            r.org == s.org and r.active and (r.unit is None or s.unit is None or r.unit == s.unit)
            for r in self.rels_by_client[client]
        )

    def consented(self, s: Staff, client: uuid.UUID, owner: int, category: str) -> bool:
        return any(
            c.valid and owner in c.disclosing and s.org in c.receiving and category in c.categories
            for c in self.consents_by_client[client]
        )

    def may_read(self, s: Staff, client: uuid.UUID, owner: int, category: str) -> bool:
        if not s.active or category not in s.readable:
            return False
        if (s.id, client) in self.emergency:
            return True
        if not self.works_with(s, client):
            return False
        return owner == s.org or self.consented(s, client, owner, category)

    # --- R2 -----------------------------------------------------------------------------

    def identity_visible(self, s: Staff, client: uuid.UUID) -> bool:
        return any(
            self.may_read(s, client, org, IDENTITY)
            for org in {r.org for r in self.rels_by_client[client]}
        )

    # --- R4 -----------------------------------------------------------------------------

    def referral_side(self, s: Staff, referral: ReferralRow) -> str | None:
        if s.org == referral.receiver and s.can(Capability.REFERRAL_HANDLE):
            return "receiver"
        if s.org == referral.sender and self.may_read(s, referral.client, referral.sender, PLAN):
            return "sender"
        return None

    def receiver_categories(self, s: Staff, referral: ReferralRow) -> set[str]:
        """Before acceptance: shared, still consented from sender to receiver, and needed."""
        if referral.status != "sent" or self.referral_side(s, referral) != "receiver":
            return set()
        return {
            c
            for c in referral.shared
            if c in s.readable
            and any(
                k.valid
                and referral.sender in k.disclosing
                and referral.receiver in k.receiving
                and c in k.categories
                for k in self.consents_by_client[referral.client]
            )
        }
