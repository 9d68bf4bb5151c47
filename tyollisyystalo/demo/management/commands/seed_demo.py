from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the fictional demo region (idempotent). Refuses unless DEMO is on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Demo data is only loaded when DEMO=true.")
        counts = seed_demo(clients=options["clients"])
        if counts["clients"] or counts["contact_requests"]:
            self.stdout.write(
                f"Demo data loaded: {counts['clients']} new clients, "
                f"{counts['contact_requests']} contact requests, consents {dict(counts)}."
            )
        else:
            self.stdout.write("Demo data already present; nothing added.")
