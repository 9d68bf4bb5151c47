"""The service path's status machine: referred → intake → active → closed. Pure, no Django ORM.

Every change is one of the legal transitions below; anything else is refused with a message
that says what is possible from the current status.
"""

from __future__ import annotations

from enum import StrEnum

from tyollisyystalo.rules.texts import gettext_noop


class Status(StrEnum):
    REFERRED = "referred"
    INTAKE = "intake"
    ACTIVE = "active"
    CLOSED = "closed"


# From each status, the statuses it may move to. A closed path is never reopened: a new
# path is opened instead, so the history of the old one stays as it was.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REFERRED: frozenset({Status.INTAKE, Status.CLOSED}),
    Status.INTAKE: frozenset({Status.ACTIVE, Status.CLOSED}),
    Status.ACTIVE: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset({Status.REFERRED, Status.INTAKE, Status.ACTIVE})

MSG_ILLEGAL = gettext_noop("Palvelupolku ei voi siirtyä tilasta ”{current}” tilaan ”{target}”.")
MSG_CLOSED = gettext_noop(
    "Päättynyttä palvelupolkua ei voi avata uudelleen. Avaa uusi palvelupolku."
)


class IllegalTransition(ValueError):
    def __init__(self, current: Status, target: Status) -> None:
        super().__init__(current, target)
        self.current = current
        self.target = target
        self.message = MSG_CLOSED if current == Status.CLOSED else MSG_ILLEGAL


def transition_check(current: str, target: str) -> Status:
    """The target status when the move is legal; ``IllegalTransition`` otherwise."""
    source, goal = Status(current), Status(target)
    if goal not in TRANSITIONS[source]:
        raise IllegalTransition(source, goal)
    return goal


def next_statuses(current: str) -> list[Status]:
    order = list(Status)
    return sorted(TRANSITIONS[Status(current)], key=order.index)
