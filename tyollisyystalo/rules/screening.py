"""Batch screening of a population (e.g. Kela's list of people on prolonged social assistance).

Streams JSON Lines (``{"id": "...", "facts": {...}}``) or CSV (an ``id`` column and one column
per fact) and writes one JSON line per input row, in input order. Memory stays constant: rows are
read, evaluated and written in chunks, with at most ``2 × workers`` chunks in flight. A bad row
is written with its error and the run goes on; only unusable input (an unknown rule, an
unreadable file, a CSV header naming an unknown fact) stops the run with ``ScreeningError``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from tyollisyystalo.rules.facts import FACT_SPECS, FactError, facts_from_mapping
from tyollisyystalo.rules.parameters import params_on
from tyollisyystalo.rules.registry import RULES

CHUNK_ROWS = 5000


class ScreeningError(ValueError):
    """The input as a whole cannot be used."""


@dataclass
class ScreeningResult:
    rows: int = 0
    errors: int = 0
    decisions: dict[str, int] | None = None


def _error_line(row_id: Any, rule: str, on: dt.date, message: str, **details: Any) -> bytes:
    error: dict[str, Any] = {"message": message, **details}
    return orjson.dumps({"id": row_id, "rule": rule, "on": on, "error": error})


def _screen_chunk(args: tuple[str, dt.date, str, list[Any]]) -> tuple[bytes, dict[str, int], int]:
    """Evaluate one chunk; returns the output bytes, decision counts and the error count."""
    rule_id, on, kind, rows = args
    function = RULES[rule_id].function
    out: list[bytes] = []
    counts = {"yes": 0, "no": 0, "unknown": 0}
    errors = 0
    dumps = orjson.dumps
    for line_no, raw in rows:
        row_id: Any = line_no
        try:
            if kind == "jsonl":
                record = orjson.loads(raw)
                if not isinstance(record, dict) or not isinstance(record.get("facts"), dict):
                    raise ValueError('expected {"id": ..., "facts": {...}}')
                row_id = record.get("id", line_no)
                facts = facts_from_mapping(record["facts"])
            else:
                row_id = raw.pop("id", line_no) or line_no
                facts = facts_from_mapping(raw, text=True)
        except FactError as exc:
            errors += 1
            out.append(
                _error_line(row_id, rule_id, on, "invalid facts", line=line_no, facts=exc.errors)
            )
            continue
        except (ValueError, orjson.JSONDecodeError) as exc:
            errors += 1
            out.append(_error_line(row_id, rule_id, on, str(exc), line=line_no))
            continue
        record_out = function(facts, on).as_record()
        counts[record_out["decision"]] += 1
        record_out["id"] = row_id
        out.append(dumps(record_out))
    out.append(b"")
    return b"\n".join(out), counts, errors


def _jsonl_rows(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for line_no, line in enumerate(stream, start=1):
        if line.strip():
            yield line_no, line


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            return
        header = [h.strip() for h in header]
        unknown = [h for h in header if h != "id" and h not in FACT_SPECS]
        if unknown:
            raise ScreeningError(f"unknown columns in the CSV header: {', '.join(unknown)}")
        for line_no, row in enumerate(reader, start=2):
            if row:
                yield line_no, dict(zip(header, row, strict=False))
    finally:
        text.detach()  # the caller owns (and closes) the binary stream


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def screen(
    *,
    rule_id: str,
    on: dt.date,
    source: IO[bytes],
    target: IO[bytes],
    kind: str,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScreeningResult:
    """Screen every row of ``source`` into ``target``. See the module docstring."""
    if rule_id not in RULES:
        raise ScreeningError(f"unknown rule: {rule_id}")
    params_on(rule_id, on)  # DateOutOfRange before anything is read
    if kind not in {"jsonl", "csv"}:
        raise ScreeningError(f"unknown input format: {kind}")
    rows = _jsonl_rows(source) if kind == "jsonl" else _csv_rows(source)
    tasks = ((rule_id, on, kind, chunk) for chunk in _chunks(rows, CHUNK_ROWS))
    result = ScreeningResult(decisions={"yes": 0, "no": 0, "unknown": 0})
    assert result.decisions is not None
    workers = workers or os.cpu_count() or 1

    def consume(outputs: Iterable[tuple[bytes, dict[str, int], int]]) -> None:
        assert result.decisions is not None
        for data, counts, errors in outputs:
            target.write(data)
            done = sum(counts.values()) + errors
            result.rows += done
            result.errors += errors
            for key, value in counts.items():
                result.decisions[key] += value
            if progress:
                progress(done)

    if workers <= 1:
        consume(map(_screen_chunk, tasks))
        return result
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers) as pool:
        pending: list[Any] = []
        for task in tasks:
            pending.append(pool.apply_async(_screen_chunk, (task,)))
            if len(pending) >= 2 * workers:
                consume([pending.pop(0).get()])
        consume(p.get() for p in pending)
    return result
