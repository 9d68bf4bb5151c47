"""Ranked catalogue search: base forms, compound parts, prefixes, synonyms, typos, relaxation.

For every query word we collect *expansions* (term → factor): the word's own terms, their
curated synonyms, vocabulary terms the word is a prefix of and, only when none of those exist in
the index, vocabulary terms within a small edit distance. A service's score for a word is the
best ``index weight × factor`` among the word's expansions; its total is the sum over words.
Services matching every word come first (for queries of three or more words, all but one: a
need described in one's own words rarely matches a service word for word); when no service
does, the search relaxes to ranked any-word matching (more words matched first). The ranking is
computed here, in Python, from the same index rows on every database, so PostgreSQL and SQLite
give the same order.
"""

from __future__ import annotations

import json
import threading
import uuid
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)

from tyollisyystalo.catalogue.models import SearchIndexVersion, SearchTerm, Service, ServiceArea
from tyollisyystalo.catalogue.search.analysis import Term, analyse

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.json"
KIND_FACTORS = {"base": 1.0, "word": 1.0, "part": 0.7, "root": 0.6}
SYNONYM_FACTOR = 0.3
PREFIX_FACTOR = 0.8
TYPO_FACTOR = 0.6
MIN_PREFIX = 3
MAX_PREFIX_EXPANSIONS = 60
MAX_WORDS = 10
# Synonyms, prefix completions and typo corrections found in more than this share of the
# services are left out: reached indirectly, such common terms only slow the search down.
COMMON_SHARE = 0.25


@dataclass(frozen=True)
class Filters:
    area: str = ""
    target_group: str = ""
    municipality: str = ""
    service_type: str = ""
    access: str = ""
    language: str = ""
    channel: str = ""
    free: bool | None = None


@dataclass
class Hit:
    service: Service
    score: float
    words_matched: int


@dataclass
class Results:
    hits: list[Hit]
    count: int
    relaxed: bool = False
    words: list[str] = field(default_factory=list)
    strict_count: int = 0


@lru_cache(maxsize=1)
def _synonym_groups() -> dict[str, dict[str, dict[str, float]]]:
    """language → term → {synonym: factor}; a term in several groups keeps the best factor."""
    data = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    by_language: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for group in data["groups"]:
        factor = float(group.get("factor", SYNONYM_FACTOR))
        members = set(group["terms"])
        for term in members:
            known = by_language[group["language"]][term]
            for other in members - {term}:
                known[other] = max(known.get(other, 0.0), factor)
    return {lang: dict(terms) for lang, terms in by_language.items()}


@dataclass
class Vocabulary:
    terms: list[str]
    grams: dict[str, set[str]]
    df: dict[str, int]
    services: int

    def common(self, term: str) -> bool:
        """Whether a term is in so many services that, reached indirectly, it tells little."""
        return self.df.get(term, 0) > COMMON_SHARE * max(self.services, 1)


