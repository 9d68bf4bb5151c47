"""Batch screening of a population (e.g. Kela's list of people on prolonged social assistance).

Streams JSON Lines (``{"id": "...", "facts": {...}}``) or CSV (an ``id`` column and one column
per fact) and writes one JSON line per input row, in input order. Memory stays constant: input
is cut into blocks of whole lines that worker processes parse, evaluate and encode, with at most
``2 × workers`` blocks in flight. Workers append their output to the target file themselves, in
block order, so the results never pass through the parent process. A bad row is written with its
error and the run goes on; only unusable input (an unknown rule, an unreadable file, a CSV header
naming an unknown fact) stops the run with ``ScreeningError``.

``detail="full"`` (the default) writes each row's reasons and sources; ``detail="decision"``
writes the decision, the missing facts and the values only, for the fastest screening.
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
from typing import IO, Annotated, Any, Literal

import msgspec
import orjson

from tyollisyystalo.rules.evaluation import Condition, Evaluation, Source
from tyollisyystalo.rules.facts import (
    FACT_SPECS,
    FactError,
    Facts,
    FactSpec,
    facts_from_mapping,
    facts_from_validated,
)
from tyollisyystalo.rules.parameters import params_on
from tyollisyystalo.rules.registry import RULES

BLOCK_BYTES = 1 << 21  # about 5,000 JSON lines
CSV_CHUNK_ROWS = 5000
DETAILS = ("full", "decision")


class ScreeningError(ValueError):
    """The input as a whole cannot be used."""


@dataclass
class ScreeningResult:
    rows: int = 0
    errors: int = 0
    decisions: dict[str, int] | None = None


_MET = {True: b"true", False: b"false", None: b"null"}


def _input_type(spec: FactSpec) -> Any:
    if spec.kind == "date":
        return dt.date | None
    if spec.kind == "bool":
        return bool | None
    if spec.kind == "int":
        return Annotated[int, msgspec.Meta(ge=0, le=spec.maximum)] | None
    return Literal[spec.choices] | None


# The JSON Lines input schema, from the facts vocabulary: msgspec validates a row (types,
# bounds, choices, unknown facts) while it parses, in C. A row it refuses goes through
# ``facts_from_mapping``, the one validator with the messages people read, so the fast path only
# ever accepts what that would accept.
_FactsInput = msgspec.defstruct(
    "_FactsInput",
    [(name, _input_type(spec), None) for name, spec in FACT_SPECS.items()],
    frozen=True,
    forbid_unknown_fields=True,
    gc=False,
)
_RowInput = msgspec.defstruct(
    "_RowInput", [("facts", _FactsInput), ("id", Any, msgspec.UNSET)], gc=False
)
_row_decoder = msgspec.json.Decoder(_RowInput)
_as_dict = msgspec.structs.asdict


def _facts_of(row: Any) -> Facts:
    """``Facts`` from a row msgspec has validated; every fact is present (None when unknown)."""
    return facts_from_validated(_as_dict(row.facts))


class _Encoder:
    """Writes a row's result as JSON bytes; the parts that are the same on every row (rule,
    date, each condition's id and text, the sources) are serialised once and reused."""

    def __init__(self, rule_id: str, on: dt.date, detail: str) -> None:
        self.rule_id = rule_id
        self.on = on
        self.full = detail == "full"
        self.head = b',"rule":' + orjson.dumps(rule_id) + b',"on":' + orjson.dumps(on)
        # Conditions hash by identity; one block has one date, so one tuple of sources.
        self._conditions: dict[Condition, bytes] = {}
        self._sources: tuple[tuple[Source, ...], bytes] | None = None

    def _condition(self, condition: Condition) -> bytes:
        prefix = self._conditions.get(condition)
        if prefix is None:
            data = orjson.dumps({"condition": condition.id, "text": condition.rendered})
            prefix = self._conditions[condition] = data[:-1] + b',"met":'
        return prefix

    def _source_list(self, sources: tuple[Source, ...]) -> bytes:
        if self._sources is None or self._sources[0] is not sources:
            self._sources = (sources, orjson.dumps([s.as_dict() for s in sources]))
        return self._sources[1]

    def row(self, row_id: Any, evaluation: Evaluation) -> bytes:
        dumps = orjson.dumps
        parts = [
            b'{"id":',
            dumps(row_id),
            self.head,
            b',"decision":"',
            evaluation.decision.encode(),
            b'","missing_facts":',
            dumps(evaluation.missing_facts),
        ]
        if self.full:
            parts.append(b',"reasons":[')
            condition = self._condition
            for index, (cond, met, facts) in enumerate(evaluation.reasons):
                if index:
                    parts.append(b",")
                parts += (condition(cond), _MET[met], b',"facts":', dumps(facts), b"}")
            parts += (b'],"sources":', self._source_list(evaluation.sources))
        parts += (b',"values":', dumps(evaluation.values), b"}")
        return b"".join(parts)

    def error(self, row_id: Any, message: str, **details: Any) -> bytes:
        error: dict[str, Any] = {"message": message, **details}
        return orjson.dumps({"id": row_id, "rule": self.rule_id, "on": self.on, "error": error})


