"""Who takes part in a thread and who must hear of a new message; pure functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    staff_id: int
    organisation_id: int
    away_until: dt.date | None


def deputy_to_add(
    members: Iterable[Member],
    *,
    deputy_id: int | None,
    deputy_organisation_id: int | None,
    thread_organisation_id: int,
    today: dt.date,
) -> int | None:
    """The path's deputy, when someone in the thread is away today and the deputy is not in it
    yet and works in the thread's organisation (whose notes the thread is)."""
    members = list(members)
    someone_away = any(m.away_until is not None and today <= m.away_until for m in members)
    if (
        not someone_away
        or deputy_id is None
        or deputy_organisation_id != thread_organisation_id
        or any(m.staff_id == deputy_id for m in members)
    ):
        return None
    return deputy_id
