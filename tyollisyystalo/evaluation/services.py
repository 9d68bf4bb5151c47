"""Making an evaluation package: decided, built from the organisation's own records, logged.

Only a manager of the records' owner organisation may export (``EVALUATION_EXPORT`` and a
``ManagementScope`` with an organisation); the package holds that organisation's records only.
Every export is one access-log entry (action export) with the purpose the manager gave, the
number of clients and the data categories read, under the export's own identifier, which the
package's ``datapackage.json`` carries too. A refused purpose raises before anything is read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action, Basis, Outcome
from tyollisyystalo.audit.services import LogEvent, access_log_append
from tyollisyystalo.evaluation.coarsening import month
from tyollisyystalo.evaluation.package import Package, package_build, package_zip
from tyollisyystalo.evaluation.pseudonyms import PseudonymCollision, Pseudonymiser
from tyollisyystalo.evaluation.purpose import purpose_clean
from tyollisyystalo.evaluation.schema import TABLES, datapackage_descriptor
from tyollisyystalo.evaluation.selectors import SourceRows, evaluation_rows
from tyollisyystalo.management.access import management_scope
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import require_capability

LOG_OBJECT_TYPE = "evaluation_package"
ATTEMPTS = 3  # new keys to try when two pseudonyms collide (about 3 in 10^10 at 100,000)


@dataclass(frozen=True)
class EvaluationExport:
    export_id: uuid.UUID
    filename: str
    content: bytes
    clients: int


def export_organisation(actor: StaffMember) -> Organisation:
    """The organisation whose records the actor may export, or ``PermissionDenied``."""
    require_capability(actor, Capability.EVALUATION_EXPORT)
    scope = management_scope(actor)
    if scope is None or scope.organisation is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    return scope.organisation


def _build(source: SourceRows) -> Package:
    for _attempt in range(ATTEMPTS):
        try:
            return package_build(source, Pseudonymiser())
        except PseudonymCollision:
            continue
    raise PseudonymCollision("no key without collisions")


def evaluation_package_export(*, actor: StaffMember, purpose: str) -> EvaluationExport:
    organisation = export_organisation(actor)
    purpose = purpose_clean(purpose)
    package = _build(source := evaluation_rows(organisation))
    export_id = uuid.uuid4()
    made = timezone.localdate()
    descriptor = datapackage_descriptor(TABLES, organisation=organisation.name, month=month(made))
    descriptor["id"] = str(export_id)
    content = package_zip(package, descriptor, made=made)
    with transaction.atomic():
        access_log_append(
            actor=actor,
            events=[
                LogEvent(
                    action=Action.EXPORT,
                    outcome=Outcome.ALLOWED,
                    client_id=None,
                    categories=sorted(source.categories),
                    basis=Basis.STATUTE,
                    object_type=LOG_OBJECT_TYPE,
                    object_id=str(export_id),
                    purpose=f"evaluation export, {package.clients} clients: {purpose}",
                )
            ],
        )
    return EvaluationExport(
        export_id=export_id,
        filename=f"arviointiaineisto-{organisation.code}-{month(made)}.zip",
        content=content,
        clients=package.clients,
    )
