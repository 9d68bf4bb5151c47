"""``{% segment_link client_id %}``: the way from identification and the path to the client's
segment, for those who may decide it (their organisation has approved segments). The link says
nothing about the client: the part behind it is decided by the access layer."""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.segments.suggestions import approved_version

register = template.Library()


@register.simple_tag(takes_context=True)
def segment_link(context: Any, client_id: uuid.UUID) -> SafeString | str:
    staff = getattr(context.get("request"), "staff", None)
    if staff is None or not staff.can(Capability.CLIENT_RECORD_WRITE):
        return ""
    if approved_version(staff.organisation_id) is None:
        return ""
    url = reverse("casefile:section", kwargs={"client_id": client_id, "key": "segments"})
    return format_html(
        '<p><a href="{}">{}</a></p>', url, _("Asiakassegmentti: ehdotus, ohjeet ja palveluprosessi")
    )
