"""The rules of modular coaching, as pure functions (no database)."""

from __future__ import annotations

from collections.abc import Iterable

from tyollisyystalo.coaching_modules.models import PARTIES


def missing_parties(present: Iterable[str]) -> list[str]:
    """The parties (client, provider, purchaser) whose assessment of a module is not recorded."""
    have = set(present)
    return [party for party in PARTIES if party not in have]


def choice_allowed(present: Iterable[str], missing_reason: str) -> bool:
    """The purchaser may record the choice after a module when all three parties have assessed
    it, or when a reason is recorded why an assessment is missing (a client who did not come
    back, a provider who did not answer): the choice is never blocked, only never silent."""
    return not missing_parties(present) or bool(missing_reason.strip())
