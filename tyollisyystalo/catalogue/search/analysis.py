"""Turning text into search terms: Finnish with Voikko, Swedish and English with Snowball.

Finnish words are reduced to their base forms (``velat`` → ``velka``) and compounds are split
(``työkykykoordinaattorille`` → ``työkykykoordinaattori``, ``työ``, ``kyky``,
``koordinaattori``). A word Voikko does not know keeps its lower-cased form, which prefix and
typo matching then cover. Swedish and English words are stemmed with Snowball.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer

WORD = re.compile(r"[0-9a-zåäöéüæøß]+(?:[-'][0-9a-zåäöéüæøß]+)*", re.IGNORECASE)
SEGMENT = re.compile(r"\+([^+(]*)\(([^)]*)\)")
MIN_PART = 3
# Finnish base forms that are filler whatever the spelling that reached them.
STOP_BASES = {
    "mikä",
    "olla",
    "ei",
    "minä",
    "sinä",
    "hän",
    "se",
    "tämä",
    "tuo",
    "joka",
    "kuka",
    "kukaan",
    "mikään",
    "jokin",
    "joku",
    "tehdä",
}
STOPWORDS = {
    "fi": {
        "ja",
        "tai",
        "ei",
        "en",
        "et",
        "on",
        "ole",
        "olla",
        "oli",
        "ovat",
        "se",
        "ne",
        "että",
        "jos",
        "kun",
        "kuin",
        "mutta",
        "myös",
        "sekä",
        "minä",
        "sinä",
        "hän",
        "me",
        "te",
        "he",
        "mä",
        "mun",
        "mulla",
        "mua",
        "minun",
        "sun",
        "siitä",
        "tämä",
        "tuo",
        "joka",
        "mikä",
        "mitä",
        "miten",
        "missä",
        "koska",
        "kanssa",
        "ilman",
        "vain",
        "vielä",
        "jo",
        "nyt",
        "voi",
        "voin",
        "saa",
        "saan",
        "enkä",
        "eikä",
        "emme",
        "ette",
        "eivät",
        "olen",
        "olet",
        # spoken Finnish
        "oo",
        "oon",
        "ollu",
        "ois",
        "sä",
        "mul",
        "mulle",
        "sul",
        "sulla",
        "ku",
        "nii",
        "niinku",
        "vaa",
        "vaan",
        "tosi",
        "ihan",
        "aina",
        "enää",
        "mitään",
        "mikään",
        "yhtään",
        "kyl",
        "kyllä",
        "joku",
        "jotain",
        "jotenkin",
        "tää",
        "toi",
        "sit",
        "sitten",
        "pitäis",
        "pitäisi",
        "haluun",
        "haluan",
        "tarviin",
        "tarvitsen",
        "täytyy",
        "pitää",
        "tietää",
        "kiitos",
        "hei",
        "moi",
        "pliis",
        "minulla",
        "minua",
        "minulle",
        "meillä",
        "sinulla",
        "hänellä",
        "hänen",
        "häntä",
        "hänelle",
        "sillä",
        "sen",
        "sille",
        "siltä",
        "olisi",
        "ollut",
        "paljon",
        "kauheesti",
        "kauheasti",
        "aivan",
        "vähän",
        "melkein",
        "koko",
        "mut",
        "mull",
        "meil",
        "niillä",
        "sitä",
        "tätä",
        "nää",
        "noi",
        "eli",
        "siis",
        "vai",
        "mitäs",
        "onko",
        "oisko",
        "olis",
        "kans",
        "myöskin",
        "tällä",
        "hetkellä",
    },
    "sv": {
        "och",
        "eller",
        "i",
        "på",
        "att",
        "det",
        "är",
        "en",
        "ett",
        "som",
        "för",
        "med",
        "till",
        "av",
        "jag",
        "du",
        "han",
        "hon",
        "vi",
        "ni",
        "de",
        "inte",
        "min",
        "mitt",
        "mina",
        "din",
        "ditt",
        "dina",
        "har",
        "hade",
        "kan",
        "vill",
        "aldrig",
        "någon",
        "något",
        "mycket",
        "bara",
        "så",
        "om",
        "när",
        "från",
        "hos",
        "sig",
        "sin",
        "sitt",
        "sina",
        "vad",
        "hur",
        "var",
        "får",
        "måste",
        "behöver",
        "alls",
        "längre",
        "mer",
        "kvar",
        "inga",
        "ingen",
        "inget",
        "mig",
        "dig",
        "honom",
        "henne",
        "oss",
        "dem",
        "den",
        "detta",
        "här",
        "där",
        "också",
        "men",
        "redan",
        "nu",
        "sen",
        "sedan",
        "väldigt",
        "ska",
        "skulle",
        "göra",
        "gör",
        "gjort",
        "gjorde",
        "kunna",
        "kunde",
        "bli",
        "blir",
        "blev",
        "vara",
        "varit",
        "vid",
        "alla",
        "allt",
        "hela",
        "tiden",
        "känns",
        "känner",
        "jätte",
    },
    "en": {
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "is",
        "are",
        "be",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "my",
        "me",
        "not",
        "his",
        "her",
        "him",
        "them",
        "their",
        "our",
        "your",
        "will",
        "won't",
        "wont",
        "still",
        "since",
        "until",
        "always",
        "every",
        "even",
        "also",
        "it's",
        "there's",
        "they're",
        "we're",
        "here",
        "never",
        "have",
        "has",
        "had",
        "can",
        "can't",
        "cannot",
        "don't",
        "doesn't",
        "didn't",
        "no",
        "any",
        "what",
        "how",
        "where",
        "get",
        "got",
        "need",
        "needs",
        "want",
        "wants",
        "really",
        "very",
        "so",
        "just",
        "all",
        "some",
        "about",
        "it",
        "its",
        "am",
        "was",
        "were",
        "this",
        "that",
        "there",
        "at",
        "from",
        "by",
        "as",
        "if",
        "but",
        "when",
        "anymore",
        "more",
        "much",
        "too",
        "lot",
        "lots",
        "would",
        "could",
        "should",
        "do",
        "does",
        "did",
        "been",
        "being",
        "who",
        "which",
        "myself",
        "im",
        "i'm",
        "ive",
        "i've",
        "dont",
        "cant",
        "anything",
        "something",
        "someone",
        "anyone",
    },
}


@dataclass(frozen=True)
class Term:
    """A search term and how it was reached from the original word."""

    text: str
    # "base": a base form of the whole word; "part": a compound part; "root": the word a
    # derivation comes from (masennus → masentaa); "word": as written (unknown to Voikko)
    kind: str


_local = threading.local()


def _voikko() -> Any | None:
    """One Voikko per thread (libvoikko is not thread-safe); None when it is not installed."""
    if not hasattr(_local, "voikko"):
        _local.voikko = None
        try:
            import libvoikko
        except ImportError:
            return None
        try:
            _local.voikko = libvoikko.Voikko("fi")
        except (OSError, libvoikko.VoikkoException):
            _local.voikko = None
    return _local.voikko


def voikko_available() -> bool:
    return _voikko() is not None


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def words(text: str) -> list[str]:
    return list(WORD.findall(normalise(text)))


def _compound_parts(wordbases: str) -> list[str]:
    """Compound components from Voikko's WORDBASES, derivational suffixes kept with their stem.

    ``+mielen(mieli)+terve(terve)+ys(+ys)+palvel(palvella)+u(+u)`` → mieli, terveys, palvelu.
    """
    groups: list[tuple[str, str]] = []
    for surface, base in SEGMENT.findall(wordbases):
        if base.startswith("+") and groups:
            prev_surface, _prev_base = groups[-1]
            groups[-1] = (prev_surface + surface, "")
        else:
            groups.append((surface, base))
    parts = []
    for surface, base in groups:
        parts.append(base if base and not base.startswith("+") else surface)
    return parts


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it is known to exceed ``limit``."""
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


