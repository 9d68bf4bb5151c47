"""Dense embeddings as a candidate for issue 18: does a packaged model help on the held-out half?

The issue admits dense embeddings only if the model ships inside a registry package under an
open licence (nothing downloaded at run time) and measurably wins on the held-out half. The one
such package found on PyPI is ``wordllama`` (MIT; static token embeddings of 256 dimensions,
16 MB inside the wheel). It is not a project dependency; to repeat the measurement:

    .venv/bin/pip install wordllama==0.4.0.post1
    .venv/bin/python bench/search_dense.py          # development half, every variant
    .venv/bin/python bench/search_dense.py --held-out   # the one variant chosen on dev
    .venv/bin/pip uninstall -y wordllama

Prints nDCG@10 per category for our search, the model alone (cosine between the query and each
service's name and description in the query's language) and reciprocal rank fusion of the two
(``k``, the model's weight, and the languages it is used for).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import search_quality  # noqa: E402
from measure import bench_database  # noqa: E402
from search_quality import demo_catalogue_import  # noqa: E402

from tyollisyystalo.catalogue.models import Service  # noqa: E402
from tyollisyystalo.catalogue.search.evaluation import judged_set, quality  # noqa: E402

Engine = Callable[[str, str], list[str]]
CHOSEN = (10, 0.3, ("en", "sv"))  # chosen on the development half, then run once on held-out


def model() -> Any:
    try:
        wordllama = importlib.import_module("wordllama")
    except ImportError:
        sys.exit("wordllama is not installed: .venv/bin/pip install wordllama==0.4.0.post1")
    # The wheel carries its tokenizer under tokenizers/; pointing the cache there avoids a download.
    package = Path(str(wordllama.__file__)).parent
    return wordllama.WordLlama.load(cache_dir=package, disable_download=True)


ours = partial(search_quality.ours, limit=30)  # fusion draws on the first 30


def engines(wl: Any, held_out: bool) -> dict[str, Engine]:
    import numpy as np

    services = list(Service.objects.all())
    ids = [s.source_id for s in services]
    vectors = {
        lang: wl.embed(
            [
                f"{getattr(s, f'name_{lang}') or s.name_fi}. "
                f"{getattr(s, f'description_{lang}') or s.description_fi}"
                for s in services
            ],
            norm=True,
        )
        for lang in ("fi", "sv", "en")
    }

    def dense(q: str, lang: str) -> list[str]:
        similarity = vectors[lang] @ wl.embed([q], norm=True)[0]
        return [ids[i] for i in np.argsort(-similarity)[:30]]

    def fused(k: int, weight: float, languages: Collection[str]) -> Engine:
        def engine(q: str, lang: str) -> list[str]:
            first = ours(q, lang)
            if lang not in languages:
                return first[:10]
            score: dict[str, float] = {}
            for rank, sid in enumerate(first):
                score[sid] = score.get(sid, 0.0) + 1 / (k + rank)
            for rank, sid in enumerate(dense(q, lang)):
                score[sid] = score.get(sid, 0.0) + weight / (k + rank)
            return sorted(score, key=lambda sid: -score[sid])[:10]

        return engine

    k, weight, languages = CHOSEN
    chosen = {f"rrf k={k} w={weight} {'+'.join(languages)}": fused(k, weight, languages)}
    if held_out:
        return {"ours": ours, **chosen}
    every = ("fi", "sv", "en")
    return {
        "ours": ours,
        "model alone": dense,
        "rrf k=60 w=1": fused(60, 1.0, every),
        "rrf k=60 w=0.25": fused(60, 0.25, every),
        "rrf k=10 w=0.3": fused(10, 0.3, every),
        "rrf k=10 w=0.3 en": fused(10, 0.3, ("en",)),
        **chosen,
        "rrf k=10 w=0.5 en+sv": fused(10, 0.5, ("en", "sv")),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", action="store_true")
    args = parser.parse_args()
    wl = model()
    with bench_database():
        demo_catalogue_import()
        queries = judged_set("held-out" if args.held_out else "dev")
        print(f"{'held-out' if args.held_out else 'dev'}: {len(queries)} queries, nDCG@10")
        for name, engine in engines(wl, args.held_out).items():
            figures = quality(queries, engine)
            print(f"{name:<22}", " ".join(f"{c}={v[1]:.3f}" for c, v in sorted(figures.items())))


if __name__ == "__main__":
    main()
