"""E-mail each coach what has newly fallen due on their worklist: idempotent (ADR 0012).

Each item (a follow-along contact, a module's assessments, an employer contact for a client in
job search) is reminded once per due date, at the first run on or after it, however late. The
e-mail names no client and holds no client data: the number of items of each kind and a link
that asks for login. The coaches' rows are locked and the reminded items written in the same
transaction as the send, so two runs at once never send twice and a failed send leaves the
items for the next run.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tyollisyystalo.coaching.models import CoachingPeriod, CoachingStatus
from tyollisyystalo.coaching_worklist.models import WorklistReminder
from tyollisyystalo.coaching_worklist.selectors import (
    EMPLOYER_CONTACT,
    FOLLOW_ALONG,
    MODULE_ASSESSMENT,
    DueItem,
    due_items,
    readable_items,
)
from tyollisyystalo.staff.models import StaffMember

# Reminded items older than this are forgotten: an item still due after it is reminded again.
KEEP_DAYS = 180


def coach_reminders_send(*, at: dt.datetime | None = None) -> int:
    """Send each coach one e-mail of their items newly due. Returns the number of e-mails."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    sent = 0
    coach_ids = sorted(
        set(
            CoachingPeriod.objects.exclude(status=CoachingStatus.ENDED)
            .values_list("coach_id", flat=True)
            .distinct()
        )
    )
    for coach_id in coach_ids:
        with transaction.atomic():
            coach = (
                StaffMember.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk=coach_id, is_active=True)
                .first()
            )
            if coach is None or not coach.user.email:
                continue
            due = due_items(staff=coach, today=today).items
            # Only what the worklist would show the coach; nothing is shown here, so nothing
            # is logged as read.
            items = [i for i, _r, _id in readable_items(staff=coach, items=due, at=at)]
            done = set(
                WorklistReminder.objects.filter(
                    staff=coach, item__in=[i.key for i in items]
                ).values_list("item", "due_on")
            )
            new = [i for i in items if (i.key, i.due_on) not in done]
            if not new:
                continue
            with override("fi"):
                message = _message(coach.user.email, new)
            get_connection().send_messages([message])
            WorklistReminder.objects.bulk_create(
                [
                    WorklistReminder(staff=coach, item=i.key, due_on=i.due_on, sent_at=at)
                    for i in new
                ]
            )
            sent += 1
    WorklistReminder.objects.filter(due_on__lt=today - dt.timedelta(days=KEEP_DAYS)).delete()
    return sent


def _message(address: str, items: list[DueItem]) -> EmailMessage:
    counts = {
        kind: sum(1 for i in items if i.kind == kind)
        for kind in (FOLLOW_ALONG, MODULE_ASSESSMENT, EMPLOYER_CONTACT)
    }
    labels = {
        FOLLOW_ALONG: _("Työssä jatkuvan tuen yhteydenottoja erääntynyt"),
        MODULE_ASSESSMENT: _("Moduuleja odottaa arvioita tai valintaa"),
        EMPLOYER_CONTACT: _("Työnhakijoita ilman tuoretta työnantajakontaktia"),
    }
    lines = [_("Työlistallesi on tullut uusia tehtäviä:"), ""]
    lines += [f"- {labels[kind]}: {n}" for kind, n in counts.items() if n]
    url = settings.SITE_URL + reverse("coaching_worklist:worklist")
    lines += ["", _("Työlista: %(url)s") % {"url": url}]
    return EmailMessage(
        subject=_("Valmennuksen työlista (%(n)s uutta)") % {"n": len(items)},
        body="\n".join(lines),
        to=[address],
    )
