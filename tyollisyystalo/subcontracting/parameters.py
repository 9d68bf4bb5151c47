"""The subcontracting model's dated parameters (``parameters/*.toml``): the price per hour, the
VAT treatment and the household deduction. Same format and checks as the rules' parameters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from tyollisyystalo.rules.parameters import Params, RuleParameters, load_directory, params_of

PARAMETER_DIR = Path(__file__).resolve().parent / "parameters"
INVOICING = "subcontracting_invoicing"
HOUSEHOLD_DEDUCTION = "household_deduction"
ECONOMICS = "subcontracting_economics"


@lru_cache(maxsize=1)
def load() -> MappingProxyType[str, RuleParameters]:
    return load_directory(PARAMETER_DIR)


@lru_cache(maxsize=1024)
def params(rule: str, on: dt.date) -> Params:
    """The values of ``rule`` in force on ``on`` (``DateOutOfRange`` before its first day)."""
    return params_of(load()[rule], on)
