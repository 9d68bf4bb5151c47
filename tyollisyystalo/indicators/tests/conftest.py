"""The indicator tests' small world: our organisation, another one, three municipalities."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import OrganisationFactory
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class World:
    own: Organisation
    other: Organisation
    x01: Municipality
    x02: Municipality
    x03: Municipality
    staff: StaffMember
    other_staff: StaffMember


@pytest.fixture
def world(employment: Organisation) -> World:
    x01 = b.municipality("X01", "Esimerkkilä")
    x02 = b.municipality("X02", "Pohjala")
    x03 = b.municipality("X03", "Järvikylä")
    employment.municipalities.set([x01, x02])
    other = OrganisationFactory.create(code="org-other", name_fi="Muu organisaatio")
    other.municipalities.set([x01, x02, x03])
    return World(
        own=employment,
        other=other,
        x01=x01,
        x02=x02,
        x03=x03,
        staff=b.coordinator(employment),
        other_staff=b.coordinator(other),
    )
