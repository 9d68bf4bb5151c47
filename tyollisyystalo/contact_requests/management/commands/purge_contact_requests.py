from typing import Any

from django.core.management.base import BaseCommand

from tyollisyystalo.contact_requests.services import contact_requests_purge


class Command(BaseCommand):
    help = "Erase personal data of contact requests handled longer ago than the retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        count = contact_requests_purge()
        self.stdout.write(f"Purged {count} contact request(s).")
