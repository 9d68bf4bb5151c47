"""Measuring the search on judged queries: recall@5 and nDCG@10 over graded relevance.

Shared by ``bench/search_quality.py`` and the quality floor test. The judged sets are
``bench/search_queries.json`` (issue 3, tuned on) and ``bench/search_needs.json`` (issue 18:
everyday need descriptions and the rest, split once into a development half and a held-out
half that nothing is tuned on; ``bench/search_needs.md`` tells how it was written).
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[3] / "bench"


def judged_set(name: str) -> list[dict[str, Any]]:
    """``old``, ``dev`` or ``held-out``."""
    if name == "old":
        path = BENCH / "search_queries.json"
        return list(json.loads(path.read_text(encoding="utf-8"))["queries"])
    queries = json.loads((BENCH / "search_needs.json").read_text(encoding="utf-8"))["queries"]
    return [q for q in queries if q["split"] == name]


def category(query: dict[str, Any]) -> str:
    """Need descriptions by language (need-fi, need-sv, need-en); the rest by kind."""
    return f"need-{query['lang']}" if query["kind"] == "need" else str(query["kind"])


def recall_at_5(found: list[str], relevant: dict[str, int]) -> float:
    hits = sum(1 for sid in found[:5] if sid in relevant)
    return hits / min(5, len(relevant))


def ndcg_at_10(found: list[str], relevant: dict[str, int]) -> float:
    dcg = sum(
        (2 ** relevant.get(sid, 0) - 1) / math.log2(i + 2) for i, sid in enumerate(found[:10])
    )
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def quality(
    queries: Iterable[dict[str, Any]],
    engine: Callable[[str, str], list[str]],
    grouping: Callable[[dict[str, Any]], str] = category,
) -> dict[str, tuple[float, float, int]]:
    """Category → (mean recall@5, mean nDCG@10, queries); ``ALL`` over every query."""
    by_group: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for query in queries:
        found = engine(query["q"], query["lang"])
        scores = (recall_at_5(found, query["relevant"]), ndcg_at_10(found, query["relevant"]))
        by_group[grouping(query)].append(scores)
        by_group["ALL"].append(scores)
    return {
        group: (statistics.mean(s[0] for s in v), statistics.mean(s[1] for s in v), len(v))
        for group, v in by_group.items()
    }
