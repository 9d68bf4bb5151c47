"""Reading an employer spreadsheet exported as CSV: pure parsing and per-row validation.

Columns, in this order, the first row a header: name, Y-tunnus, sector code (TOL 2008 letter),
municipality (code or name), size, contact person, phone, e-mail, last contact date
(d.m.yyyy or yyyy-mm-dd), notes. Separator ``;`` or ``,``; UTF-8 with or without BOM.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tyollisyystalo.employers.models import Sector, Size
from tyollisyystalo.employers.rules import InvalidBusinessId, business_id_normalise

COLUMNS = 10
SIZES = {
    "": "",
    "micro": Size.MICRO,
    "alle 10": Size.MICRO,
    "small": Size.SMALL,
    "10-49": Size.SMALL,
    "medium": Size.MEDIUM,
    "50-249": Size.MEDIUM,
    "large": Size.LARGE,
    "250+": Size.LARGE,
}


@dataclass
class ImportRow:
    line: int
    name: str
    business_id: str
    sector: str
    municipality_code: str
    size: str
    person_name: str
    phone: str
    email: str
    last_contact_on: dt.date | None
    notes: str
    errors: list[str] = field(default_factory=list)


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 -- a calendar date
        except ValueError:
            continue
    raise ValueError(value)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; anything else is refused with a clear message."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("Tiedoston merkistö ei ole UTF-8. Tallenna se UTF-8-muodossa.")
        ) from exc


def rows_parse(
    text: str,
    *,
    municipalities: Mapping[str, str],
    taken_business_ids: set[str],
) -> list[ImportRow]:
    """Parse and validate every row; ``municipalities`` maps lower-case codes and names to codes.

    Rows with errors carry them; nothing is written here.
    """
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for index, cells in enumerate(reader):
        if index == 0 or not any(cell.strip() for cell in cells):
            continue  # the header, or an empty line
        line = index + 1
        errors: list[str] = []
        if len(cells) != COLUMNS:
            rows.append(
                ImportRow(
                    line,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    None,
                    "",
                    [
                        _("Rivillä on %(n)s saraketta, odotettiin %(expected)s.")
                        % {"n": len(cells), "expected": COLUMNS}
                    ],
                )
            )
            continue
        name, business_id, sector, municipality, size, person, phone, email, last, notes = (
            cell.strip() for cell in cells
        )
        if not name:
            errors.append(_("Nimi puuttuu."))
        try:
            business_id = business_id_normalise(business_id)
        except InvalidBusinessId:
            errors.append(_("Y-tunnus %(value)s ei kelpaa.") % {"value": business_id})
        if business_id:
            if business_id in taken_business_ids:
                errors.append(_("Y-tunnus %(value)s on jo rekisterissä.") % {"value": business_id})
            elif business_id in seen:
                errors.append(
                    _("Y-tunnus %(value)s on myös rivillä %(line)s.")
                    % {"value": business_id, "line": seen[business_id]}
                )
            else:
                seen[business_id] = line
        sector = sector.upper() or Sector.X
        if sector not in Sector.values:
            errors.append(_("Toimialakoodi %(value)s ei kelpaa (A–U tai X).") % {"value": sector})
        municipality_code = ""
        if municipality:
            municipality_code = municipalities.get(municipality.casefold(), "")
            if not municipality_code:
                errors.append(_("Kuntaa %(value)s ei löytynyt.") % {"value": municipality})
        size_value = SIZES.get(size.casefold().replace("–", "-").replace(" ", " "))
        if size_value is None:
            errors.append(_("Koko %(value)s ei kelpaa.") % {"value": size})
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("Sähköpostiosoite %(value)s ei kelpaa.") % {"value": email})
        try:
            last_contact_on = _date(last)
        except ValueError:
            last_contact_on = None
            errors.append(_("Päivämäärä %(value)s ei kelpaa (p.k.vvvv).") % {"value": last})
        if (phone or email) and not person:
            errors.append(_("Puhelin tai sähköposti ilman yhteyshenkilön nimeä."))
        rows.append(
            ImportRow(
                line,
                name,
                business_id,
                sector,
                municipality_code,
                size_value or "",
                person,
                phone,
                email,
                last_contact_on,
                notes,
                errors,
            )
        )
    if not rows:
        rows.append(
            ImportRow(
                1, "", "", "", "", "", "", "", "", None, "", [_("Tiedostossa ei ole rivejä.")]
            )
        )
    return rows
