from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.demo.paths import seed_paths
from tyollisyystalo.demo.seed import seed_catalogue_ages, seed_demo
from tyollisyystalo.indicators.demo import seed_indicators


class Command(BaseCommand):
    help = "Load the fictional demo region (idempotent). Refuses unless DEMO is on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=200)
        parser.add_argument(
            "--catalogue-ages",
            action="store_true",
            help="After the catalogue import: mark some services unreviewed for 14 months.",
        )
        parser.add_argument(
            "--paths",
            action="store_true",
            help="After the catalogue import: Klaus's walk and service paths in every state.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Demo data is only loaded when DEMO=true.")
        if options["paths"]:
            counts = seed_paths()
            self.stdout.write(f"Demo paths: {dict(counts) or 'already present'}.")
            return
        if options["catalogue_ages"]:
            aged = seed_catalogue_ages()
            self.stdout.write(f"Demo catalogue: {aged} services marked as not reviewed for long.")
            return
        counts = seed_demo(clients=options["clients"])
        seed_indicators()
        if counts["clients"] or counts["contact_requests"]:
            self.stdout.write(
                f"Demo data loaded: {counts['clients']} new clients, "
                f"{counts['contact_requests']} contact requests, consents {dict(counts)}."
            )
        else:
            self.stdout.write("Demo data already present; nothing added.")
