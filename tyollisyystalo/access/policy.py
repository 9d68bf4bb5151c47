"""What each professional role may do: the one table a reviewer checks against DOMAIN.md §2.

The table grants *capabilities* (actions) and the *data categories* a role's duties need.
Whether a particular record may be read is decided by the gatekeeper
(``tyollisyystalo.access.gatekeeper``), which combines this table with organisation,
team membership, the client's consent and emergency access. Nothing else checks roles.

``duty_covers_clients``: the role's duty covers every client of its own organisation that the
organisation has an active client relationship with (intake and case management), not only the
clients whose team the person has joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tyollisyystalo.clients.categories import DataCategory as C
from tyollisyystalo.staff.roles import Role


class Capability(StrEnum):
    CLIENT_SEARCH = "client.search"
    CLIENT_REGISTER = "client.register"
    CLIENT_RECORD_WRITE = "client.record_write"
    TEAM_MANAGE = "team.manage"
    CASE_MANAGE = "case.manage"
    REFERRAL_HANDLE = "referral.handle"
    CONSENT_RECORD = "consent.record"
    CONSENT_WITHDRAW = "consent.withdraw"
    EMERGENCY_ACCESS = "emergency.access"
    EMERGENCY_REVIEW = "emergency.review"
    ACCESS_LOG_CLIENT = "access_log.client"
    ACCESS_LOG_STAFF = "access_log.staff"
    CATALOGUE_EDIT = "catalogue.edit"
    CATALOGUE_PUBLISH = "catalogue.publish"
    CONTACT_REQUEST_HANDLE = "contact_request.handle"
    LEGAL_HOLD = "legal_hold.manage"
    # Knowledge-based management (issue 15): figures, never a person.
    MANAGEMENT_READ = "management.read"  # own organisation and the municipalities it serves
    REGION_READ = "management.region"  # the whole region, in aggregate only
    REGION_GOALS = "management.region_goals"  # the region's shared goals (the steering group)
    EVALUATION_EXPORT = "evaluation.export"  # the pseudonymised evaluation data package
    # Client segments (issue 19): build the analysis data set, run analyses, approve segments.
    SEGMENTS_ANALYSE = "segments.analyse"
    # The subcontracting model (issue 17): a work group's members, customers, orders, invoices.
    WORK_GROUP_MANAGE = "subcontracting.manage"


@dataclass(frozen=True)
class RolePolicy:
    capabilities: frozenset[Capability]
    readable: frozenset[C]
    writable: frozenset[C]
    duty_covers_clients: bool = False


K = Capability
ALL = frozenset(C)
NONE: frozenset[C] = frozenset()
CASEWORK = frozenset({K.CLIENT_SEARCH, K.CLIENT_RECORD_WRITE, K.REFERRAL_HANDLE})
CASE_OWNER = CASEWORK | {
    K.CLIENT_REGISTER,
    K.TEAM_MANAGE,
    K.CASE_MANAGE,
    K.CONSENT_RECORD,
    K.CONSENT_WITHDRAW,
    K.EMERGENCY_ACCESS,
    K.ACCESS_LOG_CLIENT,
    K.CONTACT_REQUEST_HANDLE,
}
HEALTH_PROFESSIONAL = CASEWORK | {K.CONSENT_RECORD, K.CONSENT_WITHDRAW, K.EMERGENCY_ACCESS}
HEALTH_DATA = frozenset({C.IDENTITY, C.HEALTH, C.PLAN, C.ASSESSMENTS, C.NOTES})
EMPLOYMENT_DATA = frozenset(
    {C.IDENTITY, C.EDUCATION_WORK, C.EMPLOYMENT_SERVICES, C.PLAN, C.ASSESSMENTS, C.NOTES}
)
OVERSIGHT = frozenset({K.ACCESS_LOG_CLIENT, K.ACCESS_LOG_STAFF, K.EMERGENCY_REVIEW})

POLICY: dict[Role, RolePolicy] = {
    # Owns the client's path: every category, intake, team, consents (DOMAIN.md §4).
    Role.COORDINATOR: RolePolicy(CASE_OWNER, ALL, ALL, duty_covers_clients=True),
    Role.SOCIAL_WORKER: RolePolicy(CASE_OWNER, ALL, ALL),
    Role.SOCIAL_COUNSELLOR: RolePolicy(
        CASE_OWNER - {K.EMERGENCY_ACCESS},
        ALL - {C.HEALTH},
        ALL - {C.HEALTH},
        duty_covers_clients=True,
    ),
    Role.NURSE: RolePolicy(HEALTH_PROFESSIONAL, HEALTH_DATA | {C.SOCIAL}, HEALTH_DATA),
    Role.PHYSICIAN: RolePolicy(
        HEALTH_PROFESSIONAL, HEALTH_DATA | {C.SOCIAL, C.EDUCATION_WORK}, HEALTH_DATA
    ),
    Role.PHYSIOTHERAPIST: RolePolicy(CASEWORK, HEALTH_DATA, HEALTH_DATA),
    Role.OCCUPATIONAL_THERAPIST: RolePolicy(
        CASEWORK, HEALTH_DATA | {C.EDUCATION_WORK}, HEALTH_DATA
    ),
    Role.PSYCHOLOGIST: RolePolicy(CASEWORK, HEALTH_DATA | {C.SOCIAL}, HEALTH_DATA),
    Role.EMPLOYMENT_EXPERT: RolePolicy(
        CASE_OWNER - {K.EMERGENCY_ACCESS},
        EMPLOYMENT_DATA,
        EMPLOYMENT_DATA,
        duty_covers_clients=True,
    ),
    # Kela's rehabilitation decisions need health and work history (DOMAIN.md §3).
    Role.KELA_EXPERT: RolePolicy(
        CASEWORK | {K.CONSENT_RECORD},
        HEALTH_DATA | {C.EDUCATION_WORK},
        frozenset({C.IDENTITY, C.PLAN, C.ASSESSMENTS, C.NOTES}),
    ),
    Role.JOB_COACH: RolePolicy(CASEWORK, EMPLOYMENT_DATA, EMPLOYMENT_DATA),
    # Keeps a paid work group (issue 17): its members' employment, trainings and hours are
    # work data (education_work); never health data.
    Role.WORK_GROUP_SUPERVISOR: RolePolicy(
        frozenset({K.CLIENT_SEARCH, K.WORK_GROUP_MANAGE}),
        frozenset({C.IDENTITY, C.PLAN, C.EDUCATION_WORK}),
        frozenset({C.EDUCATION_WORK}),
    ),
    Role.SERVICE_EDITOR: RolePolicy(frozenset({K.CATALOGUE_EDIT}), NONE, NONE),
    # Managers and administrators see who read what, never the client data itself.
    Role.MANAGER: RolePolicy(
        OVERSIGHT
        | {
            K.LEGAL_HOLD,
            K.MANAGEMENT_READ,
            K.REGION_READ,
            K.EVALUATION_EXPORT,
            K.SEGMENTS_ANALYSE,
        },
        NONE,
        NONE,
    ),
    # The regional steering group sees the region's figures in aggregate and sets the region's
    # shared goals, nothing else.
    Role.STEERING_GROUP: RolePolicy(frozenset({K.REGION_READ, K.REGION_GOALS}), NONE, NONE),
    Role.ADMINISTRATOR: RolePolicy(OVERSIGHT | {K.CATALOGUE_EDIT, K.CATALOGUE_PUBLISH}, NONE, NONE),
}


def policy_for(role: str) -> RolePolicy:
    return POLICY[Role(role)]


def has_capability(role: str, capability: Capability) -> bool:
    return capability in policy_for(role).capabilities


def roles_with(capability: Capability) -> list[str]:
    return [str(role) for role, policy in POLICY.items() if capability in policy.capabilities]


def may_read_category(role: str, category: str) -> bool:
    return C(category) in policy_for(role).readable


def may_write_category(role: str, category: str) -> bool:
    return C(category) in policy_for(role).writable
