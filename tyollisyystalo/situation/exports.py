"""CSV and XLSX of exactly what the situation picture shows: the same tables, the same hidden
cells ("< 5"), the same texts. Built from ``tables.Picture`` only, never from raw figures."""

from __future__ import annotations

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tyollisyystalo.management.disclosure import MIN_COUNT, Figure
from tyollisyystalo.situation.tables import Picture, Table


def _tables(picture: Picture) -> tuple[Table, ...]:
    return (picture.headline, picture.comparison, *picture.tables)


def _about(picture: Picture) -> list[list[str]]:
    return [
        [_("Tilannekuva"), picture.scope_name],
        [_("Jakso"), picture.period_label],
        [_("Edellinen jakso"), picture.previous_label],
        [
            _("Pienet luvut"),
            _("Alle %(n)s henkilön määrät näytetään muodossa ”< %(n)s”.") % {"n": MIN_COUNT},
        ],
    ]


def picture_csv(picture: Picture) -> str:
    """One CSV file: a short heading, then each table with its title, headings and rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_about(picture))
    for table in _tables(picture):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([table.row_heading, *table.headings])
        for row in table.all_rows:
            writer.writerow([row.label, *(str(cell) for cell in row.cells)])
    return "\ufeff" + out.getvalue()  # a byte-order mark: spreadsheet programs read UTF-8


def _cell(figure: Figure) -> str | int | float:
    """Numbers as numbers; a hidden or missing figure as the text the page shows."""
    if figure.suppressed or figure.value is None:
        return str(figure)
    return figure.value


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title)[:28].strip()
    name, n = base, 2
    while name in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name)
    return name


def picture_xlsx(picture: Picture) -> bytes:
    """A workbook: the heading on the first sheet, one sheet per table."""
    workbook = Workbook()
    about = workbook.active
    assert about is not None
    used = {_("Tiedot")}
    about.title = _("Tiedot")
    for line in _about(picture):
        about.append(line)
    for table in _tables(picture):
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([table.title])
        sheet.append([table.row_heading, *table.headings])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.all_rows:
            sheet.append([row.label, *(_cell(figure) for figure in row.cells)])
            for figure, cell in zip(row.cells, sheet[sheet.max_row][1:], strict=True):
                if isinstance(cell.value, float):
                    cell.number_format = "0.0" if figure.decimals else "0"
        sheet.column_dimensions["A"].width = 48
    body = io.BytesIO()
    workbook.save(body)
    return body.getvalue()
