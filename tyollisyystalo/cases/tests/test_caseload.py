"""My clients (issue 16 part 1): who is on the list, what a row says, filters, sorting, paging,
the export, the log. Expected lists are written out by hand from the data each test makes."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import StaffFactory, add_to_team, login, make_client, make_consent, open_path
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.cases.models import CaseDeadline
from tyollisyystalo.cases.services import case_transition
from tyollisyystalo.staff.roles import Role

URL = "/polut/asiakkaani/"
TODAY = timezone.localdate()


@pytest.fixture
def caseload(employment, county, aino):
    """Aino coordinates Aatu and Beata, is the deputy on Cecilia's path, is in Daavid's team
    (a path of the county, coordinated by its social worker) and on no part of Eemeli's. Fiona's path is
    Aino's but closed."""
    other = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    social_worker = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    people = {}
    for key, name in {
        "aatu": ("Aatu", "Aaltonen"),
        "beata": ("Beata", "Bergman"),
        "cecilia": ("Cecilia", "Ciesla"),
        "eemeli": ("Eemeli", "Eskola"),
        "fiona": ("Fiona", "Forsman"),
    }.items():
        people[key] = make_client(organisation=employment, name=name)
    daavid = make_client(organisation=county, name=("Daavid", "Dahl"))
    people["daavid"] = daavid
    for key in ("cecilia", "eemeli"):
        add_to_team(people[key], other)
    add_to_team(daavid, social_worker)
    paths = {
        "aatu": open_path(aino, people["aatu"], started_days_ago=30),
        "beata": open_path(aino, people["beata"], started_days_ago=None),
        "cecilia": open_path(other, people["cecilia"]),
        "eemeli": open_path(other, people["eemeli"]),
        "daavid": open_path(social_worker, daavid),
        "fiona": open_path(aino, people["fiona"]),
    }
    paths["cecilia"].deputy = aino
    paths["cecilia"].save(update_fields=["deputy"])
    add_to_team(daavid, aino)
    # Daavid agreed that the county may show his data to the employment services' team members.
    make_consent(
        daavid,
        disclosing=[county],
        receiving=[employment],
        categories=["identity", "plan"],
        recorder=social_worker,
    )
    case_transition(actor=aino, case_id=paths["fiona"].id, to_status="active", on=TODAY)
    case_transition(
        actor=aino,
        case_id=paths["fiona"].id,
        to_status="closed",
        on=TODAY,
        outcome="other",
        reason="Muutti pois",
    )
    # Aatu's next deadline is a week overdue; Beata's is in a month.
    CaseDeadline.objects.create(
        case=paths["aatu"], kind="interim_review", due_on=TODAY - dt.timedelta(days=7)
    )
    CaseDeadline.objects.create(
        case=paths["beata"], kind="interim_review", due_on=TODAY + dt.timedelta(days=30)
    )
    return people, paths


def _names(response) -> list[str]:
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    import re

    return re.findall(r'<th scope="row"><a href="/asiakkaat/[^"]+/">([^<]+)</a>', body)


@pytest.mark.django_db
def test_my_clients_are_every_open_path_i_coordinate_deputise_or_am_in_the_team_of(
    client, aino, caseload
):
    # The page names the signed-in person; a random surname must not be a client's.
    aino.user.last_name = "Koordinaattori"
    aino.user.save(update_fields=["last_name"])
    login(client, aino)
    response = client.get(URL, {"jarjestys": "nimi"})
    assert response.status_code == 200
    assert _names(response) == [
        "Aaltonen, Aatu",
        "Bergman, Beata",
        "Ciesla, Cecilia",
        "Dahl, Daavid",
    ]
    html = response.content.decode()
    assert "4 palvelupolkua" in html
    assert "Eskola" not in html
    assert "Forsman" not in html


@pytest.mark.django_db
def test_a_name_the_gatekeeper_does_not_show_is_not_listed_or_logged(
    client, aino, county, caseload
):
    from tyollisyystalo.consents.models import Consent

    people, _paths = caseload
    Consent.objects.filter(client=people["daavid"]).update(
        withdrawn_at=timezone.now(), withdrawal_method="oral"
    )
    login(client, aino)
    before = AccessLogEntry.objects.filter(object_type="caseload").count()
    html = client.get(URL, {"rooli": "tiimi"}).content.decode()
    assert "Dahl" not in html
    # The county's path is its plan data, no longer disclosed: not even a blank row.
    assert "(nimi ei näytettävissä)" not in html
    assert f"/asiakkaat/{people['daavid'].id}/" not in html
    assert f"/polut/{_paths['daavid'].id}/" not in html  # nor anything of the path
    assert AccessLogEntry.objects.filter(object_type="caseload").count() == before


