"""Parts of an employer's page that other apps draw (e.g. the clients the employer hired,
from ``coaching``): a registry, so the register never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tyollisyystalo.employers.models import Employer
from tyollisyystalo.shared.registry import OrderedRegistry
from tyollisyystalo.staff.models import StaffMember


@dataclass(frozen=True)
class EmployerPart:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


PartFunction = Callable[[StaffMember, Employer], EmployerPart | None]

_REGISTRY: OrderedRegistry[PartFunction] = OrderedRegistry()


def employer_part(key: str, *, order: int) -> Callable[[PartFunction], PartFunction]:
    """Register a part of the employer page under ``key``, drawn in ``order``."""
    return _REGISTRY.register(key, order=order)


def employer_parts(staff: StaffMember, employer: Employer) -> list[EmployerPart]:
    parts = [fn(staff, employer) for _key, fn in _REGISTRY.ordered()]
    return [part for part in parts if part is not None]
