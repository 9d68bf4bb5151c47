"""Labels of plan content for the pages and the printout, in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.plans.forms import RESPONSIBLE_LABELS, STATUS_LABELS, area_choices
from tyollisyystalo.shared.numbers import parse_int

register = template.Library()

FIELD_LABELS = {
    "summary": _("Asiakkaan tilanne ja toiveet"),
    "text": _("Tavoite"),
    "area": _("Elämän osa-alue"),
    "measure": _("Mittari"),
    "target": _("Tavoitetaso"),
    "follow_up_on": _("Seurantapäivä"),
    "what": _("Mitä tehdään"),
    "goal": _("Tavoite"),
    "responsible_kind": _("Vastuutaho"),
    "responsible": _("Vastuuhenkilö tai -organisaatio"),
    "service_id": _("Palvelu"),
    "coaching_period_id": _("Valmennusjakso"),
    "due_on": _("Määräpäivä"),
    "status": _("Tilanne"),
}


@register.filter
def plan_field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


@register.filter
def action_status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


@register.filter
def responsible_label(code: str) -> str:
    return str(RESPONSIBLE_LABELS.get(code, code))


@register.filter
def area_label(code: str) -> str:
    return dict(area_choices()).get(code, code)


@register.filter
def iso_date(value: str) -> str:
    """An ISO date string as d.m.yyyy (as written in Finland); other text as it is."""
    parts = [parse_int(p) for p in value.split("-")] if value else []
    if len(parts) == 3 and None not in parts:
        return f"{parts[2]}.{parts[1]}.{value.split('-')[0]}"
    return value


@register.filter
def format_name(text: str, name: str) -> str:
    """Fill the ``{name}`` of a translated message."""
    return text.format(name=name)
