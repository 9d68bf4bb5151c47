from typing import Any

from django.core.management.base import BaseCommand

from tyollisyystalo.retention.services import retention_report
from tyollisyystalo.retention.table import load_table


class Command(BaseCommand):
    help = (
        "Dry run of the retention rules: per record class, how many records a run would erase "
        "now and when the next ones fall due. Changes nothing; prints no personal data."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        table = load_table()
        self.stdout.write(f"Record class table {table.version}")
        for result in retention_report():
            c = result.record_class
            period = result.period or "-"
            self.stdout.write(f"\n{c.id}: {c.action}, {period} after {c.start} ({c.source})")
            if c.start == "planned":
                self.stdout.write("  no records of this kind yet")
                continue
            verb = "due now" if c.erases else "past the period (kept: no automatic erasure)"
            line = f"  {verb}: {result.total} record(s)"
            if result.bundles:
                line += f" in {result.bundles} group(s)"
            if result.first_start:
                line += f", start dates {result.first_start} .. {result.last_start}"
            self.stdout.write(line)
            for label, count in sorted(result.counts.items()):
                self.stdout.write(f"    {label}: {count}")
            for name, plan in sorted(result.log_chains.items()):
                line = f"    chain {name}: {plan.count} entry(s) due"
                if plan.count:
                    line += f", entries {plan.anchored_seq + 1}..{plan.through_seq}"
                elif plan.anchored_seq:
                    line += f", erased through entry {plan.anchored_seq}"
                if plan.stopped_by_hold:
                    line += (
                        f"; stops at a client under a legal hold: {plan.held_back} more past "
                        "their period are kept (a chain is erased only from its start)"
                    )
                self.stdout.write(line)
            if result.log_chains:
                if result.held:
                    self.stdout.write(f"  chains stopped by a legal hold: {result.held}")
            elif result.held:
                self.stdout.write(f"  held back by a legal hold: {result.held} group(s)")
            if result.next_due:
                self.stdout.write(f"  next due: {result.next_due}")
