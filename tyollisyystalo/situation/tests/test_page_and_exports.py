"""Mikko's situation picture of the first quarter of 2026, worked out by hand, and its CSV and
XLSX holding exactly the page's cells."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client as HttpClient
from openpyxl import load_workbook

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.situation.tests.builders import Q1, URL, H, X, table_cells


@pytest.mark.django_db
def test_headline_and_entry_routes_with_secondary_suppression(
    client: HttpClient, mikko, quarter
) -> None:
    login(client, mikko)
    before = AccessLogEntry.objects.count()
    response = client.get(f"{URL}?{Q1}")
    assert response.status_code == 200
    html = response.content.decode()
    # Columns: Aalto, Beeta, other or unknown, total.
    # In service in Q1: Aalto a1, a2–a7, a9 = 8; Beeta 3; other c1, o1 = 2; total 13.
    # New: Aalto a2–a7 + a9 = 7; Beeta 3; other 2; total 12. Closed: Aalto a9 = 1.
    # Open at the end: Aalto a1 + a2–a7 = 7; Beeta 3; other 2; total 12.
    # The entry-route table (new paths), before protection:
    #   employment services  0 3 1 | 4      social/health  1 0 0 | 1
    #   self                 6 0 0 | 6      portal         0 0 1 | 1
    #   total                7 3 2 | 12
    # Primary: every 1–4. Column Aalto then has one hidden part (social/health 1) beside its
    # shown total 7, so the smallest other part above zero is hidden too: self/Aalto 6 ("x").
    # Row "self" then has one hidden part beside its total 6 and no other part above zero: the
    # first of its zeros, self/Beeta, is hidden ("x"). Now no line has a single hidden figure.
    routes = table_cells(html, "entry_route")
    assert routes["employment_services"] == ["0", H, H, H]
    assert routes["social_health"] == [H, "0", "0", H]
    assert routes["self"] == [X, X, "0", "6"]
    assert routes["portal"] == ["0", "0", H, H]
    assert routes["total"] == ["7", H, H, "12"]
    headline = table_cells(html, "headline")
    assert headline["new"] == routes["total"]
    # Clients by age group at 31.3.2026: a1 35 (35–44), a2–a7 26 (25–34), a9 65 (65 or over);
    # Beeta 41 (35–44); c1 30 (25–34), o1 unknown. Totals: 8, 3, 2 | 13.
    assert headline["clients"] == ["8", H, H, "13"]
    # Closed: 1 0 0 | 1 — both hidden; the row of the outcome "job or study" likewise.
    assert headline["closed"] == [H, "0", "0", H]
    # Open at the end by status: referred 6 0 2 | 8, intake 0 3 0 | 3, active 1 0 0 | 1,
    # total 7 3 2 | 12. Row "referred" has one hidden part (2) beside its total 8: its only
    # other part above zero, Aalto's 6, is hidden as well ("x").
    statuses = table_cells(html, "status_at_end")
    assert statuses["referred"] == [X, "0", H, "8"]
    assert statuses["intake"] == ["0", H, "0", H]
    assert statuses["active"] == [H, "0", "0", H]
    assert headline["open"] == ["7", H, H, "12"]
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_csv_and_xlsx_hold_exactly_the_page(client: HttpClient, mikko, quarter) -> None:
    login(client, mikko)
    html = client.get(f"{URL}?{Q1}").content.decode()
    page_tables = {
        key: table_cells(html, key) for key in re.findall(r'<table id="table-([a-z_]+)"', html)
    }
    response = client.get(f"{URL}tilannekuva.csv?{Q1}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "2026-Q1" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    csv_rows = [line for line in lines if len(line) > 2]
    page_rows = [cells for table in page_tables.values() for cells in table.values()]
    # Every table row on the page is a CSV row with the same cells, in the same order.
    assert [row[1:] for row in csv_rows if row[0] not in _headings(lines)] == page_rows

    response = client.get(f"{URL}tilannekuva.xlsx?{Q1}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    xlsx_rows = []
    for sheet in workbook.worksheets[1:]:
        for row in list(sheet.iter_rows(min_row=3, values_only=True)):
            xlsx_rows.append([_as_page(value) for value in row[1:]])
    assert xlsx_rows == page_rows


def _headings(lines: list[list[str]]) -> set[str]:
    """The first cell of each table's heading row (the line after its title)."""
    return {lines[i + 1][0] for i, line in enumerate(lines[:-1]) if len(line) == 1 and line[0]}


def _as_page(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if value % 1 else str(int(value))
    return str(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "row", "period"),
    [
        ("sv", "Lägesbild", "Klienter i service under perioden", "Kvartal 1 2026"),
        ("en", "Situation picture", "Clients in service during the period", "Quarter 1 2026"),
    ],
)
def test_page_and_csv_in_swedish_and_english(
    client: HttpClient, settings, mikko, quarter, language: str, heading: str, row: str, period: str
) -> None:
    login(client, mikko)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"{URL}?{Q1}").content.decode()
    assert f'lang="{language}"' in html
    assert heading in html
    assert table_cells(html, "headline")["clients"] == ["8", H, H, "13"]
    body = client.get(f"{URL}tilannekuva.csv?{Q1}").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert [row, "8", H, H, "13"] in lines
    assert period in body
