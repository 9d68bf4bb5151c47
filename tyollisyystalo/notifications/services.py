"""Sending, opening and purging notifications, and the optional daily e-mail digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from tyollisyystalo.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
)

# Read notifications are kept 90 days, unread ones a year; they hold no client data.
KEEP_READ = dt.timedelta(days=90)
KEEP_UNREAD = dt.timedelta(days=365)
# A digest goes out at most once a day (a little less, so a daily cron never skips a day).
DIGEST_INTERVAL = dt.timedelta(hours=20)


def _checked_url(url: str) -> str:
    if (
        not url.startswith("/")
        or url[1:2] in ("/", "\\")
        or len(url) > 300
        or any(c.isspace() for c in url)
    ):
        raise ValueError(f"not a path on this site: {url!r}")
    return url


def notification_send(
    *,
    recipients: Iterable[Any],
    kind: NotificationKind,
    url: str,
    at: dt.datetime | None = None,
) -> int:
    """Tell each active recipient (a user) once that something of ``kind`` waits at ``url``."""
    url = _checked_url(url)
    at = at or timezone.now()
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, url=url, created_at=at) for pk in sorted(users)
    )
    return len(users)


def notification_open(*, user: Any, notification_id: int, at: dt.datetime | None = None) -> str:
    """Mark the user's own notification read and return where it points (DoesNotExist if none)."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=at or timezone.now())
    return notification.url


def notifications_mark_read(*, user: Any, at: dt.datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=at or timezone.now()
    )


def notification_preference_set(*, user: Any, email_digest: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_digest": email_digest}
    )
    return preference


def notifications_purge(*, at: dt.datetime | None = None) -> int:
    at = at or timezone.now()
    deleted, _per_model = Notification.objects.filter(
        Q(read_at__lt=at - KEEP_READ) | Q(created_at__lt=at - KEEP_UNREAD)
    ).delete()
    return deleted


def _addresses(users: Iterable[Any]) -> dict[int, str]:
    """Each user's e-mail: a staff member's account address, a client's own contact address."""
    from tyollisyystalo.clients.models import ClientIdentity
    from tyollisyystalo.selfservice.models import ClientAccount

    users = list(users)
    found = {user.pk: user.email for user in users if user.email}
    rest = [user.pk for user in users if not user.email]
    if rest:
        clients = dict(
            ClientAccount.objects.filter(user_id__in=rest).values_list("client_id", "user_id")
        )
        for identity in ClientIdentity.objects.filter(client_id__in=clients):
            if identity.email:
                found[clients[identity.client_id]] = identity.email
    return found


def notification_digests_send(*, at: dt.datetime | None = None) -> int:
    """E-mail each user who asked for it how many notifications wait unread. Returns e-mails.

    The message holds a count and a link that asks for login, never what the notifications
    are about. Rows are locked and marked in one transaction, so two runs never send twice.
    """
    at = at or timezone.now()
    with transaction.atomic():
        due = list(
            NotificationPreference.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_digest=True, user__is_active=True)
            .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=at - DIGEST_INTERVAL))
            .select_related("user")
        )
        if not due:
            return 0
        since = {p.user_id: p.digest_sent_at or at - dt.timedelta(days=1) for p in due}
        unread = {
            row["recipient_id"]: (row["n"], row["newest"])
            for row in Notification.objects.filter(recipient_id__in=since, read_at__isnull=True)
            .values("recipient_id")
            .annotate(n=Count("id"), newest=Max("created_at"))
        }
        # Only when something came after the last digest: no reminder of the same old items.
        fresh = {user_id for user_id, (_n, newest) in unread.items() if newest > since[user_id]}
        addresses = _addresses(p.user for p in due if p.user_id in fresh)
        messages = []
        with override("fi"):
            for preference in due:
                address = addresses.get(preference.user_id)
                if address and preference.user_id in fresh:
                    messages.append(_digest(address, unread[preference.user_id][0], preference))
        if messages:
            get_connection().send_messages(messages)
        NotificationPreference.objects.filter(pk__in=[p.pk for p in due]).update(digest_sent_at=at)
    return len(messages)


def _digest(address: str, count: int, preference: NotificationPreference) -> EmailMessage:
    is_client = hasattr(preference.user, "client_account")
    url = settings.SITE_URL + reverse(
        "notifications:own_index" if is_client else "notifications:index"
    )
    subject = ngettext(
        "Työllisyystalossa on %(n)s lukematon ilmoitus",
        "Työllisyystalossa on %(n)s lukematonta ilmoitusta",
        count,
    ) % {"n": count}
    body = "\n".join(
        [
            subject + ".",
            _("Kirjaudu sisään nähdäksesi ne: %(url)s") % {"url": url},
            "",
            _("Voit lopettaa yhteenvedot ilmoitussivulla."),
        ]
    )
    return EmailMessage(subject=subject, body=body, to=[address])
