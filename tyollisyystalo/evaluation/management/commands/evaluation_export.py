from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tyollisyystalo.evaluation.services import evaluation_package_export
from tyollisyystalo.staff.models import StaffMember


class Command(BaseCommand):
    help = (
        "Write the evaluation data package of a manager's organisation to a file: the same "
        "decision, package and access-log entry as the page, for organisations whose package "
        "takes longer to build than a web request may (about a minute per 60,000 clients)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--manager", required=True, help="the manager's username")
        parser.add_argument("--purpose", required=True, help="written to the access log")
        parser.add_argument("--output", required=True, type=Path, help="the zip file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if output.exists():
            raise CommandError(f"{output} exists: not overwritten.")
        staff = (
            StaffMember.objects.select_related("organisation", "user")
            .filter(user__username=options["manager"], is_active=True)
            .first()
        )
        if staff is None:
            raise CommandError("No active staff member with that username.")
        try:
            export = evaluation_package_export(actor=staff, purpose=options["purpose"])
        except PermissionDenied as error:
            raise CommandError("The role does not allow the evaluation export.") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        output.write_bytes(export.content)
        self.stdout.write(
            f"{output}: {export.clients} clients, export {export.export_id} (in the access log)"
        )