@pytest.mark.django_db
def test_filters_sorting_and_what_a_row_says(client, aino, caseload):
    people, paths = caseload
    login(client, aino)
    assert _names(client.get(URL, {"rooli": "vara"})) == ["Ciesla, Cecilia"]
    assert _names(client.get(URL, {"rooli": "tiimi"})) == ["Dahl, Daavid"]
    assert _names(client.get(URL, {"myohassa": "on"})) == ["Aaltonen, Aatu"]
    assert _names(client.get(URL, {"tila": "referred"})) == ["Bergman, Beata"]
    assert _names(client.get(URL, {"tila": "intake", "jarjestys": "nimi"})) == [
        "Aaltonen, Aatu",
        "Ciesla, Cecilia",
        "Dahl, Daavid",
    ]
    # The default order: the nearest deadline first (Aatu's, a week overdue).
    assert _names(client.get(URL))[0] == "Aaltonen, Aatu"
    assert _names(client.get(URL, {"jarjestys": "ohjattu"}))[-1] == "Aaltonen, Aatu"
    html = client.get(URL, {"rooli": "vastuu", "jarjestys": "nimi"}).content.decode()
    at = html.index("Aaltonen, Aatu")
    aatu = html[html.rfind("<tr>", 0, at) : html.index("</tr>", at)]
    week_ago = TODAY - dt.timedelta(days=7)
    assert f"{week_ago.day}.{week_ago.month}.{week_ago.year}" in aatu
    assert "myöhässä" in aatu
    assert "vastuuhenkilö" in aatu
    assert "Ei suunnitelmaa" in aatu
    assert f'href="/polut/{paths["aatu"].id}/"' in aatu
    assert f'href="/asiakkaat/{people["aatu"].id}/"' in aatu


@pytest.mark.django_db
def test_every_name_listed_is_logged_as_read_and_a_bad_filter_is_400(client, aino, caseload):
    login(client, aino)
    before = AccessLogEntry.objects.filter(object_type="caseload").count()
    client.get(URL)
    listed = AccessLogEntry.objects.filter(object_type="caseload").count() - before
    assert listed == 4
    response = client.get(URL, {"tila": "closed"})
    assert response.status_code == 400
    assert "Valitse oikea vaihtoehto" in response.content.decode()