class _Vocabulary:
    """Distinct index terms per language with their document frequencies, reloaded when the
    index changes (``SearchIndexVersion``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[int, Vocabulary]] = {}

    def get(self, language: str) -> Vocabulary:
        stamp = (
            SearchIndexVersion.objects.filter(id=1).values_list("version", flat=True).first() or 0
        )
        cached = self._cache.get(language)
        if cached and cached[0] == stamp:
            return cached[1]
        with self._lock:
            df = dict(
                SearchTerm.objects.filter(language=language)
                .values("term")
                .annotate(n=Count("service_id"))
                .values_list("term", "n")
            )
            grams: dict[str, set[str]] = defaultdict(set)
            for term in df:
                for gram in _trigrams(term):
                    grams[gram].add(term)
            services = (
                SearchTerm.objects.filter(language=language).values("service_id").distinct().count()
            )
            vocabulary = Vocabulary(sorted(df), grams, df, services)
            self._cache[language] = (stamp, vocabulary)
        return vocabulary


VOCABULARY = _Vocabulary()


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _typo_candidates(word: str, grams: dict[str, set[str]]) -> list[str]:
    limit = 1 if len(word) <= 5 else 2
    shared: dict[str, int] = defaultdict(int)
    for gram in _trigrams(word):
        for term in grams.get(gram, ()):
            shared[term] += 1
    needed = max(1, len(_trigrams(word)) - 3 * limit)
    close = [
        t for t, n in shared.items() if n >= needed and _edit_distance(word, t, limit) <= limit
    ]
    return sorted(close, key=lambda t: (_edit_distance(word, t, limit), t))[:5]


def _prefixed(prefix: str, vocabulary: list[str]) -> list[str]:
    start = bisect_left(vocabulary, prefix)
    found = []
    for term in vocabulary[start : start + MAX_PREFIX_EXPANSIONS]:
        if not term.startswith(prefix):
            break
        found.append(term)
    return found


def expansions(
    word: str, terms: tuple[Term, ...], language: str, vocab: Vocabulary
) -> dict[str, float]:
    vocabulary, grams, known = vocab.terms, vocab.grams, vocab.df
    found: dict[str, float] = {}

    def add(term: str, factor: float, *, direct: bool = False) -> None:
        if term not in known or (not direct and vocab.common(term)):
            return
        if factor > found.get(term, 0.0):
            found[term] = factor

    synonyms = _synonym_groups().get(language, {})
    # Compound parts only help when the whole word is not in the index: otherwise
    # "työkokeilu" would also match every service that mentions "työ".
    whole_known = any(t.text in known for t in terms if t.kind in {"base", "word"})
    for term in terms:
        if term.kind == "part" and whole_known:
            continue
        add(term.text, KIND_FACTORS[term.kind], direct=term.kind != "part")
        for synonym, factor in synonyms.get(term.text, {}).items():
            add(synonym, factor * KIND_FACTORS[term.kind])
            if language != "fi":  # Swedish and English synonyms are stems
                for longer in _prefixed(synonym, vocabulary):
                    add(longer, factor * PREFIX_FACTOR)
    for stem in {word, *(t.text for t in terms if t.kind in {"base", "word"})}:
        if len(stem) >= MIN_PREFIX:
            for longer in _prefixed(stem, vocabulary):
                add(longer, PREFIX_FACTOR)
    if not found:
        for close in _typo_candidates(word, grams):
            add(close, TYPO_FACTOR)
            for synonym, factor in synonyms.get(close, {}).items():
                add(synonym, TYPO_FACTOR * factor)
    return found


def filtered_services(filters: Filters) -> QuerySet[Service]:
    services = Service.objects.filter(is_published=True)
    for taxonomy, code in (
        ("tt-area", filters.area),
        ("tt-target-group", filters.target_group),
        ("tt-service-type", filters.service_type),
        ("tt-access", filters.access),
        ("tt-channel", filters.channel),
    ):
        if code:
            services = services.filter(
                attributes__taxonomy_term__taxonomy__code=taxonomy,
                attributes__taxonomy_term__code=code,
            )
    if filters.municipality:
        services = services.filter(
            Q(service_areas__municipality__code=filters.municipality)
            | Q(service_areas__municipality__name_fi=filters.municipality)
            | Q(
                service_areas__extent_type__in=[
                    ServiceArea.Extent.REGION,
                    ServiceArea.Extent.NATIONAL,
                ]
            )
        )
    if filters.language:
        services = services.filter(languages__code=filters.language)
    if filters.free is not None:
        services = services.filter(is_free=filters.free)
    return services


@dataclass(frozen=True)
class _Ranked:
    top: list[tuple[uuid.UUID, int, float]]  # service id, words matched, score; best first
    total: int
    strict_count: int


def _rank(
    words: list[tuple[str, tuple[Term, ...]]],
    language: str,
    filters: Filters,
    services: QuerySet[Service],
    limit: int,
) -> _Ranked:
    vocab = VOCABULARY.get(language)
    per_word = [expansions(word, terms, language, vocab) for word, terms in words]
    wanted = set().union(*per_word)
    if not wanted:
        return _Ranked([], 0, 0)
    rows = SearchTerm.objects.filter(language=language, term__in=sorted(wanted))
    if filters != Filters():
        rows = rows.filter(service__in=services.values("pk"))
    # One grouped query: per service, the best weight × factor for each query word, how many
    # words matched and the total; the database ranks and limits.
    best = {
        f"w{i}": Max(
            Case(
                *[
                    When(term=term, then=F("weight") * Value(factor))
                    for term, factor in sorted(exp.items())
                ],
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
        for i, exp in enumerate(per_word)
        if exp
    }
    needed = len(per_word) if len(per_word) <= 2 else len(per_word) - 1
    matched = sum((Case(When(**{f"{k}__gt": 0}, then=1), default=0) for k in best), Value(0))
    grouped = (
        rows.values("service_id")
        .annotate(**best)
        .annotate(matched=ExpressionWrapper(matched, output_field=IntegerField()))
        .annotate(
            strict=Case(When(matched__gte=needed, then=1), default=0, output_field=IntegerField())
        )
    )
    # One pass: window functions give the counts and each word's best score, by which its
    # scores are normalised, so that a need described with several words ("debts… can't
    # sleep") brings up help for each; then the database ranks and limits.
    keys = list(best)
    sql, params = (
        grouped.order_by().values("service_id", "matched", "strict", *keys).query.sql_with_params()
    )
    maxima = ", ".join(f"MAX({k}) OVER () AS max_{k}" for k in keys)
    normalised = " + ".join(f"COALESCE({k} / NULLIF(max_{k}, 0), 0)" for k in keys)
    ranking_sql = (
        f"SELECT service_id, matched, {normalised} AS score, total, strict_total FROM ("  # noqa: S608
        f"SELECT g.*, {maxima}, COUNT(*) OVER () AS total, SUM(strict) OVER () AS strict_total "
        f"FROM ({sql}) AS g) AS w "
        f"ORDER BY strict DESC, matched DESC, score DESC, service_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        # The inner SQL is the ORM's, with its parameters passed separately; the column names
        # are ours (w0, w1, …).
        cursor.execute(ranking_sql, [*params, limit])
        fetched = cursor.fetchall()
    total = fetched[0][3] if fetched else 0
    strict_count = int(fetched[0][4] or 0) if fetched else 0
    # SQLite returns the uuid as hex text, PostgreSQL as a UUID.
    top = [
        (row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(row[0]), row[1], row[2])
        for row in fetched
    ]
    return _Ranked(top, total, strict_count)


def catalogue_search(
    *, q: str, language: str = "fi", filters: Filters | None = None, limit: int = 20
) -> Results:
    filters = filters or Filters()
    words = list(analyse(q, language))[:MAX_WORDS]
    services = filtered_services(filters)
    if not words:
        listing = list(
            services.select_related("organization").order_by("name_fi").distinct()[:limit]
        )
        return Results([Hit(s, 0.0, 0) for s in listing], services.distinct().count())
    ranked = _rank(words, language, filters, services, limit)
    by_id = Service.objects.select_related("organization").in_bulk([t[0] for t in ranked.top])
    hits = [Hit(by_id[sid], round(sc, 3), m) for sid, m, sc in ranked.top if sid in by_id]
    return Results(
        hits,
        ranked.total,
        ranked.strict_count == 0,
        [w for w, _ in words],
        strict_count=ranked.strict_count,
    )


def catalogue_search_ids(*, q: str, language: str = "fi", limit: int = 10_000) -> list[uuid.UUID]:
    """The ids of the services the search finds, best first, without loading them (for the
    HSDS API's ``search`` parameter, which pages over its own query)."""
    words = list(analyse(q, language))[:MAX_WORDS]
    if not words:
        return []
    filters = Filters()
    ranked = _rank(words, language, filters, filtered_services(filters), limit)
    return [sid for sid, _matched, _score in ranked.top]
