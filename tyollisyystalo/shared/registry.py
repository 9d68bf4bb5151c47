"""A registry of functions drawn in order (card sections, parts of an employer's page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class OrderedRegistry(Generic[F]):
    def __init__(self) -> None:
        self._items: dict[str, tuple[int, F]] = {}

    def register(self, key: str, *, order: int) -> Callable[[F], F]:
        """A decorator registering a function under ``key``, drawn in ``order``."""

        def register(function: F) -> F:
            self._items[key] = (order, function)
            return function

        return register

    def ordered(self) -> list[tuple[str, F]]:
        return [
            (key, fn) for key, (_order, fn) in sorted(self._items.items(), key=lambda i: i[1][0])
        ]
