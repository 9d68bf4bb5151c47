"""``manage.py screen_population --rule RULE --on DATE --input FILE --output FILE``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tyollisyystalo.rules.parameters import DateOutOfRange
from tyollisyystalo.rules.registry import RULES
from tyollisyystalo.rules.screening import DETAILS, ScreeningError, screen


class Command(BaseCommand):
    help = (
        "Screen a population against one statutory rule: JSON Lines or CSV in, JSON Lines out "
        "(one line per row, bad rows reported with their error)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rule", required=True, help=", ".join(RULES))
        parser.add_argument("--on", required=True, help="evaluation date, YYYY-MM-DD")
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument(
            "--format",
            choices=["jsonl", "csv"],
            help="input format; by default from the file name (.csv is CSV, else JSON Lines)",
        )
        parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
        parser.add_argument(
            "--detail",
            choices=DETAILS,
            default="full",
            help="full: with reasons and sources (default); decision: decision, missing facts "
            "and values only, the fastest",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rule = options["rule"]
        if rule not in RULES:
            raise CommandError(f"Unknown rule {rule!r}. Rules: {', '.join(RULES)}")
        try:
            on = dt.date.fromisoformat(options["on"])
        except ValueError as exc:
            raise CommandError(f"--on must be a date YYYY-MM-DD, not {options['on']!r}") from exc
        source_path: Path = options["input"]
        if not source_path.is_file():
            raise CommandError(f"No such input file: {source_path}")
        kind = options["format"] or ("csv" if source_path.suffix.lower() == ".csv" else "jsonl")
        workers = options["workers"]
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        total = source_path.stat().st_size
        show = sys.stderr.isatty()
        with (
            source_path.open("rb") as source,
            options["output"].open("wb") as target,
            tqdm(total=total, unit="B", unit_scale=True, disable=not show, desc=rule) as bar,
        ):

            def progress(_rows: int) -> None:
                bar.update(source.tell() - bar.n)

            try:
                result = screen(
                    rule_id=rule,
                    on=on,
                    source=source,
                    target=target,
                    kind=kind,
                    workers=workers,
                    progress=progress,
                    detail=options["detail"],
                )
            except (ScreeningError, DateOutOfRange) as exc:
                raise CommandError(str(exc)) from exc
        decisions = result.decisions or {}
        self.stderr.write(
            f"{result.rows} rows: {decisions.get('yes', 0)} yes, {decisions.get('no', 0)} no, "
            f"{decisions.get('unknown', 0)} unknown, {result.errors} with errors"
        )
