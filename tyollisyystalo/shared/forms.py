from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import BaseRenderer
from django.http import HttpRequest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


class DateInput(forms.DateInput):
    """A native date picker; its value must be ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (others to the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else NON_FIELD_ERRORS
            for message in errors:
                form.add_error(None if target == NON_FIELD_ERRORS else target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


T = TypeVar("T")


def form_saved(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], T], done: str
) -> T | None:
    """Run a service with a valid form's data and say ``done``; a refusal goes to the form's
    fields. The service's result, or None when nothing was saved."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, done)
    return result


def _attrs_html(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: `` name="value"`` pairs, a bare name for True, none for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class ListSelect(forms.Select):
    """A select whose options are written in Python, not through one template per option.

    The HTML is Django's own (``select.html``, ``select_option.html``, ``attrs.html``; a test
    compares the two): the widget templates cost more than the rest of a search page's form,
    and a sector or municipality list has a dozen to a few dozen options.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attrs_html(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
