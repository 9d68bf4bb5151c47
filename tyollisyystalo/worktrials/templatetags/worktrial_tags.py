from __future__ import annotations

import datetime as dt

from django import template

from tyollisyystalo.worktrials.models import FeedbackLink

register = template.Library()


@register.filter
def link_state(link: FeedbackLink, now: dt.datetime) -> str:
    return link.state(now)
