"""Navigation to the coaching team's pages only for those who may read them (no link to a 404)."""

from __future__ import annotations

from typing import Any

from django import template

from tyollisyystalo.employers.access import READ_ROLES, register_teams

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_coaching_team(context: dict[str, Any]) -> bool:
    """Whether the staff member reads some coaching team's register (and so its measures and
    reviews): one query, only for coaches and managers, none on a page whose view has already
    found out (``reads_coaching_team`` in its context: the register's and the worklist's)."""
    staff = context.get("current_staff")
    if staff is None or staff.role not in READ_ROLES:
        return False
    known = context.get("reads_coaching_team")
    if known is not None:
        return bool(known)
    return register_teams(staff).exists()
