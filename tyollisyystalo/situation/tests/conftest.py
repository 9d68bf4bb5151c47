"""The first quarter of 2026 in Esimerkkilä, shared by the page, export and access tests."""

from __future__ import annotations

import pytest

from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.situation.tests.builders import D, municipality, path, person


@pytest.fixture
def quarter(employment: Organisation, county: Organisation) -> dict[str, Municipality]:
    """Esimerkkilä's employment services serve Aalto (101) and Beeta (102).

    Aalto: a1 opened 10.12.2025, first meeting 5.1., active 20.1., open; a2–a7 opened in
    February by the client themself, waiting for a first meeting; a8 closed 15.12.2025 (not in
    service in Q1); a9 opened 10.1. from social and health services, met 20.1., closed 1.3. in a
    job. Beeta: b1–b3 opened in January, met 1.2., in intake. Other: c1 lives in Ceeta (103,
    not served), opened 1.1.; o1 has no municipality on record, opened 15.3. from the portal.
    The county's path for a client in Aalto is not Esimerkkilä's.
    """
    aalto = municipality("101", "Aalto")
    beeta = municipality("102", "Beeta")
    ceeta = municipality("103", "Ceeta")
    employment.municipalities.set([aalto, beeta])
    county.municipalities.set([aalto, beeta, ceeta])
    a1 = person(employment, municipality=aalto, born=D(1990, 6, 1))
    path(a1, employment, referred=D(2025, 12, 10), started=D(2026, 1, 5), active=D(2026, 1, 20))
    for day in range(2, 8):
        client = person(employment, municipality=aalto, born=D(2000, 1, 1))
        path(client, employment, referred=D(2026, 2, day), route="self")
    a8 = person(employment, municipality=aalto)
    path(
        a8,
        employment,
        referred=D(2025, 11, 1),
        started=D(2025, 11, 5),
        closed=D(2025, 12, 15),
        outcome="declined",
    )
    a9 = person(employment, municipality=aalto, born=D(1960, 5, 5))
    path(
        a9,
        employment,
        referred=D(2026, 1, 10),
        route="social_health",
        started=D(2026, 1, 20),
        closed=D(2026, 3, 1),
        outcome="job_or_study",
    )
    for _n in range(3):
        client = person(employment, municipality=beeta, born=D(1985, 2, 1))
        path(client, employment, referred=D(2026, 1, 12), started=D(2026, 2, 1))
    c1 = person(employment, municipality=ceeta, born=D(1995, 4, 1))
    path(c1, employment, referred=D(2026, 1, 1))
    o1 = person(employment, municipality=None, born=None)
    path(o1, employment, referred=D(2026, 3, 15), route="portal")
    x1 = person(county, municipality=aalto)
    path(x1, county, referred=D(2026, 1, 3), route="social_health")
    return {"aalto": aalto, "beeta": beeta}
