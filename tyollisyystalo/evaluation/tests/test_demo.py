"""The export works on the demo region: every demo manager's package validates."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from tyollisyystalo.catalogue.services import catalogue_import
from tyollisyystalo.evaluation.services import evaluation_package_export
from tyollisyystalo.staff.models import StaffMember


@pytest.mark.django_db
def test_every_demo_managers_package_validates(settings, tmp_path: Path):
    frictionless = pytest.importorskip("frictionless")
    settings.DEMO = True
    call_command("seed_demo", clients=40)
    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "services_fi.json"
    catalogue_import(data=json.loads(path.read_text(encoding="utf-8")))
    call_command("seed_demo", paths=True)
    managers = StaffMember.objects.filter(role="manager").select_related("organisation")
    assert {m.user.username for m in managers} >= {"mikko", "helena"}
    clients = {}
    for manager in managers:
        export = evaluation_package_export(actor=manager, purpose="Demoaineiston tarkistus")
        folder = tmp_path / manager.user.username
        with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
            archive.extractall(folder)
        report = frictionless.validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type"])
        clients[manager.user.username] = export.clients
    assert clients["mikko"] > 0  # Klaus's path and the demo paths of Esimerkkilä