MAX_UMLAUT_SLOTS = 6


def spoken_variants(word: str) -> list[str]:
    """Standard spellings a word Voikko does not know may stand for: umlauts typed without
    dots (tyoton → työtön) and common spoken endings (hajoo → hajoaa, kipee → kipeä,
    tarvii → tarvitsee, itsetuhoset → itsetuhoiset, pitäis → pitäisi)."""
    variants: list[str] = []
    slots = [i for i, c in enumerate(word) if c in "ao"]
    if 0 < len(slots) <= MAX_UMLAUT_SLOTS:
        for mask in range(1, 2 ** len(slots)):
            letters = list(word)
            for bit, i in enumerate(slots):
                if mask >> bit & 1:
                    letters[i] = "ä" if letters[i] == "a" else "ö"
            variants.append("".join(letters))
    for ending, standard in (
        ("oo", "oaa"),
        ("öö", "öää"),
        ("ee", "eä"),
        ("ii", "itsee"),
        ("set", "iset"),
        ("s", "si"),
    ):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            variants.append(word[: -len(ending)] + standard)
    return variants


@lru_cache(maxsize=50_000)
def finnish_terms(word: str) -> tuple[Term, ...]:
    found = _voikko_terms(word)
    if not found:
        for variant in spoken_variants(word):
            found = _voikko_terms(variant)
            if found:
                break
    if not found:
        found[word] = Term(word, "word")
    return tuple(found.values())


def _voikko_terms(word: str) -> dict[str, Term]:
    voikko = _voikko()
    found: dict[str, Term] = {}
    if voikko is not None:
        for analysis in voikko.analyze(word):
            base = normalise(analysis.get("BASEFORM", ""))
            if base:
                found.setdefault(base, Term(base, "base"))
            wordbases = analysis.get("WORDBASES", "")
            parts = _compound_parts(wordbases)
            segments = SEGMENT.findall(wordbases)
            if len(parts) == 1 and segments:
                root = normalise(segments[0][1])
                if root and not root.startswith("+") and root != base and len(root) >= MIN_PART:
                    found.setdefault(root, Term(root, "root"))
            if len(parts) > 1:
                for part in parts:
                    part = normalise(part)
                    if len(part) >= MIN_PART:
                        found.setdefault(part, Term(part, "part"))
    return found


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer({"sv": "swedish", "en": "english"}[language])


def terms_for_word(word: str, language: str) -> tuple[Term, ...]:
    if "-" not in word:
        return _single_word_terms(word, language)
    # "ips-työhönvalmennus": the whole word and each piece as a word of its own.
    found: dict[str, Term] = {}
    for piece in (word, *word.split("-")):
        if len(piece) >= 2:
            for term in _single_word_terms(piece, language):
                found.setdefault(term.text, term)
    return tuple(found.values())


def _single_word_terms(word: str, language: str) -> tuple[Term, ...]:
    if language == "fi":
        return finnish_terms(word)
    stem = _stemmer(language).stemWord(word)
    return (Term(stem, "base"),) if stem == word else (Term(stem, "base"), Term(word, "word"))


def analyse(text: str, language: str) -> Iterator[tuple[str, tuple[Term, ...]]]:
    """Each meaningful word of ``text`` with its terms, in order."""
    stop = STOPWORDS.get(language, set())
    for word in words(text):
        if word in stop or len(word) < 2:
            continue
        terms = terms_for_word(word, language)
        if language == "fi" and all(t.text in STOP_BASES for t in terms):
            continue  # "mita" (mitä without dots), "ollu": filler reached by its base form
        yield word, terms
