"""Cents as euros and quantities the Finnish way (comma decimals, no-break spaces)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """12345 → "123,45 €"; thousands separated by a no-break space."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}".replace(",", "\u00a0") + f",{part:02d}\u00a0€"


@register.filter
def quantity(value: Decimal | None) -> str:
    """7.50 → "7,5"; 2.00 → "2"."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")
