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
def test_quarter_worked_by_hand_with_secondary_suppression(
    client: HttpClient, mikko, quarter
) -> None:
    login(client, mikko)
    before = AccessLogEntry.objects.count()
    response = client.get(f"{URL}?{Q1}")
    assert response.status_code == 200
    html = response.content.decode()
    # Columns: Aalto (A), Beeta (B), other or unknown (O), total (T). Before protection:
    # paths in service by state   A  B  O | T      by age (at 31.3.)      A  B  O | T
    #   referred at the end       6  0  2 | 8        25–34 (a2–a7, c1)    6  0  1 | 7
    #   intake                    0  3  0 | 3        35–44 (a1, b1–b3)    1  3  0 | 4
    #   active                    1  0  0 | 1        65 or over (a9)      1  0  0 | 1
    #   open (subtotal)           7  3  2 | 12       unknown (o1)         0  0  1 | 1
    #   closed (a9, in a job)     1  0  0 | 1
    #   in service                8  3  2 | 13
    # new paths by entry route: employment services 0 3 1 | 4, social/health 1 0 0 | 1,
    # self 6 0 0 | 6, portal 0 0 1 | 1; new 7 3 2 | 12. The quarter before: in service 2
    # (a1, a8), open at its end 1 (a1), closed 1 (a8), new 2.
    # Primary: every 1–4 is "< 5". Secondary, line by line in the order they are built:
    # - row "referred": only O's 2 hidden beside the shown total 8 → A's 6 hidden ("x");
    # - column A, open + closed = 8: only closed 1 hidden → open 7 hidden; likewise the
    #   total column: open 12 hidden beside closed 1 < 5 and 13 shown;
    # - age row 25–34: only O's 1 hidden beside 7 → A's 6 hidden;
    # - route column A: only social/health 1 hidden beside new 7 → self 6 hidden;
    # - across quarters, in service 13 = open at the previous end 1 + new 12: only the 1 is
    #   hidden → new 12 hidden ("x");
    # - then row "self" (A hidden, B 0, O 0, total 6) has one hidden figure: its first zero,
    #   B's, is hidden ("x"). No line is left with a single hidden figure.
    state = table_cells(html, "state")
    assert state["referred"] == [X, "0", H, "8"]
    assert state["intake"] == ["0", H, "0", H]
    assert state["active"] == [H, "0", "0", H]
    assert state["open"] == [X, H, H, X]
    assert state["closed"] == [H, "0", "0", H]
    assert state["total"] == ["8", H, H, "13"]
    ages = table_cells(html, "age_group")
    assert ages["25_34"] == [X, "0", H, "7"]
    assert ages["35_44"] == [H, H, "0", H]
    assert ages["total"] == state["total"]
    routes = table_cells(html, "entry_route")
    assert routes["employment_services"] == ["0", H, H, H]
    assert routes["social_health"] == [H, "0", "0", H]
    assert routes["self"] == [X, X, "0", "6"]
    assert routes["portal"] == ["0", "0", H, H]
    assert routes["total"] == ["7", H, H, X]
    outcomes = table_cells(html, "outcome")
    assert outcomes["job_or_study"] == [H, "0", "0", H]
    assert outcomes["total"] == state["closed"]
    # The headline is the same cells.
    headline = table_cells(html, "headline")
    assert headline["in_service"] == ["8", H, H, "13"]
    assert headline["new"] == routes["total"]
    assert headline["closed"] == state["closed"]
    assert headline["open"] == state["open"]
    # The comparison: this quarter and the one before (2, 2, 1, 1 all hidden); the share in
    # work or study hidden with its closed paths; the median days to the first meeting of the
    # five paths that met in Q1: a9 10, b1–b3 20, a1 26 → 20 (the quarter before: one path).
    comparison = table_cells(html, "comparison")
    assert comparison["in_service"][:3] == ["13", H, "–"]
    assert comparison["new"][:3] == [X, H, "–"]
    assert comparison["closed"][:2] == [H, H]
    assert comparison["open"][:2] == [X, H]
    assert comparison["placed_share"][:2] == [X, X]
    assert comparison["median_to_first_meeting"][:2] == ["20", X]
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
        ("sv", "Lägesbild", "Servicestigar i service under perioden", "Kvartal 1 2026"),
        ("en", "Situation picture", "Service paths in service during the period", "Quarter 1 2026"),
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
    assert table_cells(html, "headline")["in_service"] == ["8", H, H, "13"]
    body = client.get(f"{URL}tilannekuva.csv?{Q1}").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert [row, "8", H, H, "13"] in lines
    assert period in body
