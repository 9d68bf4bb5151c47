from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.audit.checkpoints import checkpoint_files, checkpoints_read
from tyollisyystalo.audit.verification import access_log_verify


class Command(BaseCommand):
    help = (
        "Verify every HMAC chain of the access log in one snapshot; with --checkpoints, also "
        "against the signed checkpoints kept outside the database. Exit 1 on any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="PATH",
            help="a checkpoint file or directory (repeatable); syslog files are read as well",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = []
        for given in options["checkpoints"]:
            path = Path(given)
            if not path.exists():
                raise CommandError(f"No such checkpoint file or directory: {path}")
            paths.extend(checkpoint_files(path))
        checkpoints, unreadable = checkpoints_read(paths)
        if paths and not checkpoints and not unreadable:
            raise CommandError("No checkpoints found in the given files.")
        result = access_log_verify(checkpoints=checkpoints)
        problems = [str(b) for b in result.breaks] + unreadable + result.checkpoint_problems
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Access log is not intact: {len(problems)} problem(s).")
        for name, (seq, digest) in result.heads.items():
            erased = result.anchors.get(name, (0, ""))[0]
            since = f" (1–{erased} erased after their retention period)" if erased else ""
            self.stdout.write(f"  {name}: {seq} entries{since}, head {digest}")
        checked = f", {result.checkpoints_checked} checkpoint(s) match" if paths else ""
        if paths and result.checkpoints_covered:
            checked += f", {result.checkpoints_covered} covered by erasure anchors"
        erased = sum(seq for seq, _ in result.anchors.values())
        if erased:
            checked = f" ({erased} erased after their retention period){checked}"
        self.stdout.write(
            f"Access log intact: {result.entries} entries in {len(result.heads)} chain(s){checked}."
        )
