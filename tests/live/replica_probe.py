"""Run by test_reporting_replica.py in its own process, with DATABASE_REPLICA_URL set to the
primary's URL: the ``replica`` alias is then a test mirror of ``default`` (config/settings.py)
and every indicator read must go through it. Not collected on its own (no ``test_`` prefix);
skipped when there is no replica alias."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import OrganisationFactory, StaffFactory, login
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.staff.roles import Role

pytestmark = pytest.mark.skipif(
    "replica" not in settings.DATABASES, reason="run by test_reporting_replica.py"
)
# The tables the figures are counted from: none of them may be read on the primary.
REPORTED_TABLES = (
    "cases_case",
    "cases_casedeadline",
    "referrals_referral",
    "coaching_coachingperiod",
    "coaching_placement",
    "instruments_instrumentresponse",
    "worktrials_feedbacklink",
    "indicators_indicatorgoal",
    "indicators_publicindicatorvalue",
)


def _reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"]]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_indicator_page_and_api_read_the_replica(live_log: None) -> None:
    assert settings.REPORTING_DATABASE == "replica"
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    organisation = OrganisationFactory.create(code="org-probe")
    home = b.municipality("X01", "Esimerkkilä")
    organisation.municipalities.set([home])
    staff = b.coordinator(organisation)
    today = timezone.localdate()
    b.closed_paths(
        organisation, staff, home, count=6, outcome="job_or_study", on=today - dt.timedelta(days=1)
    )
    manager = StaffFactory.create(organisation=organisation, role=Role.MANAGER)
    http = HttpClient()
    login(http, manager)
    for url in ("/johtaminen/mittarit/", "/api/v1/indicators/placed_in_working_life/values"):
        with (
            CaptureQueriesContext(connections["replica"]) as replica,
            CaptureQueriesContext(connections["default"]) as primary,
        ):
            response = http.get(url)
        assert response.status_code == 200, url
        on_replica = " ".join(_reads(replica))
        on_primary = " ".join(_reads(primary))
        for table in REPORTED_TABLES:
            assert table not in on_primary, (url, table)
        assert "cases_case" in on_replica, url
    # The figures counted on the replica are the ones written on the primary.
    body = http.get("/api/v1/indicators/placed_in_working_life/values").json()
    assert body[-1]["numerator"] == 6
