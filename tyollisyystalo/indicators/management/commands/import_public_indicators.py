from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.indicators.services import PublicImportError, public_indicators_import

DEFAULT_SOURCE = "Työ- ja elinkeinoministeriö, työnvälitystilasto (avoin data)"


class Command(BaseCommand):
    help = (
        "Import municipalities' public employment indicators (unemployed jobseekers, long-term "
        "unemployed, the official activation rate) from a CSV in the shape of the ministry's open "
        "employment-service statistics: columns alue;kuukausi;tunnusluku;arvo. The whole file or "
        "nothing: every bad row is listed by its line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file (UTF-8).")
        parser.add_argument("--source", default=DEFAULT_SOURCE, help="Where the figures are from.")
        parser.add_argument(
            "--date",
            required=True,
            help="The statistics' publication date, YYYY-MM-DD (shown beside the figures).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            published_on = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from exc
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path} as UTF-8 text: {exc}.") from exc
        try:
            batch = public_indicators_import(
                text=text, source=options["source"], published_on=published_on, file_name=path.name
            )
        except PublicImportError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {error}" for error in exc.errors)
            ) from exc
        self.stdout.write(f"Imported {batch.rows} figures from {path.name} ({batch.source}).")
