"""The registry of client-card sections.

A record app offers its part of the card as a function ``section(access) -> Section | None``
in its ``sections.py``, registered with ``@card_section``. The card (the ``casefile`` app, at
the top of the import graph) discovers these modules, decides access once and calls every
section with the same ``ClientAccess``; no record app imports another to be drawn. A section
returns what it read (``reads``), and the card logs all of them with one append.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tyollisyystalo.access.client_access import ClientAccess
from tyollisyystalo.access.log import Read
from tyollisyystalo.shared.registry import OrderedRegistry


@dataclass(frozen=True)
class Section:
    """One part of the card: a template and its context, and what was read to draw it.

    ``data`` is the part's contribution to the API card (plain values).
    ``more_exists``: the client has data of this kind the reader may not see.
    ``facts`` and ``todo`` are the part's lines in the card's summary, drawn only from what the
    part read: (label, value, link) and (what needs doing, where it is done).
    """

    key: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    reads: tuple[Read, ...] = ()
    more_exists: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)
    facts: tuple[tuple[str, str, str], ...] = ()
    todo: tuple[tuple[str, str], ...] = ()


SectionFunction = Callable[[ClientAccess], Section | None]

_REGISTRY: OrderedRegistry[SectionFunction] = OrderedRegistry()


def card_section(key: str, *, order: int) -> Callable[[SectionFunction], SectionFunction]:
    """Register a card section under ``key``; sections are drawn in ``order``."""
    return _REGISTRY.register(key, order=order)


def card_sections() -> list[tuple[str, SectionFunction]]:
    return _REGISTRY.ordered()


def card_section_function(key: str) -> SectionFunction | None:
    return dict(_REGISTRY.ordered()).get(key)
