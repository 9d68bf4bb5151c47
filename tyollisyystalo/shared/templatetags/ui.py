"""Accessible form fields: label, help text and errors tied to the input (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("_field.html")
def field(bound: forms.BoundField) -> dict[str, Any]:
    widget = bound.field.widget
    is_group = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
    attrs: dict[str, Any] = {}
    if described and not is_group:
        attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if bound.field.required and not is_group:
        attrs["required"] = True
    return {
        "bound": bound,
        "widget_html": bound.as_widget(attrs=attrs),
        "is_group": is_group,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "described_by": " ".join(described),
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``{{ dict|get_item:"key" }}``: a value of a dict, or an empty list."""
    return mapping.get(key, [])


@register.filter
def localized(texts: Any) -> str:
    """A multilingual text (anything with ``get(language)``) in the active language."""
    if texts is None:
        return ""
    return str(texts.get(get_language() or "fi"))


@register.filter
def category_label(code: str) -> str:
    """A data category's name in the active language."""
    from tyollisyystalo.clients.categories import DataCategory

    return str(dict(DataCategory.choices).get(code, code))
