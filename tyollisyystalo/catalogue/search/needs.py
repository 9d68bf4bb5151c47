"""The need vocabulary: everyday expressions of a need and the catalogue words that meet it.

Entries come from ``data/needs.toml`` (reviewed with the code) and from ``NeedExpression`` rows
that region editors add. A query word that matches an entry's expression brings the entry's
catalogue words into its search with a lower weight than its own (``query.NEED_FACTOR``), and
the entry's areas of life and target groups as the services' classification, lower still.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tyollisyystalo.catalogue.search.analysis import (
    MIN_PART,
    Term,
    analyse,
    edit_distance,
    finnish_terms,
    words,
)

NEEDS_FILE = Path(__file__).resolve().parent.parent / "data" / "needs.toml"
# Special index terms: a service's areas of life and target groups (see index.service_terms).
AREA_PREFIX = "area:"
GROUP_PREFIX = "group:"
MIN_COMPOUND_HEAD = 5


@dataclass(frozen=True)
class Need:
    language: str
    # Each phrase is a tuple of words, each word the set of its base forms; the phrase matches
    # when every word is among the query's.
    phrases: tuple[tuple[frozenset[str], ...], ...]
    means: tuple[Term, ...]
    areas: tuple[str, ...]
    groups: tuple[str, ...]
    reason: str
    label: str
    # How much a word saying this need counts against the query's other words (an entry that
    # only tells who the person writes for counts less).
    weight: float = 1.0


def _word_bases(terms: Iterable[Term]) -> frozenset[str]:
    return frozenset(t.text for t in terms if t.kind in {"base", "word", "root"})


def expression_problem(expression: str, language: str) -> str:
    """Why an expression could not work as written ("" when it can): only filler words, or
    several words of which filler leaves one ("can't work" would match every "work")."""
    written = words(expression)
    kept = list(analyse(expression, language))
    if not kept:
        return "filler"
    if len(written) > 1 and len(kept) == 1:
        return "one word left"
    return ""


def need_build(
    *,
    language: str,
    says: Iterable[str],
    means: Iterable[str],
    areas: Iterable[str] = (),
    groups: Iterable[str] = (),
    reason: str = "",
    weight: float = 1.0,
) -> Need:
    """Analyse an entry's expressions and words as the search analyses a query."""
    phrases = []
    for expression in says:
        if expression_problem(expression, language):
            continue
        words = tuple(_word_bases(terms) for _word, terms in analyse(expression, language))
        phrases.append(words)
    meant: dict[str, Term] = {}
    for text in means:
        for _word, terms in analyse(text, language):
            for term in terms:
                meant.setdefault(term.text, term)
    says = list(says)
    return Need(
        language=language,
        phrases=tuple(phrases),
        means=tuple(meant.values()),
        areas=tuple(areas),
        groups=tuple(groups),
        reason=reason,
        label=", ".join(says[:3]),
        weight=weight,
    )


@lru_cache(maxsize=1)
def file_needs() -> tuple[Need, ...]:
    data = tomllib.loads(NEEDS_FILE.read_text(encoding="utf-8"))
    return tuple(
        need_build(
            language=entry["lang"],
            says=entry["says"],
            means=entry["means"],
            areas=entry.get("areas", ()),
            groups=entry.get("groups", ()),
            reason=entry["reason"],
            weight=float(entry.get("weight", 1.0)),
        )
        for entry in data["need"]
    )


@lru_cache(maxsize=1)
def _area_needs() -> dict[str, dict[str, str]]:
    data = tomllib.loads(NEEDS_FILE.read_text(encoding="utf-8"))
    return {code: dict(texts) for code, texts in data.get("areas", {}).items()}


def area_need(area: str, language: str) -> str:
    """What a low self-assessment score in ``area`` most often means, in the catalogue's words
    of ``language`` (empty when the file has no text for it)."""
    texts = _area_needs().get(area, {})
    return texts.get(language) or texts.get("fi", "")


