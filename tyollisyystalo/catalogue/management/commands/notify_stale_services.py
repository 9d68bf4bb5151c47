from typing import Any

from django.core.management.base import BaseCommand

from tyollisyystalo.catalogue.revisions import stale_services_notify


class Command(BaseCommand):
    help = "E-mail editors and catalogue administrators about services not reviewed in time."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = stale_services_notify()
        self.stdout.write(f"Sent {sent} reminder(s).")
