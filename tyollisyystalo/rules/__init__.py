"""Statutory rules as code: pure functions over facts and dated legal parameters.

Nothing here touches the database; the Django parts of the app (facts stored for a client, the
pages, the API and the batch command) live beside it and call ``evaluate``.
"""

from tyollisyystalo.rules.evaluation import Evaluation, Reason, Source
from tyollisyystalo.rules.facts import FactError, Facts, facts_from_mapping
from tyollisyystalo.rules.parameters import DateOutOfRange, ParameterFileError
from tyollisyystalo.rules.registry import RULES, UnknownRule, evaluate

__all__ = [
    "RULES",
    "DateOutOfRange",
    "Evaluation",
    "FactError",
    "Facts",
    "ParameterFileError",
    "Reason",
    "Source",
    "UnknownRule",
    "evaluate",
    "facts_from_mapping",
]
