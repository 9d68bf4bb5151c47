"""The first quarter of 2026 in Esimerkkilä, shared by the page, export and access tests."""

from __future__ import annotations

import pytest

from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.situation.tests.builders import build_quarter


@pytest.fixture
def quarter(employment: Organisation, county: Organisation) -> dict[str, Municipality]:
    return build_quarter(employment, county)
