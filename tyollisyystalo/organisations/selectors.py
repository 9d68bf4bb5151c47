"""Reads of the network's organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from tyollisyystalo.organisations.models import Organisation


def organisations_active() -> QuerySet[Organisation]:
    """The organisations of the network that still work in it, by name."""
    return Organisation.objects.filter(is_active=True).order_by("name_fi")
