from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.catalogue.importing import BadRecord
from tyollisyystalo.catalogue.services import CatalogueImportRejected, catalogue_import


class Command(BaseCommand):
    help = (
        "Import services from the demo catalogue file or HSDS 3.0 JSON. Upserts by source id; "
        "all or nothing unless --partial."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Import the good records and list the rejected ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        try:
            report = catalogue_import(data=data, partial=options["partial"])
        except BadRecord as exc:
            raise CommandError(str(exc)) from exc
        except CatalogueImportRejected as exc:
            for source_id, reason in exc.report.rejected:
                self.stderr.write(f"rejected {source_id}: {reason}")
            raise CommandError(
                f"{len(exc.report.rejected)} record(s) rejected; nothing was imported. "
                "Fix them, or use --partial to import the good records."
            ) from exc
        for source_id, reason in report.rejected:
            self.stderr.write(f"rejected {source_id}: {reason}")
        self.stdout.write(
            f"Services: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {report.organizations} organizations; "
            f"{len(report.rejected)} rejected."
        )
