"""Reference for the search benchmark: plain Okapi BM25 over Voikko base forms (Snowball stems
for Swedish and English) of every text field of a service, one bag of words per service and
language (name, description, how to access, organisation, classification names)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.catalogue.search.analysis import analyse

K1 = 1.2
B = 0.75


def _tokens(text: str, language: str) -> list[str]:
    """Every base form of every word (Voikko may give several), no compound parts."""
    return [
        term.text
        for _word, terms in analyse(text, language)
        for term in terms
        if term.kind in {"base", "word"}
    ]


class BM25:
    def __init__(self, language: str) -> None:
        self.language = language
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.lengths: dict[str, int] = {}
        services = Service.objects.filter(is_published=True).select_related("organization")
        for service in services.prefetch_related("attributes__taxonomy_term"):
            fields = [
                getattr(service, f"name_{language}"),
                getattr(service, f"description_{language}"),
                getattr(service, f"application_process_{language}"),
                getattr(service.organization, f"name_{language}"),
                *(getattr(a.taxonomy_term, f"name_{language}") for a in service.attributes.all()),
            ]
            counts = Counter(_tokens(" ".join(f or "" for f in fields), language))
            self.lengths[service.source_id] = sum(counts.values())
            for term, n in counts.items():
                self.postings[term][service.source_id] = n
        self.average = sum(self.lengths.values()) / max(len(self.lengths), 1)

    def search(self, q: str, limit: int = 10) -> list[str]:
        scores: dict[str, float] = defaultdict(float)
        documents = len(self.lengths)
        for term in set(_tokens(q, self.language)):
            posting = self.postings.get(term, {})
            idf = math.log(1 + (documents - len(posting) + 0.5) / (len(posting) + 0.5))
            for sid, tf in posting.items():
                norm = tf + K1 * (1 - B + B * self.lengths[sid] / self.average)
                scores[sid] += idf * tf * (K1 + 1) / norm
        return [sid for sid, _s in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]]
