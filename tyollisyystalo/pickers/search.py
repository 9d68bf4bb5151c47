"""Narrowing a picker's offerable rows by what the user typed.

Services are ranked by the catalogue's own Finnish-aware search (base forms, compound parts,
synonyms, typos: ``catalogue.search``); names of organisations and people are matched
without regard to case or accents, every typed word at the start of a word first, then
anywhere. Both keep only rows of the queryset given, which is the form field's own.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.search.query import catalogue_search_ids

M = TypeVar("M", bound=Model)

MAX_QUERY = 100
# The catalogue has a few hundred services; every ranked id is asked for, then the form's own
# queryset keeps the offerable ones.
RANKED_IDS = 2_000
MAX_NAME_ROWS = 5_000


def folded(text: str) -> str:
    """Lower case without accents: "Åke Ärlä" → "ake arla" (ä and ö too, as users type them
    both ways on foreign keyboards)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def services_matching(
    services: QuerySet[Service], q: str, *, language: str = "fi", limit: int
) -> list[Service]:
    """The services of ``services`` that the catalogue search finds for ``q``, best first."""
    q = q.strip()[:MAX_QUERY]
    if not q:
        return list(services.order_by("name_fi")[:limit])
    ranked = catalogue_search_ids(q=q, language=language, limit=RANKED_IDS)
    wanted = set(services.filter(pk__in=ranked).values_list("pk", flat=True))
    order = [pk for pk in ranked if pk in wanted][:limit]
    by_id: dict[uuid.UUID, Service] = services.in_bulk(order)
    return [by_id[pk] for pk in order]


def names_matching(rows: QuerySet[M], q: str, *, name: Callable[[M], str], limit: int) -> list[M]:
    """Rows whose name has every typed word: word starts first, then the rest, by name.

    The comparison is done here, in Python, on folded text, so "ake" finds "Åke" on SQLite
    and PostgreSQL alike; the queryset is bounded (``MAX_NAME_ROWS``)."""
    words = folded(q).split()[:5]
    candidates: Iterable[M] = rows[:MAX_NAME_ROWS]
    starts: list[tuple[str, M]] = []
    contains: list[tuple[str, M]] = []
    for row in candidates:
        text = name(row)
        key = folded(text)
        parts = key.replace("-", " ").split()
        if not all(w in key for w in words):
            continue
        at_start = all(any(p.startswith(w) for p in parts) for w in words)
        (starts if at_start else contains).append((key, row))
    ordered = sorted(starts, key=lambda r: r[0]) + sorted(contains, key=lambda r: r[0])
    return [row for _key, row in ordered[:limit]]
