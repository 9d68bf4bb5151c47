"""The simulator on an organisation's history: fitted from its own records (checked against
plain SQL), the backtest and what-ifs on the page, refusals and bad input."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.capacity.history import actual, fit, history_read
from tyollisyystalo.capacity.model import DAYS_PER_MONTH
from tyollisyystalo.demo.history import Coaching, Keeper, history_build
from tyollisyystalo.organisations.models import Municipality, Organisation, OrganisationType
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

URL = reverse("capacity:simulator")


def _staff(username, organisation, role):
    user = get_user_model().objects.create_user(username)
    return StaffMember.objects.create(user=user, organisation=organisation, role=role)


@pytest.fixture
def county(db):
    x01 = Municipality.objects.create(code="X01", name_fi="Esimerkkilä")
    county = Organisation.objects.create(
        code="org-hva", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )
    county.municipalities.add(x01)
    coordinators = [_staff(f"k{n}", county, Role.COORDINATOR) for n in (1, 2, 3)]
    history_build(
        [(Keeper(county, coordinators, [x01]), 150)],
        coaching=Coaching(coaches=[]),
        today=timezone.localdate(),
    )
    return county


def test_the_fit_counts_the_organisations_own_referrals(county):
    today = timezone.localdate()
    fitted = fit(history_read(county), today)
    first = today - dt.timedelta(days=round(12 * DAYS_PER_MONTH))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM cases_case WHERE owner_organisation_id = %s "
            "AND referred_on > %s AND referred_on <= %s",
            [county.pk, first, today],
        )
        referred = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM cases_case WHERE owner_organisation_id = %s "
            "AND started_on IS NOT NULL AND started_on <= %s "
            "AND (closed_on IS NULL OR closed_on > %s)",
            [county.pk, today, today],
        )
        on_path = cursor.fetchone()[0]
    assert sum(sum(v) for v in fitted.arrivals.values()) == referred > 0
    assert len(fitted.elapsed) == on_path
    assert 1 <= fitted.coordinators <= 3
    assert fitted.cap >= 1
    assert all(lag >= 0 for lag in fitted.lags)
    assert all(days >= 1 for days in fitted.durations)
    truth = actual(history_read(county), today - dt.timedelta(days=183))
    assert len(truth.caseload) == 6


def test_the_manager_sees_the_backtest_and_a_what_if(client, county):
    manager = _staff("johtaja", county, Role.MANAGER)
    login(client, manager)
    before = AccessLogEntry.objects.count()
    page = client.get(URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Toistaako simulaatio viimeiset kuusi kuukautta?" in text
    assert "Historiasta sovitetut arvot" in text
    assert "Muutoksen jälkeen" not in text
    changed = client.get(URL, {"coordinators": "6", "cap": "30", "growth": "30"})
    assert changed.status_code == 200
    assert "Muutoksen jälkeen" in changed.content.decode()
    assert AccessLogEntry.objects.count() == before  # aggregates only: no client read


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"coordinators": "-1"}, "Koordinaattoreita on oltava 1–500."),
        ({"coordinators": "0"}, "Koordinaattoreita on oltava 1–500."),
        ({"cap": "0"}, "Asiakasmäärän katon on oltava 1–200 asiakasta."),
        ({"cap": "2.5"}, "Anna kokonaisluku."),
        ({"growth": "paljon"}, "Anna luku."),
        ({"growth": "-150"}, "Ohjausten muutoksen on oltava"),
        ({"service_places": "3"}, "Anna uudelle palvelulle sekä ohjattavien osuus että kesto."),
        ({"service_share": "120", "service_places": "3", "service_days": "30"}, "0–100 %"),
        ({"coordinators": "nan"}, "Anna luku."),
        ({"coaches": "-1"}, "Työhönvalmentajia voi olla 0–500."),
        ({"coach_cap": "0"}, "Valmennettavien katon on oltava 1–200."),
    ],
)
def test_bad_what_if_input_is_a_400_with_the_reason(client, county, query, message):
    login(client, _staff("johtaja", county, Role.MANAGER))
    page = client.get(URL, query)
    assert page.status_code == 400
    assert message in page.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NURSE, Role.KELA_EXPERT])
def test_others_get_404_and_nothing_is_logged(client, county, role):
    login(client, _staff("muu", county, role))
    before = AccessLogEntry.objects.count()
    assert client.get(URL).status_code == 404
    assert AccessLogEntry.objects.count() == before
