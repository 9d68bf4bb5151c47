"""Catalogue search: quality on the judged query set and speed at 140 and 10,000 services.

Side by side, in one run, with PostgreSQL's built-in full-text search (``to_tsvector('finnish'
| 'swedish' | 'english', name || description) @@ plainto_tsquery(...)`` ranked by ``ts_rank``)
on the same data. Run against PostgreSQL for the baseline column:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_dev .venv/bin/python bench/search_quality.py

Prints recall@5 and nDCG@10 per query kind and overall, then p50/p95 latency of
GET /api/v1/catalogue/search over the query set at 140 and at 10,000 services (synthetic
variants of the demo services), with SQL queries per request and peak Python memory.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from measure import summary, traced  # noqa: E402

from tyollisyystalo.catalogue.models import Attribute, Service, ServiceArea, ServiceLanguage  # noqa: E402
from tyollisyystalo.catalogue.search.index import search_index_rebuild  # noqa: E402
from tyollisyystalo.catalogue.search.query import catalogue_search  # noqa: E402
from tyollisyystalo.catalogue.services import catalogue_import  # noqa: E402
from tyollisyystalo.organisations.models import Municipality  # noqa: E402

QUERIES = json.loads((ROOT / "bench" / "search_queries.json").read_text(encoding="utf-8"))[
    "queries"
]
CONFIG = {"fi": "finnish", "sv": "swedish", "en": "english"}


def ours(q: str, lang: str) -> list[str]:
    return [h.service.source_id for h in catalogue_search(q=q, language=lang, limit=10).hits]


def baseline(q: str, lang: str) -> list[str]:
    config = CONFIG[lang]
    document = f"coalesce(name_{lang}, '') || ' ' || coalesce(description_{lang}, '')"
    sql = (
        f"SELECT source_id FROM catalogue_service WHERE to_tsvector(%s, {document}) "
        f"@@ plainto_tsquery(%s, %s) ORDER BY ts_rank(to_tsvector(%s, {document}), "
        f"plainto_tsquery(%s, %s)) DESC, source_id LIMIT 10"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [config, config, q, config, config, q])
        return [row[0] for row in cursor.fetchall()]


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


def quality(engine: Callable[[str, str], list[str]]) -> dict[str, tuple[float, float, int]]:
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for query in QUERIES:
        found = engine(query["q"], query["lang"])
        scores = (recall_at_5(found, query["relevant"]), ndcg_at_10(found, query["relevant"]))
        by_kind[query["kind"]].append(scores)
        by_kind["ALL"].append(scores)
    return {
        kind: (statistics.mean(s[0] for s in v), statistics.mean(s[1] for s in v), len(v))
        for kind, v in by_kind.items()
    }


def latency(client: Client, repeats: int) -> dict[str, float]:
    def call(query: dict[str, str]) -> Any:
        return client.get("/api/v1/catalogue/search", {"q": query["q"], "lang": query["lang"]})

    for query in QUERIES:  # warm-up: vocabulary cache, Voikko
        call(query)
    times = []
    for _ in range(repeats):
        for query in QUERIES:
            started = time.perf_counter()
            response = call(query)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
    return summary(times, [traced(partial(call, q)) for q in QUERIES[:10]])


def grow_to(total: int) -> None:
    """Synthetic variants of the demo services until there are ``total`` services."""
    originals = list(
        Service.objects.select_related("organization").prefetch_related(
            "attributes", "languages", "service_areas"
        )
    )
    municipalities = list(Municipality.objects.all())
    created = 0
    round_no = 0
    while Service.objects.count() < total:
        round_no += 1
        batch: list[tuple[Service, Service]] = []
        for original in originals:
            if Service.objects.count() + len(batch) >= total:
                break
            place = municipalities[(round_no + created) % len(municipalities)].name_fi
            copy = Service(
                source_id=f"{original.source_id}-v{round_no}",
                organization=original.organization,
                name_fi=f"{original.name_fi} ({place}, {round_no})",
                name_sv=original.name_sv,
                name_en=original.name_en,
                description_fi=original.description_fi,
                application_process_fi=original.application_process_fi,
                is_free=original.is_free,
                fees_description_fi=original.fees_description_fi,
            )
            batch.append((copy, original))
            created += 1
        Service.objects.bulk_create([c for c, _ in batch], batch_size=1000)
        Attribute.objects.bulk_create(
            [
                Attribute(service=c, taxonomy_term_id=a.taxonomy_term_id)
                for c, o in batch
                for a in o.attributes.all()
            ],
            batch_size=5000,
        )
        ServiceLanguage.objects.bulk_create(
            [
                ServiceLanguage(service=c, code=lang.code, name=lang.name)
                for c, o in batch
                for lang in o.languages.all()
            ],
            batch_size=5000,
        )
        ServiceArea.objects.bulk_create(
            [
                ServiceArea(
                    service=c,
                    name=a.name,
                    extent_type=a.extent_type,
                    municipality_id=a.municipality_id,
                )
                for c, o in batch
                for a in o.service_areas.all()
            ],
            batch_size=5000,
        )
        search_index_rebuild([c.pk for c, _ in batch])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment(debug=False)  # production settings: no SQL capture, no template debug
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä")):
            Municipality.objects.create(code=code, name_fi=name, name_sv=name)
        data = json.loads(
            (ROOT.parent / "shared" / "data" / "services_fi.json").read_text(encoding="utf-8")
        )
        started = time.perf_counter()
        catalogue_import(data=data)
        print(
            f"Imported and indexed 140 services in {time.perf_counter() - started:.1f} s ({connection.vendor})"
        )
        ours_q = quality(ours)
        base_q = quality(baseline) if connection.vendor == "postgresql" else None
        print(f"\nSearch quality, {len(QUERIES)} judged queries (bench/search_queries.json)")
        print(
            f"{'kind':<16}{'n':>4} | {'ours recall@5':>14} {'nDCG@10':>8} | {'PG FTS recall@5':>16} {'nDCG@10':>8}"
        )
        for kind in sorted(ours_q, key=lambda k: (k == "ALL", k)):
            r, n, count = ours_q[kind]
            b = (
                f"{base_q[kind][0]:16.2f} {base_q[kind][1]:8.2f}"
                if base_q
                else f"{'n/a':>16} {'n/a':>8}"
            )
            print(f"{kind:<16}{count:>4} | {r:14.2f} {n:8.2f} | {b}")
        client = Client()
        small = latency(client, args.repeats)
        started = time.perf_counter()
        grow_to(args.large)
        print(
            f"\nGrew to {Service.objects.count():,} services in {time.perf_counter() - started:.0f} s"
        )
        large = latency(client, args.repeats)
        print(
            f"\nGET /api/v1/catalogue/search, {len(QUERIES)} queries x {args.repeats} ({connection.vendor})"
        )
        print(
            f"{'services':>9} | {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'queries':>8} {'peak KiB':>9}"
        )
        for size, row in ((140, small), (args.large, large)):
            print(
                f"{size:>9,} | {row['p50']:7.1f} {row['p95']:7.1f} {row['rps']:6.0f} {row['queries']:8.0f} {row['peak_kib']:9.0f}"
            )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
