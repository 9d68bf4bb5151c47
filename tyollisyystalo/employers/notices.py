"""E-mail to an employer's owner when another coach has contacted the employer.

The message names the employer, the coach, the date and the kind of contact: never a client
nor the notes. Rows are locked and marked in the same transaction, so two runs never send twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tyollisyystalo.employers.models import EmployerContact


def owner_notices_send(*, at: dt.datetime | None = None) -> int:
    """E-mail each owner the other coaches' new contacts with their employers. Returns e-mails."""
    at = at or timezone.now()
    with transaction.atomic():
        due = list(
            EmployerContact.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                owner_notified_at__isnull=True,
                employer__owner__isnull=False,
                employer__merged_into__isnull=True,
            )
            .exclude(coach=F("employer__owner"))
            .select_related("employer__owner__user", "coach__user")
            .order_by("created_at", "id")
        )
        if not due:
            return 0
        by_owner: dict[int, list[EmployerContact]] = defaultdict(list)
        for contact in due:
            by_owner[contact.employer.owner_id].append(contact)  # type: ignore[index]
        messages = []
        with override("fi"):
            for contacts in by_owner.values():
                owner = contacts[0].employer.owner
                if owner is None or not owner.is_active or not owner.user.email:
                    continue
                lines = [
                    _("%(date)s %(coach)s, %(employer)s (%(kind)s): %(link)s")
                    % {
                        "date": c.contacted_on.strftime("%d.%m.%Y"),
                        "coach": c.coach.display_name,
                        "employer": c.employer.name,
                        "kind": c.get_kind_display(),
                        "link": reverse("employers:detail", kwargs={"pk": c.employer_id}),
                    }
                    for c in contacts
                ]
                messages.append(
                    EmailMessage(
                        subject=_("Muiden valmentajien yhteydenotot työnantajiisi"),
                        body="\n".join(lines),
                        to=[owner.user.email],
                    )
                )
        if messages:
            get_connection().send_messages(messages)
        EmployerContact.objects.filter(pk__in=[c.pk for c in due]).update(owner_notified_at=at)
    return len(messages)
