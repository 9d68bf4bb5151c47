"""Spreadsheet exports: a table as an XLSX workbook (openpyxl), headings in bold."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_table(
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    first_width: int = 32,
) -> bytes:
    """One sheet: the headings in bold, then the rows as given."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = first_width
    body = io.BytesIO()
    workbook.save(body)
    return body.getvalue()
