"""Pure rules of the register."""

from __future__ import annotations

import datetime as dt

from stdnum import exceptions as stdnum_errors
from stdnum.fi import ytunnus

from tyollisyystalo.rules.calendar import add_months


class InvalidBusinessId(ValueError):
    pass


def business_id_normalise(value: str) -> str:
    """A Y-tunnus in its standard form ``1234567-8``; empty stays empty.

    Raises ``InvalidBusinessId`` for a wrong length, letters or a wrong check digit.
    """
    value = value.strip()
    if not value:
        return ""
    if len(value) == 8 and value.isdigit():
        value = f"{value[:7]}-{value[7]}"
    try:
        return str(ytunnus.format(ytunnus.validate(value)))
    except stdnum_errors.ValidationError as exc:
        raise InvalidBusinessId(str(exc)) from exc


def business_id_complete(first_seven: str) -> str | None:
    """A valid Y-tunnus for a seven-digit body, or None when no check digit fits (remainder 1);
    for synthetic demo data."""
    for digit in "0123456789":
        candidate = f"{first_seven}-{digit}"
        if ytunnus.is_valid(candidate):
            return candidate
    return None


# ADR 0023 decision 8: a contact person's personal data are kept three years after the last
# contact with their employer (or after they were added, if never contacted), then erased.
CONTACT_PERSON_YEARS = 3


def contact_person_erase_after(last_activity: dt.date) -> dt.date:
    """The first day on which a contact person last active on ``last_activity`` is erased
    (29 February counts to 28 February, as the retention table's periods do)."""
    return add_months(last_activity, CONTACT_PERSON_YEARS * 12) + dt.timedelta(days=1)