@dataclass(frozen=True)
class _Task:
    index: int
    rule_id: str
    on: dt.date
    detail: str
    kind: str
    first_line: int
    payload: Any  # JSON Lines: a block of whole lines; CSV: a list of (line number, row)


def _jsonl_rows(block: bytes, first_line: int) -> Iterator[tuple[int, bytes]]:
    for offset, line in enumerate(block.split(b"\n")):
        if line.strip():
            yield first_line + offset, line


def _evaluate_rows(task: _Task) -> tuple[bytes, dict[str, int], int]:
    """Evaluate one block; returns the output bytes, decision counts and the error count."""
    function = RULES[task.rule_id].function
    encoder = _Encoder(task.rule_id, task.on, task.detail)
    on = task.on
    out: list[bytes] = []
    counts = {"yes": 0, "no": 0, "unknown": 0}
    errors = 0
    jsonl = task.kind == "jsonl"
    decode = _row_decoder.decode
    explain = task.detail == "full"
    payload = task.payload
    if isinstance(payload, tuple):
        assert _source_fd is not None
        offset, length = payload
        payload = os.pread(_source_fd, length, offset)
    rows: Iterable[tuple[int, Any]] = _jsonl_rows(payload, task.first_line) if jsonl else payload
    for line_no, raw in rows:
        row_id: Any = line_no
        try:
            if jsonl:
                try:
                    row: Any = decode(raw)
                except msgspec.DecodeError:
                    record = orjson.loads(raw)
                    if not isinstance(record, dict) or not isinstance(record.get("facts"), dict):
                        raise ValueError('expected {"id": ..., "facts": {...}}') from None
                    row_id = record.get("id", line_no)
                    facts = facts_from_mapping(record["facts"])
                else:
                    row_id = line_no if row.id is msgspec.UNSET else row.id
                    facts = _facts_of(row)
            else:
                row_id = raw.pop("id", line_no) or line_no
                facts = facts_from_mapping(raw, text=True)
        except FactError as exc:
            errors += 1
            out.append(encoder.error(row_id, "invalid facts", line=line_no, facts=exc.errors))
            continue
        except (ValueError, orjson.JSONDecodeError) as exc:
            errors += 1
            out.append(encoder.error(row_id, str(exc), line=line_no))
            continue
        evaluation = function(facts, on, explain)
        counts[evaluation.decision] += 1
        out.append(encoder.row(row_id, evaluation))
    out.append(b"")
    return b"\n".join(out), counts, errors


# Set in each worker process (see ``screen``): the source to read blocks from by reference,
# and the target the workers append their output to in block order.
_source_fd: int | None = None
_ordered_output: tuple[int, Any, Any] | None = None


def _init_worker(source_fd: int | None, output: tuple[int, Any, Any] | None) -> None:
    global _source_fd, _ordered_output
    _source_fd, _ordered_output = source_fd, output


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _screen_task(task: _Task) -> tuple[bytes, dict[str, int], int]:
    """Evaluate a block; with ordered output, append it to the target when its turn comes."""
    if _ordered_output is None:
        return _evaluate_rows(task)
    fd, turn, condition = _ordered_output
    output: tuple[bytes, dict[str, int], int] | None = None
    try:
        output = _evaluate_rows(task)
    finally:
        # The turn passes on even if this block failed, so no other worker waits for ever; the
        # parent sees the failure from this task's result and stops the run.
        with condition:
            condition.wait_for(lambda: turn.value == task.index)
            try:
                if output is not None:
                    _write_all(fd, output[0])
            finally:
                turn.value += 1
                condition.notify_all()
    _data, counts, errors = output
    return b"", counts, errors


