"""Reminders of path deadlines by e-mail: idempotent, catching up on anything missed.

A deadline is reminded once, when it first comes within ``DEADLINE_REMINDER_DAYS`` (or at the
first run after that, however late). The e-mail names no client and holds no client data: only
what is due, when, and a link that asks for login.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tyollisyystalo.cases.models import OPEN, CaseDeadline
from tyollisyystalo.notifications.models import NotificationKind
from tyollisyystalo.notifications.services import notification_send
from tyollisyystalo.staff.models import StaffMember


def deadline_reminders_send(*, at: dt.datetime | None = None) -> int:
    """E-mail each coordinator and deputy their deadlines that have come near. Returns e-mails.

    Rows are locked while sending and marked in the same transaction, so two runs at once
    never remind twice, and a failed send leaves them for the next run.
    """
    at = at or timezone.now()
    today = timezone.localdate(at)
    horizon = today + dt.timedelta(days=settings.DEADLINE_REMINDER_DAYS)
    with transaction.atomic():
        due = list(
            CaseDeadline.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                reminded_on__isnull=True,
                done_on__isnull=True,
                cancelled_at__isnull=True,
                due_on__lte=horizon,
                case__status__in=OPEN,
            )
            .select_related("case")
            .order_by("due_on", "id")
        )
        if not due:
            return 0
        people = StaffMember.objects.select_related("user").in_bulk(
            {d.case.coordinator_id for d in due}
            | {d.case.deputy_id for d in due if d.case.deputy_id}
        )
        by_person: dict[int, list[CaseDeadline]] = defaultdict(list)
        for deadline in due:
            by_person[deadline.case.coordinator_id].append(deadline)
            if deadline.case.deputy_id:
                by_person[deadline.case.deputy_id].append(deadline)
        messages = []
        with override("fi"):
            for person_id, deadlines in sorted(by_person.items()):
                person = people.get(person_id)
                if person is None or not person.is_active or not person.user.email:
                    continue
                messages.append(_message(person.user.email, deadlines, today))
        # In the app too, one notice per person and run, whether or not they have an address.
        notification_send(
            recipients=[
                person.user
                for person_id in by_person
                if (person := people.get(person_id)) is not None and person.is_active
            ],
            kind=NotificationKind.DUE_ITEM,
            url=reverse("cases:worklist"),
            at=at,
        )
        if messages:
            get_connection().send_messages(messages)
        CaseDeadline.objects.filter(pk__in=[d.pk for d in due]).update(reminded_on=today)
    return len(messages)


def _message(address: str, deadlines: list[CaseDeadline], today: dt.date) -> EmailMessage:
    lines = [_("Palvelupolkujesi määräajat lähestyvät tai ovat ohittuneet:"), ""]
    for deadline in deadlines:
        state = _("myöhässä") if deadline.due_on < today else _("erääntyy")
        url = settings.SITE_URL + reverse("cases:detail", kwargs={"case_id": deadline.case_id})
        lines.append(f"- {deadline.get_kind_display()} {state} {deadline.due_on:%d.%m.%Y}: {url}")
    lines += ["", _("Työlista: %(url)s") % {"url": settings.SITE_URL + reverse("cases:worklist")}]
    return EmailMessage(
        subject=_("Määräaikoja työlistallasi (%(n)s)") % {"n": len(deadlines)},
        body="\n".join(lines),
        to=[address],
    )
