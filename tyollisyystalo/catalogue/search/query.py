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
import math
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
    F,
    FloatField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from tyollisyystalo.catalogue.models import SearchIndexVersion, SearchTerm, Service, ServiceArea
from tyollisyystalo.catalogue.search.analysis import (
    STOPWORDS,
    Term,
    analyse,
    edit_distance,
    finnish_terms,
    words,
)
from tyollisyystalo.catalogue.search.needs import (
    AREA_PREFIX,
    GROUP_PREFIX,
    NEEDS,
    Need,
    matched_needs,
)

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.json"
KIND_FACTORS = {"base": 1.0, "word": 1.0, "part": 0.7, "root": 0.6}
SYNONYM_FACTOR = 0.3
PREFIX_FACTOR = 0.8
TYPO_FACTOR = 0.6
MIN_PREFIX = 3
MAX_PREFIX_EXPANSIONS = 60
MAX_WORDS = 10
# The need vocabulary's catalogue words count half a direct match; the areas of life and
# target groups it names, as the services' classification, less.
NEED_FACTOR = 0.5
NEED_SHARE = 0.5
# A word in more than this share of the services is left out when the query has others.
COMMON_WORD_SHARE = 0.5
# Queries of at most this many words rank services with every word first; longer ones by score.
STRICT_MAX_WORDS = 2
MAX_RANKED_WORDS = 4
NEED_WORD_BOOST = 2.0
OTHER_WORD_FACTOR = 0.5
# At most this many index rows per service count for one word's expansions (beyond its own base
# forms), and as many for the need vocabulary's words it brought.
ROW_BUDGET_SHARE = 0.3
AREA_FACTOR = 0.25
GROUP_FACTOR = 0.15
CLASSIFIED = AREA_FACTOR + GROUP_FACTOR
LANGUAGES = ("fi", "sv", "en")
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
    language: str = "fi"
    needs: list[Need] = field(default_factory=list)
    # The search is unsure when nothing was found, when no service matched (nearly) all the
    # words, or when fewer than half of the words matched any service by their own terms.
    unsure: bool = False

    @property
    def language_name(self) -> str:
        names = {"fi": _("suomi"), "sv": _("ruotsi"), "en": _("englanti")}
        return str(names.get(self.language, self.language))

    def need_areas(self) -> list[str]:
        """The areas of life the need vocabulary read in the query, in the query's order."""
        return list(dict.fromkeys(area for need in self.needs for area in need.areas))


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
    stamp: int = 0

    def common(self, term: str) -> bool:
        """Whether a term is in so many services that, reached indirectly, it tells little."""
        return self.df.get(term, 0) > COMMON_SHARE * max(self.services, 1)


class _Vocabulary:
    """Distinct index terms per language with their document frequencies, reloaded when the
    index changes (``SearchIndexVersion``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[int, Vocabulary]] = {}

    def get(self, language: str, stamp: int | None = None) -> Vocabulary:
        if stamp is None:
            stamp = index_stamp()
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
            vocabulary = Vocabulary(sorted(df), grams, df, services, stamp)
            self._cache[language] = (stamp, vocabulary)
        return vocabulary


VOCABULARY = _Vocabulary()


def index_stamp() -> int:
    """The search index's version: one query, read once per search."""
    return SearchIndexVersion.objects.filter(id=1).values_list("version", flat=True).first() or 0


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _typo_candidates(word: str, grams: dict[str, set[str]]) -> list[str]:
    limit = 1 if len(word) <= 5 else 2
    shared: dict[str, int] = defaultdict(int)
    for gram in _trigrams(word):
        for term in grams.get(gram, ()):
            shared[term] += 1
    needed = max(1, len(_trigrams(word)) - 3 * limit)
    close = [t for t, n in shared.items() if n >= needed and edit_distance(word, t, limit) <= limit]
    return sorted(close, key=lambda t: (edit_distance(word, t, limit), t))[:5]


