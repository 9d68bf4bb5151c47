"""Computing and verifying the HMAC chain of the access log (ADR 0003)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from tyollisyystalo.shared.crypto import _decode_key, _key_id

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "request_id",
    "actor_user_id",
    "actor_name",
    "actor_organisation_id",
    "actor_organisation_name",
    "actor_role",
    "client_id",
    "categories",
    "action",
    "outcome",
    "basis",
    "consent_id",
    "object_type",
    "object_id",
    "purpose",
    "key_id",
    "prev_hash",
)


@lru_cache(maxsize=8)
def _derived_keys(current: str, old: tuple[str, ...], info: bytes) -> tuple[str, dict[str, bytes]]:
    keys: dict[str, bytes] = {}
    current_id = ""
    for index, text in enumerate((current, *old)):
        raw = _decode_key(text)
        key_id = _key_id(raw)
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)
        keys.setdefault(key_id, derived)
        if index == 0:
            current_id = key_id
    return current_id, keys


def mac_keys() -> tuple[str, dict[str, bytes]]:
    """The chain's HMAC keys by key id, and the current key's id."""
    return _derived_keys(
        settings.FIELD_ENCRYPTION_KEY,
        tuple(settings.FIELD_ENCRYPTION_OLD_KEYS),
        b"tt-access-log-chain",
    )


def checkpoint_keys() -> tuple[str, dict[str, bytes]]:
    """The checkpoints' signing keys: derived apart from the chain's (ADR 0019)."""
    return _derived_keys(
        settings.FIELD_ENCRYPTION_KEY,
        tuple(settings.FIELD_ENCRYPTION_OLD_KEYS),
        b"tt-access-log-checkpoint",
    )


LEGACY_CHAIN = "legacy"


def canonical_message(fields: dict[str, Any]) -> bytes:
    """The bytes the HMAC covers: every chained field, and the chain's name (ADR 0019).

    Entries of the ``legacy`` chain were written before chains had names and are checked
    exactly as they were signed.
    """
    normalised: dict[str, Any] = {}
    if fields.get("chain", LEGACY_CHAIN) != LEGACY_CHAIN:
        normalised["chain"] = fields["chain"]
    for name in CHAINED_FIELDS:
        value = fields[name]
        if name == "at":
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif value is not None:
            value = str(value)
        normalised[name] = value
    return json.dumps(normalised, sort_keys=True, ensure_ascii=False).encode("utf-8")


def link_hash(fields: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, canonical_message(fields), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str
    chain: str = ""

    def __str__(self) -> str:
        return f"chain {self.chain}, entry {self.seq}: {self.problem}"


def verify(
    entries: Iterable[dict[str, Any]],
    head_seq: int,
    head_hash: str,
    *,
    chain: str = "",
    start_seq: int = 0,
    start_hash: str = GENESIS,
) -> Iterator[Break]:
    """Yield every break in one chain; ``entries`` must come in ascending ``seq`` order.

    A chain erased through an anchor (ADR 0024) starts after ``start_seq``: its first entry
    must be ``start_seq + 1`` and link to ``start_hash``, the anchored hash.
    """
    _, keys = mac_keys()
    expected_seq = start_seq + 1
    previous = start_hash
    for entry in entries:
        seq = entry["seq"]
        if seq != expected_seq:
            yield Break(expected_seq, f"entries {expected_seq}–{seq - 1} are missing", chain)
        if entry["prev_hash"] != previous:
            yield Break(seq, "does not link to the previous entry", chain)
        key = keys.get(entry["key_id"])
        if key is None:
            yield Break(seq, "is signed with an unknown key", chain)
        elif not hmac.compare_digest(link_hash(entry, key), entry["hash"]):
            yield Break(seq, "content has been altered", chain)
        previous = entry["hash"]
        expected_seq = seq + 1
    if expected_seq - 1 != head_seq:
        yield Break(
            expected_seq, f"log ends at {expected_seq - 1} but its head says {head_seq}", chain
        )
    elif previous != head_hash:
        yield Break(head_seq, "the last entry does not match the log head", chain)
