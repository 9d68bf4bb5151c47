"""What each picker may offer: the form field's own queryset, the capability its form needs,
and how typed text narrows it. The JSON endpoint answers only from these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.cases.selectors import invitable_staff
from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.selectors import services_published, services_referable
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.organisations.selectors import organisations_active
from tyollisyystalo.pickers import keys
from tyollisyystalo.pickers.search import names_matching, services_matching
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    detail: str


@dataclass(frozen=True)
class Source:
    capability: Capability
    options: Callable[[str, int], list[Option]]


def _services(rows: Callable[[], QuerySet[Service]]) -> Callable[[str, int], list[Option]]:
    def options(q: str, limit: int) -> list[Option]:
        language = (get_language() or "fi")[:2]
        found = services_matching(
            rows().select_related("organization"), q, language=language, limit=limit
        )
        return [
            Option(str(s.pk), str(s), str(s.organization) if s.organization else "") for s in found
        ]

    return options


def _organisations(q: str, limit: int) -> list[Option]:
    found = names_matching(organisations_active(), q, name=_organisation_names, limit=limit)
    return [Option(str(o.pk), str(o), o.get_type_display()) for o in found]


def _organisation_names(organisation: Organisation) -> str:
    # Found by any of its names, shown in the reader's language.
    return " ".join(
        filter(None, [organisation.name_fi, organisation.name_sv, organisation.name_en])
    )


def _staff(q: str, limit: int) -> list[Option]:
    found = names_matching(invitable_staff(), q, name=_staff_name, limit=limit)
    return [
        Option(str(s.pk), s.display_name, f"{s.get_role_display()}, {s.organisation}")
        for s in found
    ]


def _staff_name(person: StaffMember) -> str:
    return person.display_name


SOURCES: dict[str, Source] = {
    keys.REFERRAL_SERVICES: Source(Capability.CLIENT_RECORD_WRITE, _services(services_referable)),
    keys.SERVICES: Source(Capability.CLIENT_RECORD_WRITE, _services(services_published)),
    keys.ORGANISATIONS: Source(Capability.CLIENT_RECORD_WRITE, _organisations),
    keys.INVITABLE_STAFF: Source(Capability.TEAM_MANAGE, _staff),
}


def option_dicts(options: list[Option]) -> list[dict[str, Any]]:
    return [{"value": o.value, "label": o.label, "detail": o.detail} for o in options]
