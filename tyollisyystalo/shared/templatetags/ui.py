"""Accessible form fields: label, help text and errors tied to the input (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

from typing import Any, cast

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def field(bound: forms.BoundField) -> SafeString:
    """A field with its label, help text and errors: ``_field.html``, written in Python for a
    single input or a checkbox (every form page has a few; the template cost as much as the
    widget), through the template for a group of choices. ``shared/tests/test_field_tag.py``
    compares the two."""
    context = _field_context(bound)
    if context["is_group"]:
        return render_to_string("_field.html", context)
    return _field_html(bound, context)


def _field_context(bound: forms.BoundField) -> dict[str, Any]:
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


def _field_html(bound: forms.BoundField, context: dict[str, Any]) -> SafeString:
    """``_field.html`` for one input or a checkbox, every text escaped as the template does."""
    errors = bound.errors
    label = conditional_escape(bound.label)
    auto_id = conditional_escape(bound.auto_id)
    help_html = ""
    if bound.help_text:
        help_html = f'<p class="help" id="{auto_id}_help">{conditional_escape(bound.help_text)}</p>'
    errors_html = ""
    if errors:
        # An ErrorList iterates over its messages (as ``|join`` reads it in the template).
        listed = " ".join(conditional_escape(error) for error in cast("list[str]", errors))
        errors_html = (
            f'<p class="error" id="{auto_id}_error">'
            f"<strong>{conditional_escape(_('Virhe:'))}</strong> {listed}</p>"
        )
    has_error = " has-error" if errors else ""
    for_id = conditional_escape(bound.id_for_label)
    widget_html = context["widget_html"]
    if context["is_checkbox"]:
        html = (
            f'\n<div class="field field-checkbox{has_error}">\n'
            f'  {widget_html} <label for="{for_id}">{label}</label>\n'
            f"  {help_html}\n  {errors_html}\n</div>\n\n"
        )
    else:
        required = ""
        if bound.field.required:
            required = f' <span class="required">({conditional_escape(_("pakollinen"))})</span>'
        html = (
            f'\n<div class="field{has_error}">\n'
            f'  <label for="{for_id}">{label}{required}</label>\n'
            f"  {help_html}\n  {errors_html}\n  {widget_html}\n</div>\n\n"
        )
    return mark_safe(html)  # noqa: S308 - every text above is escaped; the widget is safe HTML


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
