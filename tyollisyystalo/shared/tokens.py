"""Single-use links: only a token's SHA-256 is stored, and a link that cannot be used says why."""

from __future__ import annotations

import hashlib


class LinkUnavailable(Exception):
    """The link cannot be used; ``state`` says why (unknown, used, revoked, expired, …)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
