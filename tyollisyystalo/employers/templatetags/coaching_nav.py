"""Navigation to the coaching team's pages only for those who may read them (no link to a 404)."""

from __future__ import annotations

from typing import Any

from django import template

from tyollisyystalo.employers.access import READ_ROLES, register_teams

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_coaching_team(context: dict[str, Any]) -> bool:
    """Whether the staff member reads some coaching team's register (and so its measures and
    reviews): one query, only for coaches and managers, none on a page of a team the view has
    already found readable (``reads_coaching_team`` in its context)."""
    staff = context.get("current_staff")
    if staff is None or staff.role not in READ_ROLES:
        return False
    if context.get("reads_coaching_team"):
        return True
    return register_teams(staff).exists()
