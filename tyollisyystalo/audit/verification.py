"""Verifying every chain of the access log in one consistent snapshot (ADR 0019, 0024)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from tyollisyystalo.audit import chain
from tyollisyystalo.audit.checkpoints import Checkpoint
from tyollisyystalo.audit.erasure import anchor_verifies
from tyollisyystalo.audit.models import AccessLogEntry, ChainHead, LogErasureAnchor


@dataclass
class Verification:
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Per chain, the newest erasure anchor whose signature verifies: (seq, hash).
    anchors: dict[str, tuple[int, str]] = field(default_factory=dict)
    breaks: list[chain.Break] = field(default_factory=list)
    checkpoint_problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    checkpoints_covered: int = 0  # at or below an erasure anchor: covered by it, not checked

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.checkpoint_problems

    @property
    def entries(self) -> int:
        return sum(seq for seq, _ in self.heads.values())


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Every query inside sees the database as of one moment, while appends go on.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite (WAL): a deferred read
    transaction, which holds its snapshot without blocking writers. Inside a caller's
    transaction, that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        yield


def _chain_rows(name: str, batch_size: int, after: int = 0) -> Iterator[dict[str, object]]:
    fields = ["chain", *chain.CHAINED_FIELDS, "hash"]
    last = after
    while True:
        batch = list(
            AccessLogEntry.objects.filter(chain=name, seq__gt=last)
            .order_by("seq")
            .values(*fields)[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last = int(str(batch[-1]["seq"]))


def _check_checkpoints(
    result: Verification, checkpoints: Sequence[Checkpoint], batch_size: int
) -> None:
    by_chain: dict[str, list[Checkpoint]] = defaultdict(list)
    for checkpoint in checkpoints:
        by_chain[checkpoint.chain].append(checkpoint)
    for name, marks in sorted(by_chain.items()):
        latest = max(marks, key=lambda c: c.seq)
        head_seq, _ = result.heads.get(name, (0, chain.GENESIS))
        if name not in result.heads:
            result.checkpoint_problems.append(
                f"chain {name}: checkpointed at entry {latest.seq} but has no head"
            )
        elif head_seq < latest.seq:
            result.checkpoint_problems.append(
                f"chain {name}: head at entry {head_seq} is behind the checkpoint at "
                f"entry {latest.seq} ({latest.at:%Y-%m-%d %H:%M:%S} UTC): entries were removed"
            )
        anchored_seq, anchored_hash = result.anchors.get(name, (0, chain.GENESIS))
        covered = [c for c in marks if c.seq <= anchored_seq]
        marks = [c for c in marks if c.seq > anchored_seq]
        for mark in covered:
            if mark.seq == anchored_seq and mark.hash != anchored_hash:
                result.checkpoint_problems.append(
                    f"chain {name}: entry {mark.seq} differs from its checkpoint: the erasure "
                    "anchor names another hash"
                )
            result.checkpoints_covered += 1
        wanted = sorted({c.seq for c in marks})
        stored: dict[int, str] = {}
        for start in range(0, len(wanted), batch_size):
            stored.update(
                AccessLogEntry.objects.filter(
                    chain=name, seq__in=wanted[start : start + batch_size]
                ).values_list("seq", "hash")
            )
        for mark in sorted(marks, key=lambda c: c.seq):
            result.checkpoints_checked += 1
            if mark.seq not in stored:
                result.checkpoint_problems.append(
                    f"chain {name}: entry {mark.seq} of a checkpoint is missing"
                )
            elif stored[mark.seq] != mark.hash:
                result.checkpoint_problems.append(
                    f"chain {name}: entry {mark.seq} differs from its checkpoint: rewritten"
                )


def _check_anchors(result: Verification) -> set[str]:
    """Check every erasure anchor's signature; each chain starts at its newest good one.

    A forged or altered anchor is a break; the chain then starts at the anchor before it (or
    at the beginning), so the entries deleted under the bad anchor show up as missing.
    """
    chains: set[str] = set()
    for anchor in LogErasureAnchor.objects.order_by("chain", "-seq").iterator(chunk_size=2000):
        chains.add(anchor.chain)
        if not anchor_verifies(anchor):
            result.breaks.append(
                chain.Break(
                    int(anchor.seq),
                    "erasure anchor does not verify: forged or altered",
                    anchor.chain,
                )
            )
        elif anchor.chain not in result.anchors:
            result.anchors[anchor.chain] = (int(anchor.seq), anchor.hash)
    return chains


def access_log_verify(
    *, checkpoints: Sequence[Checkpoint] = (), batch_size: int = 5000
) -> Verification:
    """Walk every chain in ascending order in bounded memory, heads and rows in one snapshot.

    A chain erased through an anchor is walked from the anchor (ADR 0024).
    """
    result = Verification()
    with read_snapshot():
        result.heads = {
            name: (seq, digest)
            for name, seq, digest in ChainHead.objects.order_by("chain").values_list(
                "chain", "seq", "hash"
            )
        }
        with_rows = set(
            AccessLogEntry.objects.order_by().values_list("chain", flat=True).distinct()
        )
        for name in sorted(with_rows - set(result.heads)):
            result.breaks.append(chain.Break(0, "has entries but no head", name))
        anchored = _check_anchors(result)
        for name in sorted(set(result.heads) | with_rows | anchored):
            head_seq, head_hash = result.heads.get(name, (0, chain.GENESIS))
            start_seq, start_hash = result.anchors.get(name, (0, chain.GENESIS))
            result.breaks.extend(
                chain.verify(
                    _chain_rows(name, batch_size, after=start_seq),
                    head_seq,
                    head_hash,
                    chain=name,
                    start_seq=start_seq,
                    start_hash=start_hash,
                )
            )
        if checkpoints:
            _check_checkpoints(result, checkpoints, batch_size)
    return result
