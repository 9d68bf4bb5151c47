"""Erasing a chain's oldest entries after their retention period, behind a signed anchor.

ADR 0024. A chain loses only a **prefix** (``seq`` ≤ N): first an anchor (chain, N, the hash of
entry N, how many entries went, the newest erased entry's time) signed with the checkpoint key
is written, and sent to the checkpoint sinks as a checkpoint of (chain, N, hash); then the rows
go, in the same transaction. The database trigger lets through only rows at or below their
chain's newest anchor, so nothing is deleted without one. Verification starts the chain at the
anchor: the first entry left must link to the anchored hash.

The retention pass (``retention/erasure.py``) decides *when*: it passes the time before which
entries are due and the clients under a legal hold, and locks those clients' rows first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, QuerySet

from tyollisyystalo.audit import chain
from tyollisyystalo.audit.checkpoints import Checkpoint, configured_sinks, sink_write
from tyollisyystalo.audit.models import AccessLogEntry, ChainHead, LogErasureAnchor

ANCHOR_KIND = "tt-access-log-erasure-anchor"


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def anchor_signature(anchor: LogErasureAnchor, key: bytes) -> str:
    """The HMAC over every field of the anchor but the signature itself."""
    message = json.dumps(
        {
            "kind": ANCHOR_KIND,
            "chain": anchor.chain,
            "seq": int(anchor.seq),
            "hash": anchor.hash,
            "erased_count": int(anchor.erased_count),
            "newest_erased_at": _stamp(anchor.newest_erased_at),
            "created_at": _stamp(anchor.created_at),
            "key_id": anchor.key_id,
        },
        sort_keys=True,
        ensure_ascii=True,
    )
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


def anchor_verifies(anchor: LogErasureAnchor) -> bool:
    """The anchor was signed with a configured key and is unchanged since."""
    _, keys = chain.checkpoint_keys()
    key = keys.get(anchor.key_id)
    return key is not None and hmac.compare_digest(
        anchor_signature(anchor, key), str(anchor.signature)
    )


def newest_anchor_seq(chain_name: str) -> int:
    """The sequence number the trigger allows deleting through (0: nothing)."""
    seq = LogErasureAnchor.objects.filter(chain=chain_name).aggregate(seq=Max("seq"))["seq"]
    return int(seq or 0)


@dataclass(frozen=True)
class PrefixPlan:
    """What of one chain is due: entries ``anchored_seq`` < seq ≤ ``through_seq``."""

    chain: str
    anchored_seq: int
    through_seq: int
    count: int
    oldest_at: dt.datetime | None
    newest_at: dt.datetime | None
    held_back: int  # entries past their time kept because the prefix stops at a held client

    @property
    def stopped_by_hold(self) -> bool:
        return self.held_back > 0


def access_log_prefix_plan(
    *,
    chain_name: str,
    before: dt.datetime,
    held_clients: Collection[uuid.UUID] | QuerySet[Any] = (),
    max_entries: int | None = None,
    upto: int | None = None,
    lock: bool = False,
) -> PrefixPlan:
    """The longest prefix of the chain whose entries are all older than ``before``.

    It stops before the first entry concerning a client in ``held_clients`` (the prefix must be
    contiguous), after ``max_entries`` entries and at ``upto``. ``lock`` locks the chain's head
    row first (inside a transaction), which serialises erasures of the chain.
    """
    heads = ChainHead.objects.filter(chain=chain_name)
    if lock:
        heads = heads.select_for_update()
    head = int(heads.values_list("seq", flat=True).first() or 0)
    anchored = newest_anchor_seq(chain_name)
    rest = AccessLogEntry.objects.filter(chain=chain_name, seq__gt=anchored, seq__lte=head)
    limit = head
    if max_entries is not None:
        limit = min(limit, anchored + max_entries)
    if upto is not None:
        limit = min(limit, upto)
    time_stop = rest.filter(at__gte=before).aggregate(seq=Min("seq"))["seq"]
    if time_stop is not None:
        limit = min(limit, int(time_stop) - 1)
    through = limit
    if isinstance(held_clients, QuerySet) or held_clients:
        hold_stop = (
            rest.filter(client_id__in=held_clients, seq__lte=limit).aggregate(seq=Min("seq"))["seq"]
            if limit > anchored
            else None
        )
        if hold_stop is not None:
            through = int(hold_stop) - 1
    through = max(through, anchored)
    span = AccessLogEntry.objects.filter(
        chain=chain_name, seq__gt=anchored, seq__lte=through
    ).aggregate(n=Count("id"), oldest=Min("at"), newest=Max("at"))
    return PrefixPlan(
        chain=chain_name,
        anchored_seq=anchored,
        through_seq=through,
        count=int(span["n"]),
        oldest_at=span["oldest"],
        newest_at=span["newest"],
        held_back=max(limit, anchored) - through,
    )


def access_log_prefix_clients(*, chain_name: str, through_seq: int) -> QuerySet[Any]:
    """The client ids of a chain's entries up to ``through_seq`` (a subquery, for locking)."""
    return (
        AccessLogEntry.objects.filter(chain=chain_name, seq__lte=through_seq)
        .exclude(client_id__isnull=True)
        .values("client_id")
    )


def access_log_prefix_erase(*, plan: PrefixPlan, at: dt.datetime) -> LogErasureAnchor | None:
    """Anchor, witness and delete ``plan``'s prefix; call inside a transaction.

    The anchor goes to the configured checkpoint sinks before the rows are deleted; if a sink
    fails, the exception rolls the transaction back and nothing is erased (a line already sent
    names an entry that is still there, which verifies).
    """
    if plan.count == 0 or plan.newest_at is None:
        return None
    last = AccessLogEntry.objects.filter(chain=plan.chain, seq=plan.through_seq)
    digest = last.values_list("hash", flat=True).get()
    key_id, keys = chain.checkpoint_keys()
    anchor = LogErasureAnchor(
        chain=plan.chain,
        seq=plan.through_seq,
        hash=digest,
        erased_count=plan.count,
        newest_erased_at=plan.newest_at,
        created_at=at,
        key_id=key_id,
    )
    anchor.signature = anchor_signature(anchor, keys[key_id])
    anchor.save()
    sinks = configured_sinks()
    if sinks:
        line = Checkpoint(chain=plan.chain, seq=plan.through_seq, hash=digest, at=at)
        for sink in sinks:
            sink_write(sink, [line.signed_line()])
    # A queryset delete: the model refuses single deletes; the trigger checks the anchor.
    deleted, _ = AccessLogEntry.objects.filter(chain=plan.chain, seq__lte=plan.through_seq).delete()
    if deleted != plan.count:
        raise RuntimeError(f"chain {plan.chain}: the prefix changed while it was erased")
    return anchor
