from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tyollisyystalo.appointments.services import appointment_reminders_send
from tyollisyystalo.audit.checkpoints import access_log_checkpoints_write
from tyollisyystalo.cases.reminders import deadline_reminders_send
from tyollisyystalo.catalogue.revisions import stale_services_notify
from tyollisyystalo.coaching_worklist.reminders import coach_reminders_send
from tyollisyystalo.contact_requests.services import contact_requests_purge
from tyollisyystalo.employers.notices import owner_notices_send
from tyollisyystalo.employers.services import contact_persons_retention_erase
from tyollisyystalo.management.refresh import report_snapshots_refresh
from tyollisyystalo.notifications.services import notification_digests_send, notifications_purge
from tyollisyystalo.retention.services import retention_erase
from tyollisyystalo.surveys.services import (
    cooperation_round_send,
    reminders_send,
    six_month_invitations_send,
)

# Every scheduled job is idempotent and catches up on what is due, so cron may run this
# every few minutes and a missed run is made good by the next one.
JOBS = (
    ("deadline reminders", deadline_reminders_send, "e-mail(s)"),
    ("stale catalogue services", stale_services_notify, "e-mail(s)"),
    ("contact request purge", contact_requests_purge, "request(s) purged"),
    ("retention", retention_erase, "record(s) erased or anonymised"),
    ("access log checkpoints", access_log_checkpoints_write, "checkpoint(s) written"),
    ("employer owner notices", owner_notices_send, "e-mail(s)"),
    ("employer contact persons", contact_persons_retention_erase, "person(s) erased"),
    ("coach worklist reminders", coach_reminders_send, "e-mail(s)"),
    ("surveys six months into a path", six_month_invitations_send, "invitation(s)"),
    ("cooperation survey round", cooperation_round_send, "invitation(s)"),
    ("survey reminders", reminders_send, "e-mail(s)"),
    ("management figures", report_snapshots_refresh, "figure set(s) recounted"),
    ("appointment reminders", appointment_reminders_send, "reminder(s)"),
    ("notification digests", notification_digests_send, "e-mail(s)"),
    ("old notifications", notifications_purge, "notification(s) deleted"),
)


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs: deadline reminders, stale services, contact request purge, "
        "retention by record class, access log checkpoints, surveys, management figures."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for name, job, unit in JOBS:
            try:
                count = job()
            except Exception as exc:  # one failing job must not stop the others
                failed.append(name)
                self.stderr.write(f"{name}: failed ({type(exc).__name__})")
            else:
                self.stdout.write(f"{name}: {count} {unit}")
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)}")
