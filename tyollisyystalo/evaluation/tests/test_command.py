"""The export as a command, for organisations too large for one web request."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.evaluation.tests import dataset

PURPOSE = "Työkykyohjelman arviointi, THL 2026"


@pytest.mark.django_db
def test_command_writes_the_package_and_logs_it_once(employment, county, aino, mikko, tmp_path):
    dataset.build(employment, county, aino)
    output = tmp_path / "paketti.zip"
    out = io.StringIO()
    before = AccessLogEntry.objects.count()
    call_command(
        "evaluation_export", manager="mikko", purpose=PURPOSE, output=str(output), stdout=out
    )
    assert "6 clients" in out.getvalue()
    with zipfile.ZipFile(output) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    entry = AccessLogEntry.objects.get(object_id=descriptor["id"])
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.action, entry.actor_user_id) == ("export", mikko.user_id)
    assert entry.purpose == f"evaluation export, 6 clients: {PURPOSE}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "purpose", "message"),
    [
        ("aino", PURPOSE, "does not allow"),
        ("nobody", PURPOSE, "No active staff member"),
        ("mikko", "lyhyt", "vähintään 10 merkkiä"),
    ],
)
def test_command_refuses_and_writes_nothing(
    employment, county, aino, mikko, tmp_path: Path, username, purpose, message
):
    dataset.build(employment, county, aino)
    output = tmp_path / "paketti.zip"
    before = AccessLogEntry.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("evaluation_export", manager=username, purpose=purpose, output=str(output))
    assert not output.exists()
    assert AccessLogEntry.objects.count() == before