@pytest.mark.django_db
def test_the_export_lists_every_row_and_logs_each(client, aino, caseload):
    login(client, aino)
    before = AccessLogEntry.objects.filter(object_type="caseload").count()
    response = client.get(URL, {"jarjestys": "nimi", "muoto": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Asiakas", "Roolisi", "Tila"]
    assert [r[0] for r in rows[1:]] == [
        "Aaltonen, Aatu",
        "Bergman, Beata",
        "Ciesla, Cecilia",
        "Dahl, Daavid",
    ]
    assert AccessLogEntry.objects.filter(object_type="caseload").count() - before == 4
    book = load_workbook(io.BytesIO(client.get(URL, {"muoto": "xlsx"}).content))
    sheet = book.active
    assert sheet is not None
    assert sheet.max_row == 5


@pytest.mark.django_db
def test_roles_without_client_work_get_403_and_nothing_is_logged(client, mikko, caseload):
    login(client, mikko)
    before = AccessLogEntry.objects.filter(object_type="caseload").count()
    assert client.get(URL).status_code == 403
    assert AccessLogEntry.objects.filter(object_type="caseload").count() == before


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_caseload(client, aino, employment):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        open_path(aino, make_client(organisation=employment, name=("Eka", f"Asiakas{n}")))
    login(client, aino)
    few = queries()
    for n in range(60):
        open_path(aino, make_client(organisation=employment, name=("Toka", f"Asiakas{n}")))
    assert queries() == few
    assert reverse("cases:caseload") == URL


@pytest.mark.django_db
def test_login_lands_on_my_clients_or_on_the_worklist_by_choice(client, aino, settings):
    from conftest import current_code, totp_device

    settings.AXES_ENABLED = False
    aino.user.set_password("oikea-salasana-123")
    aino.user.save()
    device = totp_device(aino.user)

    def log_in() -> str:
        client.post(reverse("staff:logout"))
        device.refresh_from_db()
        device.last_t = -1
        device.save()
        response = client.post(
            "/kirjaudu/",
            {
                "username": aino.user.username,
                "password": "oikea-salasana-123",
                "otp_token": current_code(device),
            },
        )
        assert response.status_code == 302
        return response["Location"]

    assert log_in() == URL
    assert client.post(reverse("staff:start_view_set"), {"start_view": "nope"}).status_code == 400
    aino.refresh_from_db()
    assert aino.start_view == "caseload"
    response = client.post(reverse("staff:start_view_set"), {"start_view": "worklist"})
    assert response.status_code == 302
    assert log_in() == reverse("cases:worklist")


# The order in plain SQL against the same rules read again with the ORM -------------------------


def _oracle(staff, f, today) -> list:
    """The caseload's rules written with the ORM, apart from the SQL under test."""
    from django.db.models import F, Min, OuterRef, Q, Subquery

    from tyollisyystalo.cases.models import OPEN, Case
    from tyollisyystalo.clients.models import ClientIdentity, TeamMembership

    team = TeamMembership.objects.filter(
        staff_member=staff, started_at__isnull=False, ended_at__isnull=True
    ).values("client_id")
    roles = {
        "vastuu": Q(coordinator=staff),
        "vara": Q(deputy=staff),
        "tiimi": Q(client_id__in=team) & ~Q(coordinator=staff) & ~Q(deputy=staff),
    }
    mine = roles.get(f.role) or (roles["vastuu"] | roles["vara"] | roles["tiimi"])
    paths = Case.objects.filter(mine, status__in=OPEN).annotate(
        next_due=Subquery(
            CaseDeadline.objects.filter(
                case=OuterRef("pk"), done_on__isnull=True, cancelled_at__isnull=True
            )
            .order_by()
            .values("case")
            .annotate(first=Min("due_on"))
            .values("first")
        ),
        sort_name=Subquery(
            ClientIdentity.objects.filter(client=OuterRef("client_id")).values("search_name")[:1]
        ),
    )
    if f.status:
        paths = paths.filter(status=f.status)
    if f.municipality:
        paths = paths.filter(client__identity__municipality__code=f.municipality)
    if f.overdue:
        paths = paths.filter(next_due__lt=today)
    orders = {
        "seuraava": ("next_due", "referred_on"),
        "nimi": ("sort_name", "referred_on"),
        "tila": ("status", "next_due"),
        "ohjattu": ("-referred_on",),
    }
    ordering = [
        F(k.lstrip("-")).desc(nulls_last=True) if k.startswith("-") else F(k).asc(nulls_last=True)
        for k in orders[f.sort]
    ]
    return list(paths.order_by(*ordering, "id").values_list("id", flat=True))


@pytest.mark.django_db
def test_the_sql_order_and_filters_agree_with_the_rules_read_with_the_orm(employment, aino):
    import random

    from tyollisyystalo.cases.caseload import PAGE, CaseloadFilter, caseload_ordered
    from tyollisyystalo.organisations.models import Municipality

    rng = random.Random(16)
    here = Municipality.objects.create(code="X01", name_fi="Esimerkkilä")
    there = Municipality.objects.create(code="X02", name_fi="Pohjala")
    other = StaffFactory.create(organisation=employment, role=Role.COORDINATOR)
    for n in range(PAGE + 9):
        person = make_client(organisation=employment, name=(f"Etu{n}", f"Suku{rng.randint(0, 9)}"))
        person.identity.municipality = rng.choice([here, there, None])
        person.identity.save()
        coordinator = aino if n % 3 else other
        path = open_path(coordinator, person, started_days_ago=rng.choice([None, 5, 40, 120]))
        if n % 3 == 0 and rng.random() < 0.5:
            path.deputy = aino
            path.save(update_fields=["deputy"])
        elif n % 3 == 0:
            add_to_team(person, aino)
        if rng.random() < 0.4:
            CaseDeadline.objects.create(
                case=path,
                kind="interim_review",
                due_on=TODAY + dt.timedelta(days=rng.randint(-20, 20)),
            )
    filters = [
        CaseloadFilter(role=role, status=status, municipality=code, overdue=overdue, sort=sort)
        for role in ("", "vastuu", "vara", "tiimi")
        for status in ("", "intake")
        for code in ("", "X02")
        for overdue in (False, True)
        for sort in ("seuraava", "nimi", "tila", "ohjattu")
    ]
    for f in filters:
        expected = _oracle(aino, f, TODAY)
        got = caseload_ordered(aino, f, TODAY)
        assert [pk for pk, _client, _total in got] == expected, f
        assert all(total == len(expected) for _pk, _client, total in got)
        page_two = caseload_ordered(aino, f, TODAY, limit=PAGE, offset=PAGE)
        assert [pk for pk, _c, _t in page_two] == expected[PAGE : 2 * PAGE], f


@pytest.mark.django_db
def test_another_organisations_path_shows_nothing_without_a_basis_for_its_plans(
    client, sari, aino, county
):
    # Sari is the county's client too and Aino is in her team, but no consent discloses the
    # county's plan data: the county's path is its plan data (R3), so its row says nothing.
    social_worker = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    add_to_team(sari, social_worker)
    county_path = open_path(social_worker, sari)
    CaseDeadline.objects.create(
        case=county_path, kind="interim_review", due_on=TODAY - dt.timedelta(days=3)
    )
    login(client, aino)
    page = client.get(URL, {"rooli": "tiimi"})
    assert f"/polut/{county_path.id}/" not in page.content.decode()
    assert page.context["caseload"].rows == []
    export = client.get(URL, {"rooli": "tiimi", "muoto": "csv"}).content.decode()
    assert "Alkukartoitus" not in export
    # Nor does a filter, an order or a total say anything of it: the path is not in the list.
    for query in ({"myohassa": "on"}, {"tila": "intake"}, {"jarjestys": "tila"}, {}):
        page = client.get(URL, query)
        assert page.context["caseload"].total == 0, query
        assert page.context["caseload"].rows == [], query
    export = client.get(URL, {"myohassa": "on", "muoto": "csv"}).content.decode()
    assert len(export.strip().splitlines()) == 1  # the headings only


@pytest.mark.django_db
def test_a_client_whose_identity_is_not_shown_is_not_found_by_municipality_or_name_order(
    client, aino, employment, county
):
    """Filtering by municipality or ordering by name reads the identity: a path of a client the
    reader is not shown is left out of those lists, not listed blank in its place. Here the
    client is now only the county's, with no consent to show anything to employment services
    (R3): aino's organisation's path remains, her name does not."""
    from tyollisyystalo.clients.models import ClientIdentity, ClientRelationship
    from tyollisyystalo.organisations.models import Municipality

    person = make_client(organisation=employment, name=("Ulla", "Ulkona"))
    open_path(aino, person)
    helsinki, _new = Municipality.objects.get_or_create(
        code="091", defaults={"name_fi": "Helsinki"}
    )
    employment.municipalities.add(helsinki)
    ClientIdentity.objects.filter(client=person).update(municipality=helsinki)
    ClientRelationship.objects.filter(client=person).delete()
    ClientRelationship.objects.create(client=person, organisation=county, started_on=TODAY)
    login(client, aino)
    assert client.get(URL).context["caseload"].total == 1  # listed blank where nothing is read
    for query in ({"jarjestys": "nimi"}, {"kunta": "091"}, {"kunta": "091", "muoto": "csv"}):
        page = client.get(URL, query)
        if query.get("muoto"):
            assert len(page.content.decode().strip().splitlines()) == 1
            continue
        assert page.context["caseload"].total == 0, query
        assert "Ulkona" not in page.content.decode()


@pytest.mark.django_db
def test_the_rows_are_those_with_every_hidden_path_decided_first(aino, county, caseload):
    """``_visible`` decides another organisation's paths only when the rows have some: its rows
    and totals are those of the order read without every path ``_hidden_paths`` leaves out,
    for every filter and page, with a foreign path shown (Daavid's, by consent) and one hidden
    (Gunnar's: the county's plans are not disclosed)."""
    from tyollisyystalo.cases.caseload import (
        CaseloadFilter,
        _hidden_paths,
        _visible,
        caseload_ordered,
    )

    social_worker = StaffFactory.create(organisation=county, role=Role.SOCIAL_WORKER)
    gunnar = make_client(organisation=county, name=("Gunnar", "Grahn"))
    add_to_team(gunnar, social_worker)
    hidden_path = open_path(social_worker, gunnar)
    add_to_team(gunnar, aino)
    at = timezone.now()
    seen_hidden = False
    for f in [
        CaseloadFilter(role=role, status=status, overdue=overdue, sort=sort)
        for role in ("", "vastuu", "tiimi")
        for status in ("", "intake")
        for overdue in (False, True)
        for sort in ("seuraava", "nimi", "tila")
    ]:
        hidden = _hidden_paths(aino, f, at)
        seen_hidden |= hidden_path.id in hidden
        for limit, offset in ((None, 0), (2, 0), (2, 2), (2, 40)):
            expected = caseload_ordered(aino, f, TODAY, limit=limit, offset=offset, hidden=hidden)
            assert _visible(aino, f, TODAY, at, limit=limit, offset=offset) == expected, f
    assert seen_hidden
