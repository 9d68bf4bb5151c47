"""Model fields whose values are stored encrypted (AES-GCM, see ``crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from tyollisyystalo.shared import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; only ``isnull`` lookups make sense on it."""

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self._context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self._context)

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self._context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)
