"""Pseudonyms for one export: a keyed hash with a key made for that export and then forgotten.

The key is 32 random bytes from ``secrets``, held only by the ``Pseudonymiser`` while one package
is built; it is never stored, logged or returned. The same record gets the same pseudonym
everywhere in one package (so its files join), and a different one in every other package (so
packages cannot be joined with each other). The hash is taken over the database identifier
(a UUID), never over the henkilötunnus, so not even the key would lead back to one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

# 16 hex digits (64 bits): at 100,000 clients two pseudonyms collide with a chance of about
# 3 in 10^10; the builder checks anyway.
PSEUDONYM_LENGTH = 16
PSEUDONYM_PATTERN = f"^[0-9a-f]{{{PSEUDONYM_LENGTH}}}$"


class PseudonymCollision(RuntimeError):
    """Two records got the same pseudonym: the package is built again with a new key."""


class Pseudonymiser:
    """HMAC-SHA-256 of "kind:identifier" under a key that exists only for one export."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(32)

    def __repr__(self) -> str:  # never show the key, not even in a traceback
        return "Pseudonymiser(<key hidden>)"

    def __call__(self, kind: str, identifier: uuid.UUID | int | str) -> str:
        message = f"{kind}:{identifier}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]
