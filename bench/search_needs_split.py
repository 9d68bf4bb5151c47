"""Builds bench/search_needs.json from the judged files and splits it once, at random, into a
development half and a held-out half (issue 18). Each stratum (kind × language) is shuffled
with its own seed derived from SEED and the stratum's name and dealt alternately, so the split
of one stratum does not depend on the others. Run once; the result is committed.

    .venv/bin/python bench/search_needs_split.py judged/fi_need.json judged/sven_other.json
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261205
OUT = Path(__file__).resolve().parent / "search_needs.json"


def main(paths: list[str]) -> None:
    queries = [q for path in paths for q in json.loads(Path(path).read_text("utf-8"))["queries"]]
    strata: dict[str, list[dict]] = defaultdict(list)
    for query in queries:
        strata[f"{query['kind']}-{query['lang']}"].append(query)
    for name, members in sorted(strata.items()):
        seed = int(hashlib.sha256(f"{SEED}:{name}".encode()).hexdigest()[:12], 16)
        members.sort(key=lambda q: q["q"])
        random.Random(seed).shuffle(members)
        first = random.Random(seed + 1).choice(["dev", "held-out"])
        second = "held-out" if first == "dev" else "dev"
        for i, query in enumerate(members):
            query["split"] = first if i % 2 == 0 else second
    ordered = sorted(queries, key=lambda q: (q["split"], q["kind"], q["lang"], q["q"]))
    about = (
        "Judged queries for issue 18, written apart from the search (bench/search_needs.md). "
        "Grades: 2 clearly relevant, 1 partly relevant, judged against "
        f"../shared/data/services_fi.json. Split once by bench/search_needs_split.py (seed {SEED}); "
        "nothing is tuned on the held-out half."
    )
    lines = ",\n".join("    " + json.dumps(q, ensure_ascii=False) for q in ordered)
    OUT.write_text(
        f'{{\n  "about": {json.dumps(about)},\n  "queries": [\n{lines}\n  ]\n}}\n', "utf-8"
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for query in queries:
        counts[(query["split"], f"{query['kind']}-{query['lang']}")] += 1
    for key in sorted(counts):
        print(*key, counts[key])


if __name__ == "__main__":
    main(sys.argv[1:])