class _Needs:
    """The file's entries and the editors' (``NeedExpression``), reloaded when the index
    version changes (editing an entry bumps it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: tuple[int, dict[str, tuple[Need, ...]]] | None = None

    def get(self, language: str, stamp: int) -> tuple[Need, ...]:
        cached = self._cache
        if cached is None or cached[0] != stamp:
            with self._lock:
                from tyollisyystalo.catalogue.models import NeedExpression

                everything = list(file_needs()) + [
                    need_build(
                        language=row.language,
                        says=row.says_list(),
                        means=row.means_list(),
                        areas=row.areas_list(),
                        groups=row.groups_list(),
                        reason=row.reason,
                    )
                    for row in NeedExpression.objects.filter(is_active=True)
                ]
                by_language: dict[str, tuple[Need, ...]] = {}
                for lang in {n.language for n in everything}:
                    by_language[lang] = tuple(n for n in everything if n.language == lang)
                cached = (stamp, by_language)
                self._cache = cached
        return cached[1].get(language, ())


NEEDS = _Needs()


def _is_word(rest: str, language: str) -> bool:
    """Whether what follows a compound's head is a word of its own ("kierre" in velkakierre,
    "brev" in inkassobrev; not "utsraha" in the typo kuntoutsraha)."""
    if len(rest) < MIN_PART:
        return False
    if language != "fi":
        return True
    return any(t.kind != "word" for t in finnish_terms(rest))


def typo_limit(word: str) -> int:
    """Edits allowed when a word is read as a misspelling of another (none under 5 letters)."""
    return 0 if len(word) < MIN_COMPOUND_HEAD else 1 if len(word) < 8 else 2


def matched_needs(
    words: list[tuple[str, tuple[Term, ...]]],
    needs: Iterable[Need],
    language: str,
    unknown: frozenset[int] = frozenset(),
) -> list[tuple[tuple[int, ...], Need]]:
    """The entries the query matches, each with the positions of the query words its phrases
    matched ("pää hajoo": both words say the need). A word in ``unknown`` (no dictionary or
    index knows it) that matches no entry as written is read as a misspelling of an
    expression's word ("ulosoto" → ulosotto)."""
    needs = list(needs)
    query = [_word_bases(terms) | {word} for word, terms in words]
    written = [word for word, _terms in words]
    # A compound's first part as Voikko reads it ("paihdepalvelut" → päihde).
    heads = [next((t.text for t in terms if t.kind == "part"), "") for _word, terms in words]

    def exact(i: int, bases: frozenset[str]) -> bool:
        # Same base form, or a compound that starts with the expression's word
        # ("inkassobrev" ← inkasso, "velkakierre" ← velka) when Voikko or Snowball kept it whole.
        return (
            bool(query[i] & bases)
            or heads[i] in bases
            or any(
                len(base) >= MIN_COMPOUND_HEAD
                and written[i].startswith(base)
                and _is_word(written[i][len(base) :], language)
                for base in bases
            )
        )

    def misspelt(i: int, bases: frozenset[str]) -> bool:
        limit = typo_limit(written[i])
        return any(
            len(base) >= MIN_COMPOUND_HEAD and edit_distance(written[i], base, limit) <= limit
            for base in bases
        )

    def scan(matches: Callable[[int, frozenset[str]], bool]) -> list[tuple[set[int], Need]]:
        found = []
        for need in needs:
            positions: set[int] = set()
            for phrase in need.phrases:
                at_each = []
                for bases in phrase:
                    at = next((i for i in range(len(query)) if matches(i, bases)), None)
                    if at is None:
                        break
                    at_each.append(at)
                else:
                    positions.update(at_each)
            if positions:
                found.append((positions, need))
        return found

    found = scan(exact)
    said = set().union(*(positions for positions, _need in found))
    guess = unknown - said
    if guess:
        by_need = {id(need): positions for positions, need in found}
        for positions, need in scan(
            lambda i, bases: exact(i, bases) or (i in guess and misspelt(i, bases))
        ):
            if positions & guess and id(need) not in by_need:
                found.append((positions, need))
    return [(tuple(sorted(positions)), need) for positions, need in found]
