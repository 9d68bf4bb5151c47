"""Catalogue search: quality on three judged sets and speed at 140 and 10,000 services.

Side by side, in one run, with two references on the same data: plain BM25 over Voikko base
forms of every text field (``bm25_reference.py``, both databases) and PostgreSQL's built-in
full-text search (``to_tsvector('finnish' | 'swedish' | 'english', name || description) @@
plainto_tsquery(...)`` ranked by ``ts_rank``; PostgreSQL only):

    .venv/bin/python bench/search_quality.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_dev .venv/bin/python bench/search_quality.py

The sets: ``old`` (bench/search_queries.json, issue 3: the search was tuned on it), ``dev``
and ``held-out`` (bench/search_needs.json, issue 18: nothing is tuned on the held-out half).
Prints recall@5 and nDCG@10 per category for each, then p50/p95 latency of
GET /api/v1/catalogue/search over every judged query at 140 and at 10,000 services (synthetic
variants of the demo services) beside the references' latency, with SQL queries per request
and peak Python memory. ``--sets dev --no-latency`` is the quick loop for tuning.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bm25_reference import BM25  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from measure import summary, traced  # noqa: E402

from tyollisyystalo.catalogue.models import Attribute, Service, ServiceArea, ServiceLanguage  # noqa: E402
from tyollisyystalo.catalogue.search.evaluation import judged_set, quality  # noqa: E402
from tyollisyystalo.catalogue.search.index import search_index_rebuild  # noqa: E402
from tyollisyystalo.catalogue.search.query import catalogue_search  # noqa: E402
from tyollisyystalo.catalogue.services import catalogue_import  # noqa: E402
from tyollisyystalo.organisations.models import Municipality  # noqa: E402

SETS = ("old", "dev", "held-out")
CONFIG = {"fi": "finnish", "sv": "swedish", "en": "english"}
Engine = Callable[[str, str], list[str]]


def ours(q: str, lang: str, interface: str | None = None, limit: int = 10) -> list[str]:
    hits = catalogue_search(q=q, language=interface or lang, limit=limit).hits
    return [h.service.source_id for h in hits]


def demo_catalogue_import() -> None:
    """The demo region's municipalities and the demo catalogue, into the current database."""
    for code, name in (("X01", "Esimerkkilä"), ("X02", "Pohjala"), ("X03", "Järvikylä")):
        Municipality.objects.create(code=code, name_fi=name, name_sv=name)
    data = json.loads(
        (ROOT.parent / "shared" / "data" / "services_fi.json").read_text(encoding="utf-8")
    )
    catalogue_import(data=data)


def bm25_engine() -> Engine:
    indexes = {lang: BM25(lang) for lang in CONFIG}
    return lambda q, lang: indexes[lang].search(q)


def pg_fts(q: str, lang: str) -> list[str]:
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


def print_quality(name: str, queries: list[dict[str, Any]], engines: dict[str, Engine]) -> None:
    results = {label: quality(queries, engine) for label, engine in engines.items()}
    print(f"\n{name}: {len(queries)} judged queries")
    print(f"{'category':<12}{'n':>4} | " + " | ".join(f"{label:>18}" for label in engines))
    print(f"{'':<16} | " + " | ".join(f"{'recall@5':>9}{'nDCG@10':>9}" for _ in engines))
    first = results[next(iter(engines))]
    for group in sorted(first, key=lambda k: (k == "ALL", k)):
        cells = " | ".join(
            f"{results[label][group][0]:9.2f}{results[label][group][1]:9.2f}" for label in engines
        )
        print(f"{group:<12}{first[group][2]:>4} | {cells}")


def latency(client: Client, queries: list[dict[str, Any]], repeats: int) -> dict[str, float]:
    def call(query: dict[str, str]) -> Any:
        return client.get("/api/v1/catalogue/search", {"q": query["q"], "lang": query["lang"]})

    for query in queries:  # warm-up: vocabulary cache, Voikko
        call(query)
    times = []
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            response = call(query)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
    return summary(times, [traced(partial(call, q)) for q in queries[:10]])


def engine_latency(engine: Engine, queries: list[dict[str, Any]], repeats: int) -> dict[str, float]:
    times = []
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            engine(query["q"], query["lang"])
            times.append((time.perf_counter() - started) * 1000)
    return summary(times, [traced(partial(engine, q["q"], q["lang"])) for q in queries[:10]])


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
                description_sv=original.description_sv,
                description_en=original.description_en,
                application_process_fi=original.application_process_fi,
                application_process_sv=original.application_process_sv,
                application_process_en=original.application_process_en,
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
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--no-latency", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment(debug=False)  # production settings: no SQL capture, no template debug
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        demo_catalogue_import()
        print(
            f"Imported and indexed 140 services in {time.perf_counter() - started:.1f} s ({connection.vendor})"
        )
        engines: dict[str, Engine] = {"ours": ours, "BM25 Voikko": bm25_engine()}
        if connection.vendor == "postgresql":
            engines["PG finnish FTS"] = pg_fts
        sets = {name: judged_set(name) for name in args.sets}
        for name, queries in sets.items():
            print_quality(name, queries, engines)
        for name in ("dev", "held-out"):
            foreign = [q for q in sets.get(name, []) if q["lang"] != "fi"]
            if foreign:
                print_quality(
                    f"{name}: Swedish and English queries in the Finnish interface",
                    foreign,
                    {"ours": partial(ours, interface="fi")},
                )
        if args.no_latency:
            return
        everything = [q for queries in sets.values() for q in queries]
        client = Client()
        rows = [(140, "ours (API)", latency(client, everything, args.repeats))]
        started = time.perf_counter()
        grow_to(args.large)
        print(
            f"\nGrew to {Service.objects.count():,} services in {time.perf_counter() - started:.0f} s"
        )
        rows.append((args.large, "ours (API)", latency(client, everything, args.repeats)))
        rows.append(
            (args.large, "BM25 Voikko", engine_latency(bm25_engine(), everything, args.repeats))
        )
        if connection.vendor == "postgresql":
            rows.append(
                (args.large, "PG finnish FTS", engine_latency(pg_fts, everything, args.repeats))
            )
        print(
            f"\nSearch latency, {len(everything)} queries x {args.repeats} ({connection.vendor}); "
            "the references are timed as functions (no HTTP)"
        )
        print(
            f"{'services':>9} {'engine':<16} | {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'queries':>8} {'peak KiB':>9}"
        )
        for size, label, row in rows:
            print(
                f"{size:>9,} {label:<16} | {row['p50']:7.1f} {row['p95']:7.1f} {row['rps']:6.0f} "
                f"{row['queries']:8.0f} {row['peak_kib']:9.0f}"
            )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
