"""``{% picker_attrs "palvelut" %}`` on a hand-written select, ``{% picker_script %}`` once."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tyollisyystalo.pickers.widgets import SCRIPT
from tyollisyystalo.pickers.widgets import picker_attrs as attrs_of

register = template.Library()


@register.simple_tag
def picker_attrs(source: str, complete: bool = True) -> SafeString:
    return format_html_join(" ", '{}="{}"', attrs_of(source, complete=complete).items())


@register.simple_tag
def picker_script() -> SafeString:
    return format_html('<script type="module" src="{}"></script>', static(SCRIPT))
