from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.audit.backup import BackupError, database_backup, manifest_path


class Command(BaseCommand):
    help = (
        "Back up the whole database while the service runs (PostgreSQL: pg_dump --format=custom "
        "of one snapshot; SQLite: online backup) and write a manifest beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="the dump file to create (never overwritten)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            manifest = database_backup(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        entries = sum(seq for seq, _ in manifest.chain_heads.values())
        self.stdout.write(
            f"Backup written: {output} ({entries} log entries in "
            f"{len(manifest.chain_heads)} chain(s)); manifest {manifest_path(output)}."
        )
        self.stdout.write(
            "Keep beside it, apart from the dump: the encryption keys with ids "
            f"{', '.join(manifest.key_ids)}, SECRET_KEY and the checkpoint files."
        )