def _prefixed(prefix: str, vocabulary: list[str]) -> list[str]:
    start = bisect_left(vocabulary, prefix)
    found = []
    for term in vocabulary[start : start + MAX_PREFIX_EXPANSIONS]:
        if not term.startswith(prefix):
            break
        found.append(term)
    return found


def expansions(
    word: str, terms: tuple[Term, ...], language: str, vocab: Vocabulary, *, typos: bool = True
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
    if not found and typos:
        for close in _typo_candidates(word, grams):
            add(close, TYPO_FACTOR)
            for synonym, factor in synonyms.get(close, {}).items():
                add(synonym, TYPO_FACTOR * factor)
    return found


def need_expansions(
    positions: tuple[int, ...],
    need: Need,
    per_word: list[Expansion],
    vocab: Vocabulary,
) -> None:
    """Add a matched need's catalogue words, areas of life and target groups to the query
    words that say it (in place)."""
    for position in positions:
        per_word[position].says_need = True
        found = per_word[position].need

        def add(term: str, factor: float, found: dict[str, float] = found) -> None:
            if term in vocab.df and factor > found.get(term, 0.0):
                found[term] = factor

        for term in need.means:
            if not vocab.common(term.text):
                add(term.text, NEED_FACTOR * KIND_FACTORS[term.kind])
        for area in need.areas:
            add(AREA_PREFIX + area, AREA_FACTOR)
        for group in need.groups:
            add(GROUP_PREFIX + group, GROUP_FACTOR)


def _known_words(q: str, language: str, stamp: int) -> int:
    """How many of the query's words read as words of the language: Finnish by Voikko,
    Swedish and English by their stop words and the catalogue's stems in that language."""
    known = 0
    vocab = VOCABULARY.get(language, stamp)
    stop = STOPWORDS.get(language, set())
    for word in words(q):
        if word in stop:
            known += 1
        elif language == "fi":
            known += any(t.kind != "word" for t in finnish_terms(word))
        else:
            known += any(t.text in vocab.df for _w, terms in analyse(word, language) for t in terms)
    return known


def query_language(q: str, interface: str, stamp: int | None = None) -> str:
    """The language a query is written in: the one most of its words belong to, the
    interface's when no other is clearly ahead ("skuldrådgivning" in the Finnish interface is
    searched in Swedish, "tyokokeilu" stays Finnish)."""
    stamp = index_stamp() if stamp is None else stamp
    counts = {language: _known_words(q, language, stamp) for language in LANGUAGES}
    best = max(LANGUAGES, key=lambda language: (counts[language], language == interface))
    return best if counts[best] > counts.get(interface, 0) else interface


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
    direct_words: int = 0  # query words that some service matches by their own terms


@dataclass
class Expansion:
    """A query word's search terms with their factors: its own (base forms, synonyms,
    prefixes, typos) and those the need vocabulary brought."""

    direct: dict[str, float]
    need: dict[str, float] = field(default_factory=dict)
    # How much the word tells: the inverse document frequency of its commonest base form
    # (a word in every service tells little), relative to the query's other words.
    weight: float = 1.0
    common: bool = False  # its own base form is in most services
    says_need: bool = False  # the need vocabulary read a need in it


def _expand(
    words: list[tuple[str, tuple[Term, ...]]], language: str, stamp: int
) -> tuple[list[Expansion], list[Need]]:
    vocab = VOCABULARY.get(language, stamp)
    unknown = frozenset(
        i
        for i, (_word, terms) in enumerate(words)
        if not any(t.text in vocab.df or (language == "fi" and t.kind != "word") for t in terms)
    )
    needs = NEEDS.get(language, stamp)
    matched = matched_needs(words, needs, language, unknown)
    # A word the vocabulary knows as written is not corrected as a typo ("wife" is not "wide");
    # one it read as a misspelling is, as before.
    known = (
        {i for positions, _need in matched for i in positions}
        if not unknown
        else {i for positions, _need in matched_needs(words, needs, language) for i in positions}
    )
    # The weight of a word that says a need: the strongest entry's (a relative named, "my
    # wife", tells less than "depression").
    need_weight: dict[int, float] = {}
    for positions, need in matched:
        for position in positions:
            need_weight[position] = max(need_weight.get(position, 0.0), need.weight)
    per_word = []
    for i, (word, terms) in enumerate(words):
        found = expansions(word, terms, language, vocab, typos=i not in known)
        weight = _idf(terms, found, vocab)
        if i in need_weight:
            weight *= NEED_WORD_BOOST * need_weight[i]
        per_word.append(
            Expansion(found, weight=weight, common=_share(terms, vocab) >= COMMON_WORD_SHARE)
        )
    for positions, need in matched:
        need_expansions(positions, need, per_word, vocab)
    for i, expansion in enumerate(per_word):
        if expansion.common and expansion.says_need:
            # Ranked by the need's words alone, it weighs what they tell.
            need_words = [t for t in expansion.need if ":" not in t]
            if need_words:
                expansion.weight = (
                    _idf((), dict.fromkeys(need_words, 1.0), vocab)
                    * NEED_WORD_BOOST
                    * need_weight[i]
                )
    if matched and len(words) > STRICT_MAX_WORDS:
        for i, expansion in enumerate(per_word):
            if i not in need_weight:
                expansion.weight *= OTHER_WORD_FACTOR
    budget = ROW_BUDGET_SHARE * max(vocab.services, 1)
    for expansion in per_word:
        expansion.direct = _within_budget(expansion.direct, vocab, budget)
        expansion.need = _within_budget(expansion.need, vocab, budget)
    return per_word, [need for _positions, need in matched]


def _within_budget(
    expansion: dict[str, float], vocab: Vocabulary, budget: float
) -> dict[str, float]:
    """A word's own base forms, then its other terms, strongest and rarest first, until they
    reach ``budget`` index rows: a word that widens into many common terms ("kuntoutus" → 20
    compounds) would otherwise read a large part of the index for little gain."""
    kept: dict[str, float] = {}
    rows = 0
    for term, factor in sorted(
        expansion.items(), key=lambda x: (-x[1], vocab.df.get(x[0], 0), x[0])
    ):
        df = vocab.df.get(term, 0)
        if factor < 1.0 and rows + df > budget:
            continue
        kept[term] = factor
        rows += df
    return kept


def _own_frequency(terms: tuple[Term, ...], vocab: Vocabulary, *also: str) -> int:
    """Services having the commonest of the word's own base forms (and of ``also``)."""
    own = [t.text for t in terms if t.kind in {"base", "word"}]
    return max((vocab.df.get(term, 0) for term in [*own, *also]), default=0)


def _share(terms: tuple[Term, ...], vocab: Vocabulary) -> float:
    """The share of services that have the word's commonest base form."""
    return _own_frequency(terms, vocab) / max(vocab.services, 1)


def _idf(terms: tuple[Term, ...], found: dict[str, float], vocab: Vocabulary) -> float:
    """How much a word tells, by the commonest of its own base forms and of the terms it
    reaches ("hela" reaches helt, helg… and tells little, though "hel" is in no service)."""
    df = _own_frequency(terms, vocab, *found)
    return math.log(1 + (vocab.services - df + 0.5) / (df + 0.5))


def _weighted(expansion: dict[str, float]) -> Case:
    """Weight × factor of the term an index row holds; one WHEN per distinct factor (an IN
    list), as the CASE is evaluated on every index row the query reads."""
    by_factor: dict[float, list[str]] = defaultdict(list)
    for term, factor in expansion.items():
        by_factor[factor].append(term)
    return Case(
        *[
            When(term__in=sorted(terms), then=F("weight") * Value(factor))
            for factor, terms in sorted(by_factor.items(), reverse=True)
        ],
        default=Value(0.0),
        output_field=FloatField(),
    )


def _best(expansion: dict[str, float]) -> Max:
    """The best weight × factor among the terms a service has."""
    return Max(_weighted(expansion))


def _sum(expansion: dict[str, float]) -> Sum:
    """The sum of weight × factor over the terms a service has: the need vocabulary's words
    add up, so a service about the need (several of its words) outranks one naming it once."""
    return Sum(_weighted(expansion))


def _rank(
    per_word: list[Expansion],
    language: str,
    filters: Filters,
    services: QuerySet[Service],
    limit: int,
    *,
    any_word: bool = False,
) -> _Ranked:
    # Words found in most services ("työ") tell almost nothing and would make the query read
    # most of the index: when the query has other words, they are left out of the ranking and
    # counted as matched by every service.
    everything = len(per_word)
    needed = everything if everything <= 2 else everything - 1
    # A common word that says a need ("työtön") is ranked by the need's words alone.
    kept = [e for e in per_word if not e.common or e.says_need] or per_word
    if len(kept) > MAX_RANKED_WORDS:
        # A long description: its most telling words decide (each further word costs a column
        # evaluated on every index row read).
        best = sorted(kept, key=lambda e: -e.weight)[:MAX_RANKED_WORDS]
        kept = [e for e in kept if any(e is b for b in best)]
    dropped = everything - len(kept)
    needed = max(1, needed - dropped)
    per_word = kept
    wanted = set().union(
        *(e.direct for e in per_word if not (e.common and e.says_need)),
        *(e.need for e in per_word),
    )
    if not wanted:
        return _Ranked([], 0, 0)
    rows = SearchTerm.objects.filter(language=language, term__in=sorted(wanted))
    if filters != Filters():
        rows = rows.filter(service__in=services.values("pk"))
    # One grouped query: per service and query word, the best weight × factor among the word's
    # own expansions (d) and among the need vocabulary's words it brought (e).
    columns: dict[str, Max | Sum | Value] = {}
    for i, expansion in enumerate(per_word):
        own = expansion.direct if not (expansion.common and expansion.says_need) else {}
        columns[f"d{i}"] = _best(own) if own else Value(0.0)
        columns[f"e{i}"] = _sum(expansion.need) if expansion.need else Value(0.0)
    grouped = rows.values("service_id").annotate(**columns)
    sql, params = grouped.order_by().values("service_id", *columns).query.sql_with_params()
    # Then, with window functions: each column is divided by its best value, so that every word
    # counts alike and a need described with several words ("debts… can't sleep") brings up help
    # for each; the need vocabulary's share is at most NEED_SHARE of a direct match. A word
    # counts as matched by a direct match, or by the need vocabulary when nothing matches the
    # word itself ("duunia"). Services matching every word (all but one of three or more) come
    # first; the database ranks and limits.
    n = len(per_word)
    # Each word's part of the score: its own best match plus NEED_SHARE of the need
    # vocabulary's words it brought (these add up: a service about the need, with several of
    # its words, outranks one that names the word once in passing), divided by the best such
    # value among the services, so that every word counts alike and a need described with
    # several words ("debts… can't sleep") brings up help for each.
    maxima = ", ".join(
        f"MAX(d{i}) OVER () AS md{i}, MAX(d{i} + {NEED_SHARE} * e{i}) OVER () AS mj{i}"
        for i in range(n)
    )
    parts = [
        f"{e_.weight:.6f} * COALESCE((d{i} + {NEED_SHARE} * e{i}) / NULLIF(mj{i}, 0), 0)"
        for i, e_ in enumerate(per_word)
    ]
    somewhere = " + ".join(
        "1" if e_.common else f"CASE WHEN md{i} > 0 THEN 1 ELSE 0 END"
        for i, e_ in enumerate(per_word)
    )
    # A name or a term of a word or two: services with every word first. A longer description
    # of a need: by score alone (filler words would otherwise decide which services come first).
    strict_first = not any_word and everything <= STRICT_MAX_WORDS
    # A word is matched by its own terms; one that says a need also by the need's words, and
    # any word by them when nothing matches the word itself ("duunia") — by its words, not
    # by the service's area of life and target group alone.
    matched = " + ".join(
        "1"  # a common word, as if left out: every service has it
        if e_.common
        else f"CASE WHEN d{i} > 0 OR ({'1 = 1' if e_.says_need else f'md{i} = 0'} "
        f"AND e{i} > {CLASSIFIED}) THEN 1 ELSE 0 END"
        for i, e_ in enumerate(per_word)
    )
    ranking_sql = (
        "SELECT service_id, matched, score, COUNT(*) OVER () AS total, "  # noqa: S608
        "SUM(strict) OVER () AS strict_total, direct_words FROM ("
        f"SELECT service_id, {matched} AS matched, {' + '.join(parts)} AS score, "
        f"{somewhere} AS direct_words, CASE WHEN {matched} >= {needed} THEN 1 ELSE 0 END AS strict "
        f"FROM (SELECT g.*, {maxima} FROM ({sql}) AS g) AS w) AS r "
        f"ORDER BY {'strict DESC, matched DESC, ' if strict_first else ''}"
        "score DESC, service_id "
        "LIMIT %s"
    )
    with connection.cursor() as cursor:
        # The inner SQL is the ORM's, with its parameters passed separately; the column names
        # and numbers are ours.
        cursor.execute(ranking_sql, [*params, limit])
        fetched = cursor.fetchall()
    total = fetched[0][3] if fetched else 0
    strict_count = int(fetched[0][4] or 0) if fetched else 0
    direct_words = int(fetched[0][5] or 0) if fetched else 0
    # SQLite returns the uuid as hex text, PostgreSQL as a UUID.
    top = [
        (row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(row[0]), row[1], row[2])
        for row in fetched
    ]
    return _Ranked(top, total, strict_count, direct_words + dropped)


def catalogue_search(
    *,
    q: str,
    language: str = "fi",
    filters: Filters | None = None,
    limit: int = 20,
    any_word: bool = False,
) -> Results:
    """Services for a query, best first. ``any_word``: rank a bag of words by score alone,
    not services matching (nearly) every word first (for texts that list a need's words)."""
    filters = filters or Filters()
    stamp = index_stamp()
    language = query_language(q, language, stamp)
    words = list(analyse(q, language))[:MAX_WORDS]
    services = filtered_services(filters)
    if not words:
        listing = list(
            services.select_related("organization").order_by("name_fi").distinct()[:limit]
        )
        return Results(
            [Hit(s, 0.0, 0) for s in listing], services.distinct().count(), language=language
        )
    per_word, needs = _expand(words, language, stamp)
    ranked = _rank(per_word, language, filters, services, limit, any_word=any_word)
    by_id = Service.objects.select_related("organization").in_bulk([t[0] for t in ranked.top])
    hits = [Hit(by_id[sid], round(sc, 3), m) for sid, m, sc in ranked.top if sid in by_id]
    return Results(
        hits,
        ranked.total,
        ranked.strict_count == 0,
        [w for w, _ in words],
        strict_count=ranked.strict_count,
        language=language,
        needs=needs,
        unsure=not hits or ranked.strict_count == 0 or 2 * ranked.direct_words < len(words),
    )


def catalogue_search_ids(*, q: str, language: str = "fi", limit: int = 10_000) -> list[uuid.UUID]:
    """The ids of the services the search finds, best first, without loading them (for the
    HSDS API's ``search`` parameter, which pages over its own query)."""
    stamp = index_stamp()
    language = query_language(q, language, stamp)
    words = list(analyse(q, language))[:MAX_WORDS]
    if not words:
        return []
    filters = Filters()
    per_word, _needs = _expand(words, language, stamp)
    ranked = _rank(per_word, language, filters, filtered_services(filters), limit)
    return [sid for sid, _matched, _score in ranked.top]
