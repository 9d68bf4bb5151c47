from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tyollisyystalo.audit.models import LogHead
from tyollisyystalo.audit.selectors import access_log_breaks


class Command(BaseCommand):
    help = "Verify the HMAC chain of the access log; exit 1 if any entry was altered or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = list(access_log_breaks())
        head = LogHead.objects.filter(id=1).first()
        if breaks:
            for problem in breaks:
                self.stderr.write(f"entry {problem.seq}: {problem.problem}")
            raise CommandError(f"Access log chain is broken in {len(breaks)} place(s).")
        seq, digest = (head.seq, head.hash) if head else (0, "0" * 64)
        self.stdout.write(f"Access log intact: {seq} entries, head {digest}.")
