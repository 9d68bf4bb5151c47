from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.audit.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restore a dump of backup_database into an empty database (the configured one or "
        "--database-url), after checking that the keys it needs are configured."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", help="a file written by backup_database (manifest beside it)")
        parser.add_argument(
            "--database-url",
            default=None,
            help="the empty database to restore into (default: DATABASE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = database_restore(
                dump=Path(options["dump"]), database_url=options["database_url"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        entries = sum(seq for seq, _ in manifest.chain_heads.values())
        self.stdout.write(
            f"Restored {manifest.dump} of {manifest.created_at}: {entries} log entries in "
            f"{len(manifest.chain_heads)} chain(s), heads as in the manifest. Next, against "
            "the restored database: manage.py migrate, then manage.py verify_access_log "
            "--checkpoints <the checkpoint files>."
        )