def _jsonl_blocks(stream: IO[bytes], by_reference: bool) -> Iterator[tuple[int, Any]]:
    """Blocks of whole lines, each with the number of its first line.

    ``by_reference`` (a seekable file): a block is given as its (offset, length) in the file,
    which the worker reads itself, so the input is neither copied nor sent by the parent.
    """
    line_no, rest = 1, b""
    offset = stream.tell() if by_reference else 0
    while True:
        data = stream.read(BLOCK_BYTES)
        if not data:
            if rest:
                yield line_no, (offset, len(rest)) if by_reference else rest
            return
        if rest:  # a line longer than a block, or the tail of the last one when streaming
            data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        if by_reference:
            rest = b""
            stream.seek(offset + cut)  # the partial last line is read again with the next block
            yield line_no, (offset, cut)
        else:
            rest = data[cut:]
            yield line_no, data[:cut]
        offset += cut
        line_no += data.count(b"\n", 0, cut)


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


def _csv_chunks(stream: IO[bytes]) -> Iterator[tuple[int, list[tuple[int, dict[str, str]]]]]:
    rows = _csv_rows(stream)
    while chunk := list(itertools.islice(rows, CSV_CHUNK_ROWS)):
        yield chunk[0][0], chunk


def _file_descriptor(target: IO[bytes]) -> int | None:
    try:
        return target.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def screen(
    *,
    rule_id: str,
    on: dt.date,
    source: IO[bytes],
    target: IO[bytes],
    kind: str,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    detail: str = "full",
) -> ScreeningResult:
    """Screen every row of ``source`` into ``target``. See the module docstring."""
    if rule_id not in RULES:
        raise ScreeningError(f"unknown rule: {rule_id}")
    params_on(rule_id, on)  # DateOutOfRange before anything is read
    if kind not in {"jsonl", "csv"}:
        raise ScreeningError(f"unknown input format: {kind}")
    if detail not in DETAILS:
        raise ScreeningError(f"unknown detail: {detail}")
    result = ScreeningResult(decisions={"yes": 0, "no": 0, "unknown": 0})
    workers = workers or os.cpu_count() or 1

    def consume(outputs: Iterable[tuple[bytes, dict[str, int], int]]) -> None:
        assert result.decisions is not None
        for data, counts, errors in outputs:
            if data:
                target.write(data)
            done = sum(counts.values()) + errors
            result.rows += done
            result.errors += errors
            for key, value in counts.items():
                result.decisions[key] += value
            if progress:
                progress(done)

    fork = workers > 1 and os.name == "posix"
    source_fd = _file_descriptor(source) if fork and kind == "jsonl" and source.seekable() else None
    if kind == "jsonl":
        blocks: Iterator[tuple[int, Any]] = _jsonl_blocks(source, source_fd is not None)
    else:
        blocks = _csv_chunks(source)
    tasks = (
        _Task(index, rule_id, on, detail, kind, first_line, payload)
        for index, (first_line, payload) in enumerate(blocks)
    )
    if workers <= 1:
        consume(map(_evaluate_rows, tasks))
        return result
    context = multiprocessing.get_context("fork" if fork else "spawn")
    target_fd = _file_descriptor(target) if fork else None
    output = None
    if target_fd is not None:
        target.flush()  # the workers append after what is already written
        output = (target_fd, context.Value("q", 0, lock=False), context.Condition())
    with context.Pool(workers, _init_worker, (source_fd, output)) as pool:
        pending: list[Any] = []
        for task in tasks:
            pending.append(pool.apply_async(_screen_task, (task,)))
            if len(pending) >= 2 * workers:
                consume([pending.pop(0).get()])
        consume(p.get() for p in pending)
    return result
